import { z } from 'zod';
import type { PathSegment } from '../problems';
import type { Json } from '../runtime/types';
import { readVar } from './vars';
import type { ReadVariable, StepApi } from './types';

/**
 * A config value taken from the run instead of written into the playbook: a run variable
 * (`churn_type`, a task's form field) or a customer field (`customer.accountManager`). One node can
 * then record what an earlier step decided. The compiler checks the name exists and is set on
 * every path to the node (see compile/valueSources.ts).
 */
export const FromVariable = z
  .object({
    from: z.literal('var'),
    name: z.string().min(1).max(200).describe('The run variable or customer field (customer.<field>) to take the value from.'),
  })
  .meta({ title: 'From a run variable' });
export type FromVariable = z.infer<typeof FromVariable>;

/** A literal of `literal`'s type, or `{ from: 'var', name }`. */
export function orFromVariable<T extends z.ZodType>(literal: T) {
  return z.union([literal, FromVariable]);
}

export function isFromVariable(value: unknown): value is FromVariable {
  return !!value && typeof value === 'object' && (value as { from?: unknown }).from === 'var' && typeof (value as { name?: unknown }).name === 'string';
}

/** The value now: the literal itself, or what the run holds under the name (undefined when unset). */
export function resolveValue(step: Pick<StepApi, 'state' | 'planRevision'>, value: unknown): Json | undefined {
  if (!isFromVariable(value)) return value as Json | undefined;
  return readVar(step.state.vars, value.name, step.planRevision);
}

/** The variable a value reads, if it reads one: it must exist and be set on every path to the node. */
export function valueReads(value: unknown, path: PathSegment[]): ReadVariable[] {
  return isFromVariable(value) ? [{ name: value.name, path: [...path, 'name'], mustBeSet: true }] : [];
}

/** How a value reads in a summary line: the literal, or "from <name>". */
export function valueText(value: unknown): string | undefined {
  if (isFromVariable(value)) return `from ${value.name}`;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
