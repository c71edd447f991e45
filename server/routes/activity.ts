import { isDeepStrictEqual } from 'node:util';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { z } from 'zod';
import { ActivityBody, ActivityKind, ActivityList, ActivityRecorded } from '../../contract/activity';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { publishedRiskRules } from '../../platform/db/riskFacts';
import { TASK_QUEUE } from '../../workflows/contract';
import { RISK_WORKFLOW_TYPE, type RiskEvaluationInput } from '../../workflows/riskContract';
import { reachableCustomer } from '../access';
import type { Deps } from '../deps';
import { conflict } from '../errors';
import { admitStarts, START_BACKLOG_ERROR } from '../startGate';
import { reply, route, type RouteDef } from '../http';

const ListQuery = z.object({
  kind: ActivityKind.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Kinds that count as the customer being seen (the file's last_seen_at). */
const SEEN = new Set(['visit', 'service', 'order']);

export function activityView(r: Record<string, unknown>) {
  return {
    id: String(r.id),
    customerId: r.customer_id,
    kind: r.kind,
    source: r.source,
    externalId: r.external_id,
    occurredAt: (r.occurred_at as Date).toISOString(),
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency,
    details: r.details,
    recordedBy: r.recorded_by,
    recordedAt: (r.recorded_at as Date).toISOString(),
  };
}

/** The same report again: same customer, kind, time, amount, currency and details. */
function sameReport(stored: Record<string, unknown>, customerId: string, body: z.infer<typeof ActivityBody>): boolean {
  return (
    stored.customer_id === customerId &&
    stored.kind === body.kind &&
    (stored.occurred_at as Date).getTime() === Date.parse(body.occurredAt) &&
    (stored.amount === null ? null : Number(stored.amount)) === body.amount &&
    stored.currency === body.currency &&
    isDeepStrictEqual(stored.details, body.details)
  );
}

/**
 * What customers do, as other systems report it: visits, services, orders, payments, complaints,
 * contacts. Idempotent by (source, externalId): a repeat answers 200 with the stored row; the same
 * id with other content is 409 `activity_conflict`. A complaint runs the rules for that customer at
 * once (an evaluation of one customer), so the complaint playbook need not wait for the night.
 */
export function activityRoutes(deps: Deps): RouteDef[] {
  const { pool, temporal, log } = deps;
  return [
    route<z.infer<typeof ActivityBody>>({
      method: 'post',
      path: '/api/customers/:id/activity',
      summary: 'Record what a customer did (visit, service, order, payment, complaint, contact), idempotently by source and external id',
      tag: 'customers',
      response: ActivityRecorded,
      success: [200, 201],
      access: ['ops_manager', 'admin'],
      body: ActivityBody,
      errors: { 404: 'no such customer', 409: 'this source and external id were recorded with other content', 503: START_BACKLOG_ERROR },
      async handle({ params, body, user }) {
        const customer = await reachableCustomer(pool, user, params.id);
        // A complaint starts an evaluation (and through it attempts): refused before the activity is
        // stored, so the sender's retry records it and starts it together, never one without the other.
        const startsEvaluation = body.kind === 'complaint' && (await publishedRiskRules(pool)).rules.complaint.enabled;
        if (startsEvaluation) await admitStarts(deps);
        const outcome = await inTransaction(pool, async (db) => {
          const inserted = await db.query(
            `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency, details, recorded_by)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (source, external_id) DO NOTHING RETURNING *`,
            [customer.id, body.kind, body.source, body.externalId, body.occurredAt, body.amount, body.currency, JSON.stringify(body.details), user.id],
          );
          if (!inserted.rows[0]) {
            const stored = (await db.query('SELECT * FROM customer_activity WHERE source = $1 AND external_id = $2', [body.source, body.externalId])).rows[0];
            if (!sameReport(stored, customer.id, body))
              throw conflict('activity_conflict', `activity ${body.source}/${body.externalId} was already recorded with other content`, {
                stored: activityView(stored),
              });
            return { status: 200, row: stored };
          }
          if (SEEN.has(body.kind))
            await db.query('UPDATE customers SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id = $1', [customer.id, body.occurredAt]);
          await recordAudit(db, {
            actorId: user.id,
            action: 'activity_recorded',
            subject: customer.id,
            details: { kind: body.kind, source: body.source, externalId: body.externalId, occurredAt: body.occurredAt },
          });
          return { status: 201, row: inserted.rows[0] };
        });
        let evaluation: string | null = null;
        if (outcome.status === 201 && startsEvaluation) {
          evaluation = `risk-evaluation/complaint/${customer.id}/${String(outcome.row.id)}`;
          try {
            await temporal.workflow.start(RISK_WORKFLOW_TYPE, {
              taskQueue: TASK_QUEUE,
              workflowId: evaluation,
              args: [{ reason: 'complaint', customerIds: [customer.id] } satisfies RiskEvaluationInput],
            });
          } catch (err) {
            // Stored either way; the daily evaluation sees the complaint if this start did not happen.
            if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
              log.warn({ err: String(err), customerId: customer.id }, 'complaint evaluation not started; the schedule will pick it up');
              evaluation = null;
            }
          }
        }
        return reply(outcome.status, { ...activityView(outcome.row), evaluation });
      },
    }),
    route<undefined, z.infer<typeof ListQuery>>({
      method: 'get',
      path: '/api/customers/:id/activity',
      summary: "The customer's recorded activity, newest first",
      tag: 'customers',
      response: ActivityList,
      access: 'signed_in',
      query: ListQuery,
      errors: { 404: 'no such customer' },
      async handle({ params, query, user }) {
        const customer = await reachableCustomer(pool, user, params.id);
        const { rows } = await pool.query(
          `SELECT * FROM customer_activity WHERE customer_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY occurred_at DESC, id DESC LIMIT $3`,
          [customer.id, query.kind ?? null, query.limit],
        );
        return { activity: rows.map(activityView) };
      },
    }),
  ];
}
