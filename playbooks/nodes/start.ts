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

/** True when a start node of this config (as a plan stores it) starts runs for the inbound event `key`. */
export function listensFor(config: unknown, key: string): boolean {
  const start = config as { trigger?: string; triggerKey?: string } | undefined;
  return start?.trigger === 'event' && start.triggerKey === key;
}

type StartVariable = StartConfig['variables'][number];

/**
 * What is wrong with the run variables given to a start node of this config (as a plan stores it):
 * missing required ones, wrong types, a value not on the variable's list, a number out of its range.
 */
export function startVariableProblems(config: unknown, variables: Record<string, unknown>): Problem[] {
  const start = config as { variables?: StartVariable[] } | undefined;
  const problems: Problem[] = [];
  for (const v of start?.variables ?? []) {
    const value = variables[v.key];
    const path = ['variables', v.key];
    if (value === undefined || value === null) {
      if (v.required) problems.push({ code: 'variable_missing', message: `variable "${v.key}" is required`, path });
    } else if (typeof value !== v.type || (typeof value === 'number' && !Number.isFinite(value))) {
      problems.push({ code: 'variable_type', message: `variable "${v.key}" must be a ${v.type}`, path });
    } else if (v.values && typeof value === 'string' && !v.values.includes(value)) {
      problems.push({ code: 'variable_value', message: `variable "${v.key}" must be one of ${v.values.join(', ')}; "${value}" is not`, path });
    } else if (typeof value === 'number' && ((v.min !== undefined && value < v.min) || (v.max !== undefined && value > v.max))) {
      problems.push({ code: 'variable_range', message: `variable "${v.key}" must be ${rangeText(v)}; ${value} is not`, path });
    }
  }
  return problems;
}

function rangeText(v: Pick<StartVariable, 'min' | 'max'>): string {
  if (v.min !== undefined && v.max !== undefined) return `between ${v.min} and ${v.max}`;
  return v.min !== undefined ? `at least ${v.min}` : `at most ${String(v.max)}`;
}

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
  kind: 'start',
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
  enter(step) {
    step.go('next');
  },
});
