import { z } from 'zod';
import type { Problem } from '../problems';
import { PersonalName } from '../systemNames';
import { defineNode } from './types';
import { keysOf, str } from './helpers';
import { startStep, type StartVariable } from './runtime/start';

// The start variables check is zod-free (./runtime/start), for the workflow bundle; re-exported for the API and the editor.
export { listensFor, startVariableProblems } from './runtime/start';

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
    .array(
      z.object({
        key: PersonalName,
        type: z.enum(['string', 'number', 'boolean']),
        required: z.boolean().default(false),
        values: z.array(z.string().min(1).max(200)).min(1).max(100).optional().meta({
          title: 'Allowed values',
          description: 'A text variable limited to these values (e.g. natural, malicious, competitive, fault); a start with another is refused.',
        }),
        min: z.number().optional().meta({ title: 'Smallest', description: 'A number variable must be at least this.' }),
        max: z.number().optional().meta({ title: 'Largest', description: 'A number variable must be at most this.' }),
      }),
    )
    .max(100)
    .default([])
    .describe('What a start may (or must) bring; a start with a wrong type, a value not on the list or out of range is refused.'),
});
export type StartConfig = z.infer<typeof StartConfig>;

/** A list or a range that does not fit the variable's type, or a range that holds nothing. */
function variableProblems(v: StartVariable, path: (string | number)[], nodeId: string): Problem[] {
  const problems: Problem[] = [];
  if (v.values && v.type !== 'string')
    problems.push({
      code: 'values_need_text',
      message: `only a text variable takes a list of values; "${v.key}" is a ${v.type}`,
      path: [...path, 'values'],
      nodeId,
    });
  if (v.values && new Set(v.values).size !== v.values.length)
    problems.push({ code: 'duplicate_value', message: `a value of "${v.key}" is listed twice`, path: [...path, 'values'], nodeId });
  if ((v.min !== undefined || v.max !== undefined) && v.type !== 'number')
    problems.push({
      code: 'range_needs_number',
      message: `only a number variable takes a range; "${v.key}" is a ${v.type}`,
      path: [...path, v.min !== undefined ? 'min' : 'max'],
      nodeId,
    });
  if (v.min !== undefined && v.max !== undefined && v.min > v.max)
    problems.push({ code: 'empty_range', message: `the smallest value of "${v.key}" is above its largest`, path: [...path, 'min'], nodeId });
  return problems;
}

export const startNode = defineNode<StartConfig>({
  ...startStep,
  label: 'Start',
  description: 'How a recovery attempt begins and which run variables it expects.',
  icon: '▶',
  palette: { group: 'Flow', order: 1, color: '#16a34a' },
  starter: { trigger: 'manual', variables: [] },
  summary: (c) => (str(c.trigger) ? `Trigger: ${str(c.trigger)}${str(c.triggerKey) ? ` (${str(c.triggerKey)})` : ''}` : undefined),
  writes: (c) =>
    keysOf(c.variables).map((name) => {
      const declared = (c.variables as { key?: unknown; values?: unknown }[]).find((v) => v?.key === name);
      const values = Array.isArray(declared?.values) && declared.values.every((x) => typeof x === 'string') ? (declared.values as string[]) : undefined;
      return { name, group: 'Start variables', ...(values ? { values } : {}) };
    }),
  sets: (config) => config.variables.filter((v) => v.required).map((v) => v.key),
  config: StartConfig,
  handles: () => ['next'],
  waits: false,
  check(config, ctx) {
    const problems: Problem[] = [];
    if (config.trigger === 'event' && !config.triggerKey)
      problems.push({ code: 'trigger_key_missing', message: 'an event trigger needs a trigger key', path: [...ctx.path, 'triggerKey'], nodeId: ctx.nodeId });
    config.variables.forEach((v, i) => problems.push(...variableProblems(v, [...ctx.path, 'variables', i], ctx.nodeId)));
    return problems;
  },
});
