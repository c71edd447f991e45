import { z } from 'zod';
import type { Problem } from '../problems';
import { PersonalName } from '../systemNames';
import { defineNode } from './types';
import { keysOf, str } from './helpers';

export const StartConfig = z.object({
  trigger: z.enum(['manual', 'api', 'event']).default('manual'),
  /** With trigger `event`: the key an inbound signal (e.g. `customer.pre_churn`) starts runs for. */
  triggerKey: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .meta({ title: 'Trigger key', description: 'With an event trigger: the signal that starts runs, e.g. customer.pre_churn.' }),
  variables: z
    .array(z.object({ key: PersonalName, type: z.enum(['string', 'number', 'boolean']), required: z.boolean().default(false) }))
    .max(100)
    .default([]),
});
export type StartConfig = z.infer<typeof StartConfig>;

/** True when a start node of this config (as a plan stores it) starts runs for the inbound event `key`. */
export function listensFor(config: unknown, key: string): boolean {
  const start = config as { trigger?: string; triggerKey?: string } | undefined;
  return start?.trigger === 'event' && start.triggerKey === key;
}

/** What is wrong with the run variables given to a start node of this config: missing required ones, wrong types. */
export function startVariableProblems(config: unknown, variables: Record<string, unknown>): Problem[] {
  const start = config as { variables?: { key: string; type: string; required: boolean }[] } | undefined;
  const problems: Problem[] = [];
  for (const v of start?.variables ?? []) {
    const value = variables[v.key];
    if (value === undefined || value === null) {
      if (v.required) problems.push({ code: 'variable_missing', message: `variable "${v.key}" is required`, path: ['variables', v.key] });
    } else if (typeof value !== v.type) {
      problems.push({ code: 'variable_type', message: `variable "${v.key}" must be a ${v.type}`, path: ['variables', v.key] });
    }
  }
  return problems;
}

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
