import { z } from 'zod';
import { PersonalName } from '../systemNames';
import { defineNode } from './types';
import { keysOf, str } from './helpers';

export const StartConfig = z.object({
  trigger: z.enum(['manual', 'api', 'event']).default('manual'),
  /** With trigger `event`: the key an inbound signal (e.g. `customer.pre_churn`) starts runs for. */
  triggerKey: z.string().min(1).max(100).optional(),
  variables: z
    .array(z.object({ key: PersonalName, type: z.enum(['string', 'number', 'boolean']), required: z.boolean().default(false) }))
    .max(100)
    .default([]),
});
export type StartConfig = z.infer<typeof StartConfig>;

export const startNode = defineNode<StartConfig>({
  kind: 'start',
  label: 'Start',
  description: 'How a recovery attempt begins and which run variables it expects.',
  icon: '▶',
  palette: { group: 'Flow', order: 1, color: '#16a34a' },
  starter: { trigger: 'manual', variables: [] },
  summary: (c) => (str(c.trigger) ? `Trigger: ${str(c.trigger)}${str(c.triggerKey) ? ` (${str(c.triggerKey)})` : ''}` : undefined),
  writes: (c) => keysOf(c.variables).map((name) => ({ name, group: 'Start variables' })),
  sets: (config) => config.variables.filter((v) => v.required).map((v) => v.key),
  config: StartConfig,
  handles: () => ['next'],
  waits: false,
  check(config, ctx) {
    if (config.trigger === 'event' && !config.triggerKey) {
      return [{ code: 'trigger_key_missing', message: 'an event trigger needs a trigger key', path: [...ctx.path, 'triggerKey'], nodeId: ctx.nodeId }];
    }
    return [];
  },
  enter(step) {
    step.go('next');
  },
});
