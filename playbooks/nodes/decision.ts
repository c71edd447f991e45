import { z } from 'zod';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import type { Json } from '../runtime/types';
import { defineNode } from './types';
import { CHURN_REASONS, CHURN_TYPES, CUSTOMER_STATUSES } from './updateCustomer';
import { count } from './helpers';
import type { PathSegment } from '../problems';

/** Structured conditions over run variables and customer attributes: data, never code to eval. */
export interface Comparison {
  var: string;
  op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';
  value?: string | number | boolean | (string | number)[];
}
export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

const ComparisonSchema = z.object({
  var: z.string().min(1).max(200),
  op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
  value: z.union([z.string().max(200), z.number(), z.boolean(), z.array(z.union([z.string().max(200), z.number()])).max(100)]).optional(),
});
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    ComparisonSchema,
    z.object({ all: z.array(ConditionSchema).min(1).max(50) }),
    z.object({ any: z.array(ConditionSchema).min(1).max(50) }),
    z.object({ not: ConditionSchema }),
  ]),
);

export const DecisionConfig = z.object({
  rules: z
    .array(z.object({ handle: Identifier, label: z.string().max(100).optional(), when: ConditionSchema }))
    .min(1)
    .max(50)
    .describe('First matching rule wins; anything else leaves through "default".'),
});
export type DecisionConfig = z.infer<typeof DecisionConfig>;

/** Known variable types, so the compiler can refuse `customer.value > "high"`. */
export const KNOWN_VARIABLES: Record<string, { type: 'string' | 'number'; values?: readonly string[] }> = {
  'customer.grade': { type: 'string', values: ['core', 'high_potential', 'ordinary', 'churn_signs'] },
  'customer.value': { type: 'number' },
  'customer.department': { type: 'string' },
  'customer.id': { type: 'string' },
  'customer.name': { type: 'string' },
  'customer.accountManager': { type: 'string' },
  // The customer file's own fields, as they were when the run started.
  'customer.status': { type: 'string', values: ['active', ...CUSTOMER_STATUSES] },
  'customer.churnType': { type: 'string', values: CHURN_TYPES },
  'customer.churnReason': { type: 'string', values: CHURN_REASONS },
  churn_reason: { type: 'string', values: CHURN_REASONS },
  churn_type: { type: 'string', values: CHURN_TYPES },
  last_response: { type: 'string' },
};

/** Containers the system fills as objects: `customer.<field>` and `visits.<node>` come only from them. */
const SYSTEM_OBJECTS = new Set(['customer', 'visits']);

/**
 * A variable by name: a run variable, or `<container>.<key>` (customer.grade, visits.<nodeId>) where
 * the key is everything after the first dot, since node ids may contain dots. The system's own
 * names resolve from the system first: a flat variable called "customer.value" or "visits.call"
 * (the API refuses them; older runs may carry one) never shadows the customer file or the visit
 * count. Own properties only: `constructor` must not be found on an empty object.
 */
export function readVar(vars: Record<string, Json>, name: string, systemFirst = true): Json | undefined {
  if (!systemFirst) return readVarAsBeforeRevision3(vars, name);
  const dot = name.indexOf('.');
  const head = dot > 0 ? name.slice(0, dot) : null;
  const fromContainer = (): Json | undefined => {
    const container = head !== null && Object.hasOwn(vars, head) ? vars[head] : undefined;
    const key = name.slice(dot + 1);
    if (container && typeof container === 'object' && !Array.isArray(container) && Object.hasOwn(container, key)) return container[key];
    return undefined;
  };
  if (head !== null && SYSTEM_OBJECTS.has(head)) return fromContainer();
  if (Object.hasOwn(vars, name)) return vars[name];
  // responses.<kind> and <offer>.tier are flat names the runtime writes; no object may stand in for them.
  if (head === null || head === 'responses' || head === 'offer') return undefined;
  return fromContainer();
}

/**
 * Plans before revision 3: a flat run variable came first, even one named like a system value. Kept
 * so attempts asleep since then replay as recorded; new plans never read this way.
 */
function readVarAsBeforeRevision3(vars: Record<string, Json>, name: string): Json | undefined {
  if (Object.hasOwn(vars, name)) return vars[name];
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const container = Object.hasOwn(vars, name.slice(0, dot)) ? vars[name.slice(0, dot)] : undefined;
  const key = name.slice(dot + 1);
  if (container && typeof container === 'object' && !Array.isArray(container) && Object.hasOwn(container, key)) return container[key];
  return undefined;
}

export function evaluate(cond: Condition, vars: Record<string, Json>, systemFirst = true): boolean {
  if ('all' in cond) return cond.all.every((c) => evaluate(c, vars, systemFirst));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, vars, systemFirst));
  if ('not' in cond) return !evaluate(cond.not, vars, systemFirst);
  const actual = readVar(vars, cond.var, systemFirst);
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

