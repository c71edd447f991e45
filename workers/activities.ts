import type { Pool, PoolClient } from 'pg';
import { ensureAttemptRow } from '../platform/db/attempts';
import { recordAudit } from '../platform/db/audit';
import { inTransaction } from '../platform/db/pool';
import { loadConfig } from '../platform/config';
import { PersistTransitionShape, type Activities, type AttemptIdentity, type PersistTransitionInput } from '../workflows/activityContract';
import { applyEffect } from './effects';
import { asIncident, incidentActivities } from './incidents';
import { logSteps } from './stepLog';

/**
 * The only code that writes PostgreSQL on behalf of a workflow. Each transition is written in one
 * transaction and every statement is keyed (attempt + task key, status guards), so a retry after a
 * crash or a Postgres restart applies nothing twice.
 */
export interface ActivityOptions {
  linkSecret: string;
  publicUrl: string;
}

export function createActivities(pool: Pool, opts: ActivityOptions = fromConfig()): Activities {
  return {
    ...incidentActivities(pool),
    persistTransition: persisted,
    async storeTransition(input: PersistTransitionInput): Promise<PersistTransitionInput> {
      await persisted(input);
      return input;
    },
  };

  /** A write PostgreSQL refuses by its rules becomes an incident (workers/incidents.ts); anything else is retried. */
  async function persisted(input: PersistTransitionInput): Promise<void> {
    try {
      await persist(input);
    } catch (err) {
      throw asIncident(err);
    }
  }

  async function persist(input: PersistTransitionInput): Promise<void> {
    PersistTransitionShape.parse(input);
    const { attempt } = input;
    await inTransaction(pool, async (client) => {
      await ensureAttemptRow(client, attempt);
      // The start is audited by the attempt's first transition, in its transaction, so the row
      // exists however the starting API fared; the guard keeps a redelivered transition from adding one.
      if (input.transition === 1) await auditRunStarted(client, attempt);
      const ctx = { client, attempt, variables: input.variables, linkSecret: opts.linkSecret, publicUrl: opts.publicUrl };
      for (const cmd of input.commands) await applyEffect(ctx, cmd);
      await logSteps(client, attempt, input.commands);
      // waits stays as it was when an older worker (which does not send it) stores a transition.
      await client.query(
        `UPDATE recovery_attempts SET current_node_ids = $2, variables = $3, last_transition = $4,
                  waits = COALESCE($5::jsonb, waits),
                  waiting_since = CASE WHEN $5::jsonb IS NULL THEN waiting_since ELSE (SELECT to_timestamp(min((w->>'since')::double precision) / 1000.0) FROM jsonb_array_elements($5::jsonb) w) END
           WHERE id = $1 AND last_transition < $4`,
        [attempt.attemptId, input.currentNodeIds, JSON.stringify(input.variables), input.transition, input.waits ? JSON.stringify(input.waits) : null],
      );
    });
  }
}

async function auditRunStarted(client: PoolClient, attempt: AttemptIdentity): Promise<void> {
  const seen = await client.query("SELECT 1 FROM audit_log WHERE attempt_id = $1 AND action = 'run_started' LIMIT 1", [attempt.attemptId]);
  if (seen.rows[0]) return;
  await recordAudit(client, {
    actorId: attempt.startedBy,
    action: 'run_started',
    attemptId: attempt.attemptId,
    subject: attempt.workflowId,
    details: { playbookKey: attempt.playbookKey, version: attempt.playbookVersion, temporalRunId: attempt.firstRunId ?? null },
  });
}

function fromConfig(): ActivityOptions {
  const config = loadConfig();
  return { linkSecret: config.LINK_SECRET, publicUrl: config.PUBLIC_URL };
}
