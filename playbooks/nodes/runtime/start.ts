import type { Problem } from '../../problems';
import type { StartConfig } from '../start';
import { defineStep } from './types';

/** A start step goes straight on: the variables it brings were checked when the run was started. */
export const startStep = defineStep<StartConfig>({
  kind: 'start',
  enter(step) {
    step.go('next');
  },
});

/** True when a start node of this config (as a plan stores it) starts runs for the inbound event `key`. */
export function listensFor(config: unknown, key: string): boolean {
  const start = config as { trigger?: string; triggerKey?: string } | undefined;
  return start?.trigger === 'event' && start.triggerKey === key;
}

export type StartVariable = StartConfig['variables'][number];

/**
 * What is wrong with the run variables given to a start node of this config (as a plan stores it):
 * missing required ones, wrong types, a value not on the variable's list, a number out of its range.
 * Zod-free: an operator's change of a run variable is checked with it inside the workflow.
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