function checkCondition(cond: Condition, path: (string | number)[], nodeId: string, problems: Problem[]): void {
  if ('all' in cond) return cond.all.forEach((c, i) => checkCondition(c, [...path, 'all', i], nodeId, problems));
  if ('any' in cond) return cond.any.forEach((c, i) => checkCondition(c, [...path, 'any', i], nodeId, problems));
  if ('not' in cond) return checkCondition(cond.not, [...path, 'not'], nodeId, problems);
  const known = KNOWN_VARIABLES[cond.var];
  const ordering = ['gt', 'gte', 'lt', 'lte'].includes(cond.op);
  if (ordering && typeof cond.value !== 'number')
    problems.push({ code: 'operand_type', message: `"${cond.op}" compares numbers; the value must be a number`, path: [...path, 'value'], nodeId });
  if (ordering && known && known.type !== 'number')
    problems.push({ code: 'operand_type', message: `${cond.var} is text; "${cond.op}" needs a number`, path: [...path, 'var'], nodeId });
  if (cond.op === 'in' && !Array.isArray(cond.value))
    problems.push({ code: 'operand_type', message: '"in" needs a list of values', path: [...path, 'value'], nodeId });
  if ((cond.op === 'eq' || cond.op === 'neq') && cond.value === undefined)
    problems.push({ code: 'operand_missing', message: `"${cond.op}" needs a value`, path: [...path, 'value'], nodeId });
  if (known?.values && (cond.op === 'eq' || cond.op === 'neq' || cond.op === 'in')) {
    const values = Array.isArray(cond.value) ? cond.value : [cond.value];
    for (const v of values)
      if (v !== undefined && !known.values.includes(String(v)))
        problems.push({
          code: 'operand_value',
          message: `${cond.var} is one of ${known.values.join(', ')}; "${v}" never matches`,
          path: [...path, 'value'],
          nodeId,
        });
  }
  if (known?.type === 'number' && (cond.op === 'eq' || cond.op === 'neq') && typeof cond.value !== 'number')
    problems.push({ code: 'operand_type', message: `${cond.var} is a number`, path: [...path, 'value'], nodeId });
}

/** Every variable a condition reads, for the compiler's "variables exist" check. */
export function conditionVars(cond: Condition): string[] {
  if ('all' in cond) return cond.all.flatMap(conditionVars);
  if ('any' in cond) return cond.any.flatMap(conditionVars);
  if ('not' in cond) return conditionVars(cond.not);
  return [cond.var];
}

/** Every comparison's variable in a condition, with the JSON path of its `var`. */
function comparisonVars(cond: Condition, path: PathSegment[]): { name: string; path: PathSegment[] }[] {
  if ('all' in cond) return cond.all.flatMap((c, i) => comparisonVars(c, [...path, 'all', i]));
  if ('any' in cond) return cond.any.flatMap((c, i) => comparisonVars(c, [...path, 'any', i]));
  if ('not' in cond) return comparisonVars(cond.not, [...path, 'not']);
  return [{ name: cond.var, path: [...path, 'var'] }];
}

export const decisionNode = defineNode<DecisionConfig>({
  kind: 'decision',
  label: 'Decision',
  description: 'Branch on run variables and customer attributes (tier, churn reason, value...): first matching rule wins.',
  icon: '◇',
  palette: { group: 'Flow', order: 2, color: '#d97706' },
  starter: { rules: [{ handle: 'core', label: 'Core customer', when: { var: 'customer.grade', op: 'eq', value: 'core' } }] },
  summary: (c) => count(c.rules, 'rule'),
  reads: (config, path) =>
    config.rules.flatMap((rule, i) => comparisonVars(rule.when, [...path, 'rules', i, 'when']).map((read) => ({ ...read, routes: true }))),
  config: DecisionConfig,
  handles: (config) => [...config.rules.map((r) => r.handle), 'default'],
  waits: false,
  check(config, ctx) {
    const problems: Problem[] = [];
    const seen = new Set<string>();
    config.rules.forEach((rule, i) => {
      if (rule.handle === 'default' || seen.has(rule.handle))
        problems.push({
          code: 'duplicate_handle',
          message: `rule handle "${rule.handle}" is used twice (or is "default")`,
          path: [...ctx.path, 'rules', i, 'handle'],
          nodeId: ctx.nodeId,
        });
      seen.add(rule.handle);
      checkCondition(rule.when, [...ctx.path, 'rules', i, 'when'], ctx.nodeId, problems);
    });
    return problems;
  },
  enter(step, config) {
    // Attempt counters (how often a node ran) are readable as visits.<nodeId>.
    const view = { ...step.state.vars, visits: step.state.visits };
    const rule = config.rules.find((r) => evaluate(r.when, view, step.planRevision >= 3));
    step.go(rule ? rule.handle : 'default');
  },
});
