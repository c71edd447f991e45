import type { Pool, PoolClient } from 'pg';
import { ensureAttemptRow } from '../platform/db/attempts';
import { recordAudit } from '../platform/db/audit';
import { inTransaction } from '../platform/db/pool';
import { loadConfig } from '../platform/config';
import { PersistTransitionShape, type Activities, type AttemptIdentity, type PersistTransitionInput } from '../workflows/activityContract';
import { applyEffect } from './effects';
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
    async persistTransition(input: PersistTransitionInput): Promise<void> {
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
        await client.query(
          `UPDATE recovery_attempts SET current_node_ids = $2, variables = $3, last_transition = $4
           WHERE id = $1 AND last_transition < $4`,
          [attempt.attemptId, input.currentNodeIds, JSON.stringify(input.variables), input.transition],
        );
      });
    },
  };
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
