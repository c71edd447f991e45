import { status as GrpcStatus } from '@grpc/grpc-js';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError, notFound } from './errors';

/** A refused Update (validator or handler) → the HTTP answer the person should see. */
const UPDATE_REFUSALS: Record<string, [number, string]> = {
  task_not_open: [409, 'task_not_open'],
  not_allowed: [403, 'forbidden'],
  outcome_not_allowed: [400, 'outcome_not_allowed'],
  invalid_form: [400, 'invalid_form'],
  answer_not_open: [409, 'answer_not_open'],
  // The runtime refused a plan it cannot follow (e.g. an invalid time): the request was fine, the plan is not.
  runtime_error: [422, 'runtime_error'],
};

export function mapUpdateError(err: unknown): unknown {
  // Temporal away, slow or busy, or no worker: the same 503 the error handler gives, without an error log.
  const down = temporalUnavailable(err);
  if (down) return down;
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const refusal = UPDATE_REFUSALS[err.cause.type ?? ''];
    if (refusal) return new ApiError(refusal[0], refusal[1], err.cause.message, err.cause.details?.[0] ? { problems: err.cause.details[0] } : undefined);
  }
  if (err instanceof WorkflowNotFoundError) return new ApiError(409, 'run_not_running', 'the recovery attempt has already ended');
  // The run closed between our check and the Update (e.g. another completion ended it).
  if (
    err instanceof Error &&
    /already completed|workflow execution.*(completed|closed)/i.test(err.message + String((err as { cause?: Error }).cause?.message ?? ''))
  ) {
    return new ApiError(409, 'run_not_running', 'the recovery attempt has already ended');
  }
  if (err && typeof err === 'object' && 'name' in err && err.name === 'WorkflowNotFoundError') return notFound('recovery attempt');
  return err;
}

/** No playbook worker polls the task queue: Updates and queries cannot be answered now. */
export class WorkersUnavailableError extends Error {
  constructor() {
    super('the playbook workers are not running');
    this.name = 'WorkersUnavailableError';
  }
}

/**
 * Temporal unreachable or too slow, as an answer a client can act on: 503 with Retry-After. A write
 * that ran out of time may still be applied later (an Update the server accepted): the message says
 * so, and a retry with the same Idempotency-Key returns its result instead of applying it twice.
 */
export function temporalUnavailable(err: unknown): ApiError | null {
  if (err instanceof WorkersUnavailableError)
    return new ApiError(503, 'workers_unavailable', 'the playbook workers are not running; try again shortly', { retryAfterSeconds: 5 });
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new ApiError(503, 'temporal_timeout', 'the recovery attempt did not answer in time; it may still apply this: retry with the same Idempotency-Key', {
      retryAfterSeconds: 5,
    });
  }
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    // "Workflow is busy" (too many Updates in flight, or a workflow task just lost with a restarting server): retryable.
    if (code === GrpcStatus.RESOURCE_EXHAUSTED)
      return new ApiError(503, 'temporal_busy', 'the recovery attempt is busy, try again shortly', { retryAfterSeconds: 2 });
    if (code === GrpcStatus.UNAVAILABLE)
      return new ApiError(503, 'temporal_unavailable', 'Temporal is unavailable, try again shortly', { retryAfterSeconds: 5 });
    if (code === GrpcStatus.DEADLINE_EXCEEDED) {
      return new ApiError(503, 'temporal_timeout', 'Temporal did not answer in time; a change may still be applied: retry with the same Idempotency-Key', {
        retryAfterSeconds: 5,
      });
    }
  }
  return null;
}
