import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { ZodError } from 'zod';
import { recordAudit } from '../platform/db/audit';
import { inTransaction } from '../platform/db/pool';
import { INCIDENT_FAILURE, IncidentRecordShape, IncidentSettlementShape, type IncidentRecord, type IncidentSettlement } from '../workflows/activityContract';

/**
 * Which failures of a write are incidents. PostgreSQL being away (connection refused, shut down,
 * a serialization conflict) passes: retrying helps. A write it refuses by its rules (a value out of
 * range or too long, a check or a reference that fails, a column that does not exist) or an input
 * the activity contract refuses fails the same way every time: retrying it for ever would hide it,
 * so it fails at once as an incident the operator sees.
 */
const REFUSED_CLASSES = ['22', '23', '42'];

export function asIncident(err: unknown): unknown {
  if (err instanceof ZodError) {
    return ApplicationFailure.create({
      type: INCIDENT_FAILURE,
      message: `the transition is not valid: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      details: [{ code: 'invalid_input' }],
      nonRetryable: true,
    });
  }
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && REFUSED_CLASSES.includes(code.slice(0, 2))) {
    return ApplicationFailure.create({
      type: INCIDENT_FAILURE,
      message: `PostgreSQL refused the write (${code}): ${(err as Error).message}`,
      details: [{ code }],
      nonRetryable: true,
    });
  }
  return err;
}

export function incidentActivities(pool: Pool) {
  return {
    async recordIncident(input: IncidentRecord): Promise<void> {
      IncidentRecordShape.parse(input);
      const { attempt, incident } = input;
      await inTransaction(pool, async (client) => {
        const opened = await client.query(
          `INSERT INTO attempt_incidents (incident_id, attempt_id, code, message, node_ids, transition, opened_at)
           SELECT $1, $2, $3, $4, $5, $6, to_timestamp($7 / 1000.0)
            WHERE EXISTS (SELECT 1 FROM recovery_attempts WHERE id = $2)
           ON CONFLICT (incident_id) DO NOTHING`,
          [incident.incidentId, attempt.attemptId, incident.code, incident.message.slice(0, 4000), incident.nodeIds, incident.transition, incident.at],
        );
        if (opened.rowCount) {
          await recordAudit(client, {
            actorId: null,
            action: 'incident_opened',
            attemptId: attempt.attemptId,
            subject: incident.incidentId,
            details: { code: incident.code, message: incident.message.slice(0, 1000), nodeIds: incident.nodeIds },
          });
        }
      });
    },
    async settleIncident(input: IncidentSettlement): Promise<void> {
      IncidentSettlementShape.parse(input);
      await inTransaction(pool, async (client) => {
        const settled = await client.query(
          `UPDATE attempt_incidents SET resolved_at = now(), resolution = $2, resolved_by = $3, resolution_reason = $4
            WHERE incident_id = $1 AND resolved_at IS NULL`,
          [input.incidentId, input.action, input.actor.userId, input.reason],
        );
        if (settled.rowCount) {
          await recordAudit(client, {
            actorId: input.actor.userId,
            action: input.action === 'retry' ? 'incident_retried' : 'incident_skipped',
            attemptId: input.attempt.attemptId,
            subject: input.incidentId,
            details: { reason: input.reason },
          });
        }
      });
    },
  };
}
