import { z } from 'zod';
import { PersonalName } from '../systemNames';
import { defineNode } from './types';

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
