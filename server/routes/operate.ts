import type { z } from 'zod';
import {
  CancelBody,
  IncidentBody,
  IncidentResolved,
  MigrateBody,
  MigrationBody,
  MigrationVerdict,
  MoveBody,
  OperationApplied,
  VariableBody,
} from '../../contract/operate';
import { OPERATORS } from '../../contract/roles';
import { reachableAttempt } from '../access';
import type { Deps } from '../deps';
import { conflict } from '../errors';
import { route, type RouteDef, type SessionUser } from '../http';
import { operationIdFor, resolveIncident, sendOperation, type AttemptRow } from '../operate/operations';
import type { OperationInput } from '../../workflows/contract';
import { dryRunMigration, migrationTarget } from '../operate/proof';
import { batchRoutes } from './operateBatches';

/**
 * Repairs and migration of one attempt (ops managers and admins, each with a reason, each audited by
 * the worker in the transaction that stores it). Department heads and auditors read the attempt
 * list (operateList.ts) but change nothing here.
 */
export function operateRoutes(deps: Deps): RouteDef[] {
  const { pool } = deps;
  const attempt = async (user: SessionUser, id: string) => {
    const row = await reachableAttempt(pool, user, id);
    const { rows } = await pool.query<{ name: string }>('SELECT name FROM customers WHERE id = $1', [row.customer_id]);
    return { ...(row as unknown as AttemptRow), customer_name: rows[0]?.name ?? String(row.customer_id) };
  };
  const errors = { 404: 'no such attempt', 409: 'refused by the runtime (the reason and every problem in details), or the attempt has ended' };

  /**
   * One repair route: its body says which operation, the reason and (for a move) the transition the
   * operator looked at; the workflow's `operate` Update decides and the worker records it.
   */
  function repair<B extends { reason: string }>(
    body: z.ZodType<B>,
    action: string,
    summary: string,
    toOperation: (body: B) => { operation: OperationInput; expectedTransition?: number },
  ): RouteDef {
    return route<B>({
      method: 'post',
      path: `/api/attempts/:id/${action}`,
      summary,
      tag: 'operate',
      access: OPERATORS,
      body,
      response: OperationApplied,
      errors,
      idempotent: true,
      async handle({ params, body: sent, user, idempotencyKey }) {
        const row = await attempt(user, params.id);
        const { operation, expectedTransition } = toOperation(sent);
        return sendOperation(deps, user, row, operation, {
          reason: sent.reason,
          operationId: operationIdFor(user, idempotencyKey),
          ...(expectedTransition !== undefined ? { expectedTransition } : {}),
        });
      },
    });
  }

  return [
    repair(CancelBody, 'cancel', 'Cancel a running attempt with an outcome: its open tasks are cancelled and its timers stopped', (b) => ({
      operation: { type: 'cancel_attempt', outcome: b.outcome },
    })),
    repair(MoveBody, 'move', 'Move an attempt from one of its current steps to another step of its version (skip a stuck step, send it back)', (b) => ({
      operation: { type: 'move_step', fromStepId: b.fromStepId, toNodeId: b.toNodeId },
      expectedTransition: b.expectedTransition,
    })),
    repair(VariableBody, 'variables', "Change one of a running attempt's variables (never a system name; typed as the start node declares)", (b) => ({
      operation: { type: 'set_variable', name: b.name, value: b.value },
    })),
    ...(['retry', 'skip'] as const).map((action) =>
      route<z.infer<typeof IncidentBody>>({
        method: 'post',
        path: `/api/attempts/:id/incidents/:incidentId/${action}`,
        summary:
          action === 'retry'
            ? 'Retry the write an incident is about (after fixing its cause)'
            : "Go on without the write an incident is about: that transition's rows are not written (audited with the reason)",
        tag: 'operate',
        access: OPERATORS,
        body: IncidentBody,
        response: IncidentResolved,
        errors: { 404: 'no such attempt', 409: 'the incident is not open' },
        idempotent: true,
        async handle({ params, body, user, idempotencyKey }) {
          const row = await attempt(user, params.id);
          return resolveIncident(deps, user, row, params.incidentId, action, body.reason, operationIdFor(user, idempotencyKey, 'incident'));
        },
      }),
    ),
    route<z.infer<typeof MigrationBody>>({
      method: 'post',
      path: '/api/attempts/:id/migration/dry-run',
      summary: 'Dry run of moving an attempt to another published version: per step, what happens, and the replay proof',
      tag: 'operate',
      access: OPERATORS,
      body: MigrationBody,
      safe: true,
      response: MigrationVerdict,
      errors: { 404: 'no such attempt or version' },
      async handle({ params, body, user }) {
        const row = await attempt(user, params.id);
        return dryRunMigration(deps, user, row, await migrationTarget(deps, row, body.toVersion, body.mapping));
      },
    }),
    route<z.infer<typeof MigrateBody>>({
      method: 'post',
      path: '/api/attempts/:id/migrate',
      summary: 'Move an attempt to another published version: proven first (as the dry run), then applied through the workflow; all or nothing',
      tag: 'operate',
      access: OPERATORS,
      body: MigrateBody,
      response: OperationApplied,
      errors: { 404: 'no such attempt or version', 409: 'not proven (the verdict in details) or refused by the runtime' },
      idempotent: true,
      async handle({ params, body, user, idempotencyKey }) {
        const row = await attempt(user, params.id);
        const target = await migrationTarget(deps, row, body.toVersion, body.mapping);
        const verdict = await dryRunMigration(deps, user, row, target);
        if (!verdict.canMove)
          throw conflict(verdict.refusal?.code ?? 'migration_not_proven', verdict.refusal?.reason ?? 'the migration is not proven', { verdict });
        if (body.expectedTransition !== undefined && body.expectedTransition !== verdict.transition) {
          throw conflict('attempt_moved', 'the attempt has moved since your dry run: run it again', { verdict });
        }
        return sendOperation(
          deps,
          user,
          row,
          {
            type: 'migrate',
            to: { playbook: { key: row.playbook_key, version: target.toVersion, name: target.toName }, plan: target.toPlan },
            mapping: target.mapping,
          },
          { reason: body.reason, operationId: operationIdFor(user, idempotencyKey, 'migrate'), expectedTransition: verdict.transition ?? undefined },
        );
      },
    }),
    ...batchRoutes(deps),
  ];
}
