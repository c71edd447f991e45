import type { Json } from '../../runtime/types';
import { readVar } from '../vars';
import type { StepApi } from './types';

/** A config value taken from the run (see ../valueSource.ts, which holds its schema): `{ from: 'var', name }`. */
export interface FromVariableValue {
  from: 'var';
  name: string;
}

export function isFromVariable(value: unknown): value is FromVariableValue {
  return !!value && typeof value === 'object' && (value as { from?: unknown }).from === 'var' && typeof (value as { name?: unknown }).name === 'string';
}

/** The value now: the literal itself, or what the run holds under the name (undefined when unset). */
export function resolveValue(step: Pick<StepApi, 'state' | 'planRevision'>, value: unknown): Json | undefined {
  if (!isFromVariable(value)) return value as Json | undefined;
  return readVar(step.state.vars, value.name, step.planRevision);
}
