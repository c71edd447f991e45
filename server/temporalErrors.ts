import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError, notFound } from './errors';

/** A refused Update (validator or handler) → the HTTP answer the person should see. */
const UPDATE_REFUSALS: Record<string, [number, string]> = {
  task_not_open: [409, 'task_not_open'],
  not_allowed: [403, 'forbidden'],
  outcome_not_allowed: [400, 'outcome_not_allowed'],
  invalid_form: [400, 'invalid_form'],
  runtime_error: [500, 'runtime_error'],
};

export function mapUpdateError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const refusal = UPDATE_REFUSALS[err.cause.type ?? ''];
    if (refusal) return new ApiError(refusal[0], refusal[1], err.cause.message, err.cause.details?.[0] ? { problems: err.cause.details[0] } : undefined);
  }
  if (err instanceof WorkflowNotFoundError) return new ApiError(409, 'run_not_running', 'the recovery attempt has already ended');
  // The run closed between our check and the Update (e.g. another completion ended it).
  if (err instanceof Error && /already completed|workflow execution.*(completed|closed)/i.test(err.message + String((err as { cause?: Error }).cause?.message ?? ''))) {
    return new ApiError(409, 'run_not_running', 'the recovery attempt has already ended');
  }
  if (err && typeof err === 'object' && 'name' in err && err.name === 'WorkflowNotFoundError') return notFound('recovery attempt');
  return err;
}
