import type { Pool, PoolClient } from 'pg';
import { z } from 'zod';
import type { Command, Json } from '../playbooks/runtime/types';
import { ensureAttemptRow, type AttemptIdentity } from '../server/db/attempts';
import { recordAudit } from '../server/db/audit';
import { inTransaction } from '../server/db/pool';
import { loadConfig } from '../server/config';
import { applyEffect } from './effects';

export interface PersistTransitionInput {
  attempt: AttemptIdentity;
  /** Monotonic per attempt: a retried or replayed transition never moves the row backwards. */
  transition: number;
  commands: Command[];
  currentNodeIds: string[];
  variables: Record<string, Json>;
}

const PersistTransitionShape = z.object({
  attempt: z.object({ attemptId: z.uuid(), workflowId: z.string(), customerId: z.string(), playbookKey: z.string(), playbookVersion: z.number().int(), startedBy: z.string(), firstRunId: z.string().optional() }),
  transition: z.number().int().positive(),
  commands: z.array(z.object({ type: z.string() }).loose()),
  currentNodeIds: z.array(z.string()),
  variables: z.record(z.string(), z.unknown()),
});

/**
 * The only code that writes PostgreSQL on behalf of a workflow. Each transition is written in one
 * transaction and every statement is keyed (attempt + task key, status guards), so a retry after a
 * crash or a Postgres restart applies nothing twice.
 */
export interface ActivityOptions {
  linkSecret: string;
  publicUrl: string;
}

export function createActivities(pool: Pool, opts: ActivityOptions = fromConfig()) {
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
        await client.query(
          `UPDATE recovery_attempts SET current_node_ids = $2, variables = $3, last_transition = $4
           WHERE id = $1 AND last_transition < $4`,
          [attempt.attemptId, input.currentNodeIds, JSON.stringify(input.variables), input.transition],
        );
      });
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

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
