import { Context } from '@temporalio/activity';
import pLimit from 'p-limit';
import type { Pool } from 'pg';
import type { BatchActivities, BatchPage } from '../../workflows/batchContract';
import type { Deps } from '../deps';
import { ApiError } from '../errors';
import type { SessionUser } from '../http';
import { resolveIncident, sendOperation, type AttemptRow } from './operations';
import { dryRunMigration, migrationTarget } from './proof';

/** How many attempts one API process works on at once in a batch: each is an Update (and a replay for migrations). */
const CONCURRENCY = 8;

interface BatchRow {
  id: string;
  kind: 'cancel_attempt' | 'migrate' | 'dry_run_migrate' | 'retry_incident';
  to_version: number | null;
  params: { mapping?: Record<string, string>; outcome?: string };
  reason: string;
  created_by: string;
}

type Verdict = { status: 'done' | 'refused' | 'failed'; verdict: unknown };

/** The batch's author, as they are now: a batch acts with their role and department reach. */
async function author(pool: Pool, userId: string): Promise<SessionUser> {
  const { rows } = await pool.query<{ id: string; username: string; display_name: string; role: SessionUser['role']; department_id: string | null }>(
    'SELECT id, username, display_name, role, department_id FROM users WHERE id = $1',
    [userId],
  );
  const u = rows[0];
  if (!u) throw new Error(`the batch's author ${userId} no longer exists`);
  return { id: u.id, username: u.username, displayName: u.display_name, role: u.role, department: u.department_id };
}

/** One attempt of a batch: the operation, keyed by batch and attempt so a retried page applies it once. */
async function runItem(deps: Deps, user: SessionUser, batch: BatchRow, row: AttemptRow & { customer_name: string }): Promise<Verdict> {
  const operationId = `batch:${batch.id}:${row.id}`;
  try {
    switch (batch.kind) {
      case 'cancel_attempt': {
        const applied = await sendOperation(
          deps,
          user,
          row,
          { type: 'cancel_attempt', outcome: batch.params.outcome ?? 'cancelled' },
          { reason: batch.reason, operationId },
        );
        return { status: 'done', verdict: { applied } };
      }
      case 'retry_incident': {
        const { rows } = await deps.pool.query<{ incident_id: string }>(
          'SELECT incident_id FROM attempt_incidents WHERE attempt_id = $1 AND resolved_at IS NULL ORDER BY opened_at DESC LIMIT 1',
          [row.id],
        );
        if (!rows[0]) return { status: 'refused', verdict: { refusal: { code: 'no_open_incident', reason: 'the attempt has no open incident' } } };
        const resolved = await resolveIncident(deps, user, row, rows[0].incident_id, 'retry', batch.reason, operationId);
        return { status: 'done', verdict: { resolved } };
      }
      case 'dry_run_migrate':
      case 'migrate': {
        if (row.playbook_version === batch.to_version) return { status: 'done', verdict: { alreadyThere: true, toVersion: batch.to_version } };
        const target = await migrationTarget(deps, row, batch.to_version!, batch.params.mapping ?? {});
        const proof = await dryRunMigration(deps, user, row, target);
        if (!proof.canMove || batch.kind === 'dry_run_migrate') return { status: proof.canMove ? 'done' : 'refused', verdict: proof };
        const applied = await sendOperation(
          deps,
          user,
          row,
          {
            type: 'migrate',
            to: { playbook: { key: row.playbook_key, version: target.toVersion, name: target.toName }, plan: target.toPlan },
            mapping: target.mapping,
          },
          { reason: batch.reason, operationId, expectedTransition: proof.transition ?? undefined },
        );
        // The proof predicted where the attempt would be; the workflow says where it is.
        const asPredicted = JSON.stringify(applied.effects.after) === JSON.stringify(proof.effects?.after);
        return { status: 'done', verdict: { ...proof, applied, asPredicted } };
      }
    }
  } catch (err) {
    // Temporal away: let the page fail and be retried (the attempts already done are skipped).
    if (err instanceof ApiError && err.status === 503) throw err;
    if (err instanceof ApiError) return { status: 'refused', verdict: { refusal: { code: err.code, reason: err.message, details: err.details ?? null } } };
    return { status: 'failed', verdict: { error: String(err) } };
  }
}

export function batchActivities(deps: Deps): BatchActivities {
  const { pool } = deps;
  return {
    async runBatchPage(page: BatchPage) {
      const { rows: batches } = await pool.query<BatchRow>('SELECT * FROM attempt_batches WHERE id = $1', [page.batchId]);
      const batch = batches[0];
      if (!batch) return { processed: 0, remaining: 0 };
      const user = await author(pool, batch.created_by);
      const { rows: items } = await pool.query<AttemptRow & { customer_name: string }>(
        `SELECT a.*, c.name AS customer_name FROM attempt_batch_items i
           JOIN recovery_attempts a ON a.id = i.attempt_id JOIN customers c ON c.id = a.customer_id
          WHERE i.batch_id = $1 AND i.status = 'pending' ORDER BY a.id LIMIT $2`,
        [batch.id, page.size],
      );
      const limit = pLimit(CONCURRENCY);
      let processed = 0;
      await Promise.all(
        items.map((row) =>
          limit(async () => {
            const result = await runItem(deps, user, batch, row);
            await pool.query(
              `UPDATE attempt_batch_items SET status = $3, verdict = $4, finished_at = now() WHERE batch_id = $1 AND attempt_id = $2 AND status = 'pending'`,
              [batch.id, row.id, result.status, JSON.stringify(result.verdict)],
            );
            Context.current().heartbeat(++processed);
          }),
        ),
      );
      const { rows: left } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM attempt_batch_items WHERE batch_id = $1 AND status = 'pending'", [
        batch.id,
      ]);
      return { processed, remaining: left[0].n };
    },
    async finishBatch({ batchId }) {
      await pool.query('UPDATE attempt_batches SET finished_at = now() WHERE id = $1 AND finished_at IS NULL', [batchId]);
    },
  };
}
