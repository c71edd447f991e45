import { z } from 'zod';
import { Identifier } from '../graph';
import type { Problem } from '../problems';
import { defineNode } from './types';
import { decisionStep, type Condition } from './runtime/decision';
import { CHURN_REASONS, CHURN_TYPES, CREDIT_RATINGS, CUSTOMER_STATUSES } from './vocabulary';
import { count } from './helpers';
import type { PathSegment } from '../problems';

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
  // What a credit check recorded in this run (the credit_check kind); read from the system only.
  'credit.rating': { type: 'string', values: CREDIT_RATINGS },
  'credit.outstandingBalance': { type: 'number' },
  churn_reason: { type: 'string', values: CHURN_REASONS },
  churn_type: { type: 'string', values: CHURN_TYPES },
  last_response: { type: 'string' },
};

// Conditions are evaluated by the runtime (./runtime/decision, zod-free); re-exported for the editor, the simulator and tests.
export { evaluate, readVar, type Comparison, type Condition } from './runtime/decision';

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
function comparisonVars(cond: Condition, path: PathSegment[]): { name: string; path: PathSegment[]; compares?: (string | number | boolean)[] }[] {
  if ('all' in cond) return cond.all.flatMap((c, i) => comparisonVars(c, [...path, 'all', i]));
  if ('any' in cond) return cond.any.flatMap((c, i) => comparisonVars(c, [...path, 'any', i]));
  if ('not' in cond) return comparisonVars(cond.not, [...path, 'not']);
  // The values it is compared with, so the compiler can check them against the variable's own list (an experiment's arms, a typed start variable).
  const compares =
    cond.op === 'eq' || cond.op === 'neq' || cond.op === 'in' ? (Array.isArray(cond.value) ? cond.value : cond.value !== undefined ? [cond.value] : []) : [];
  return [{ name: cond.var, path: [...path, 'var'], ...(compares.length ? { compares } : {}) }];
}

export const decisionNode = defineNode<DecisionConfig>({
  ...decisionStep,
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
});
