import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from 'pg';
import type { CompiledPlan } from '../../playbooks/plan';
import {
  incidentUpdate,
  OPERATION_REFUSED,
  operateUpdate,
  snapshotQuery,
  type AttemptSnapshot,
  type IncidentRequest,
  type OperationInput,
  type OperationResult,
} from '../../workflows/contract';
import type { Deps } from '../deps';
import { ApiError, conflict, notFound } from '../errors';
import { actorOf, type SessionUser } from '../http';
import { mapUpdateError } from '../temporalErrors';

/**
 * Sending an operator's repair to the attempt's workflow. The workflow is the judge: its `operate`
 * Update runs the pure runtime's check before anything enters the history, so a refusal here means
 * nothing changed. The Update goes to the attempt's own run chain (its first run id), never to a
 * later attempt that reuses the workflow id.
 */

export interface AttemptRow {
  id: string;
  workflow_id: string;
  first_run_id: string | null;
  status: string;
  customer_id: string;
  playbook_key: string;
  playbook_version: number;
}

export function attemptHandle(deps: Deps, row: AttemptRow) {
  return deps.temporal.workflow.getHandle(row.workflow_id, undefined, row.first_run_id ? { firstExecutionRunId: row.first_run_id } : undefined);
}

export function mustBeRunning(row: AttemptRow): void {
  if (row.status !== 'running') throw conflict('attempt_not_running', 'the attempt has already ended');
}

/** The operation id: from the Idempotency-Key when given (a retried request joins the first), else fresh. */
export const operationIdFor = (user: SessionUser, idempotencyKey: string | null, prefix = 'op') =>
  idempotencyKey ? `${prefix}:${user.id}:${idempotencyKey}` : `${prefix}:${randomUUID()}`;

/** A refusal from the workflow → 409 with the runtime's own code and every problem (403 for a role it refuses). */
export function mapOperationError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === OPERATION_REFUSED) {
    const detail = (err.cause.details?.[0] ?? {}) as { code?: string; problems?: unknown[] };
    const code = detail.code ?? 'operation_refused';
    return new ApiError(code === 'not_allowed' ? 403 : 409, code, err.cause.message, { problems: detail.problems ?? [] });
  }
  // The driver refused it on its turn (an event ahead of it moved the attempt): the runtime's reason.
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'runtime_error') {
    return new ApiError(409, 'operation_refused', err.cause.message, { problems: [{ code: 'operation_refused', message: err.cause.message }] });
  }
  return mapUpdateError(err);
}

export async function sendOperation(
  deps: Deps,
  user: SessionUser,
  row: AttemptRow,
  operation: OperationInput,
  opts: { reason: string; operationId: string; expectedTransition?: number },
): Promise<OperationResult> {
  mustBeRunning(row);
  try {
    return await attemptHandle(deps, row).executeUpdate(operateUpdate, {
      args: [{ operationId: opts.operationId, actor: actorOf(user), reason: opts.reason, operation, expectedTransition: opts.expectedTransition }],
      updateId: opts.operationId,
    });
  } catch (err) {
    const mapped = mapOperationError(err);
    if (mapped instanceof ApiError) throw mapped;
    throw err;
  }
}

export async function resolveIncident(
  deps: Deps,
  user: SessionUser,
  row: AttemptRow,
  incidentId: string,
  action: IncidentRequest['action'],
  reason: string,
  operationId: string,
) {
  mustBeRunning(row);
  try {
    return await attemptHandle(deps, row).executeUpdate(incidentUpdate, {
      args: [{ operationId, incidentId, action, actor: actorOf(user), reason }],
      updateId: operationId,
    });
  } catch (err) {
    const mapped = mapOperationError(err);
    if (mapped instanceof ApiError) throw mapped;
    throw err;
  }
}

export async function liveSnapshot(deps: Deps, row: AttemptRow): Promise<AttemptSnapshot> {
  try {
    return await attemptHandle(deps, row).query(snapshotQuery);
  } catch (err) {
    const mapped = mapUpdateError(err);
    if (mapped instanceof ApiError) throw mapped;
    throw err;
  }
}

/** A published version's plan and name, for a migration's target. */
export async function publishedVersion(pool: Pool, playbookKey: string, version: number): Promise<{ plan: CompiledPlan; name: string }> {
  const { rows } = await pool.query<{ plan: CompiledPlan; name: string }>(
    `SELECT v.plan, p.name FROM playbook_versions v JOIN playbooks p ON p.key = v.playbook_key WHERE v.playbook_key = $1 AND v.version = $2`,
    [playbookKey, version],
  );
  if (!rows[0]) throw notFound(`version ${version} of playbook ${playbookKey}`);
  return rows[0];
}
