import { PLAN_REVISION } from '../../plan';
import type { Json } from '../../runtime/types';
import type { DecisionConfig } from '../decision';
import { readVar } from '../vars';
import { defineStep } from './types';

export { readVar };

/** Structured conditions over run variables and customer attributes: data, never code to eval. */
export interface Comparison {
  var: string;
  op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';
  value?: string | number | boolean | (string | number)[];
}
export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

/** Whether a condition holds, under the variable rules of a plan revision (see readVar). */
export function evaluate(cond: Condition, vars: Record<string, Json>, revision: number = PLAN_REVISION): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluate(c, vars, revision));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, vars, revision));
  if ('not' in cond) return !evaluate(cond.not, vars, revision);
  const actual = readVar(vars, cond.var, revision);
  const expected = cond.value;
  switch (cond.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && (typeof actual === 'string' || typeof actual === 'number') && expected.includes(actual);
    default: {
      // Numbers only: a missing or non-numeric value never satisfies an ordering.
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (cond.op === 'gt') return actual > expected;
      if (cond.op === 'gte') return actual >= expected;
      if (cond.op === 'lt') return actual < expected;
      return actual <= expected;
    }
  }
}

/** A decision: the first rule whose condition holds picks the way out, else "default". */
export const decisionStep = defineStep<DecisionConfig>({
  kind: 'decision',
  enter(step, config) {
    // Attempt counters (how often a node ran) are readable as visits.<nodeId>.
    const view = { ...step.state.vars, visits: step.state.visits };
    const rule = config.rules.find((r) => evaluate(r.when, view, step.planRevision));
    step.go(rule ? rule.handle : 'default');
  },
});
