import { z } from 'zod';
import type { PathSegment } from '../problems';
import { isFromVariable } from './runtime/values';
import type { ReadVariable } from './types';

// Reading a value at run time is the runtime's (./runtime/values, zod-free); re-exported for the descriptions.
export { isFromVariable, resolveValue } from './runtime/values';

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

/** The variable a value reads, if it reads one: it must exist and be set on every path to the node. */
export function valueReads(value: unknown, path: PathSegment[]): ReadVariable[] {
  return isFromVariable(value) ? [{ name: value.name, path: [...path, 'name'], mustBeSet: true }] : [];
}

/** How a value reads in a summary line: the literal, or "from <name>". */
export function valueText(value: unknown): string | undefined {
  if (isFromVariable(value)) return `from ${value.name}`;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
