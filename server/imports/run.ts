import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import { problemsFromZod } from '../../playbooks/problems';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { applyActivityBatch, applyCustomerBatch, type BatchOutcome } from './apply';
import { ROW_SCHEMAS, type ActivityRow, type CustomerRow, type ImportKind } from './rows';
import { ByteCounter, csvRows, jsonLines, type SourceRow } from './source';

/** Rows per statement: large enough for speed, small enough that a progress update comes every fraction of a second. */
export const BATCH_ROWS = 1000;
/** The report keeps this many row errors; the count goes on. */
export const MAX_STORED_ERRORS = 1000;

export interface ImportJob {
  id: string;
  kind: ImportKind;
  format: 'csv' | 'jsonl';
  startedBy: string;
}

type RowProblem = { line: number; path: string; code: string; message: string };

/**
 * Streams a file into the database: rows parsed as they arrive, checked one by one, applied in
 * batches (one transaction per batch, with its progress, its row errors and its audit row), so the
 * job's progress and error report can be read while it runs. A batch the database refuses as a whole
 * (which checking should prevent) is retried row by row, each in its own savepoint, so one bad row
 * costs that row only. Departments and account managers are checked against the directory up front.
 */
export async function runImport(pool: Pool, job: ImportJob, input: Readable): Promise<void> {
  const counter = new ByteCounter();
  const rows: AsyncGenerator<SourceRow> = job.format === 'csv' ? csvRows(counter) : jsonLines(counter);
  const piping = pipeline(input, counter).catch((err: unknown) => {
    counter.destroy(err as Error);
  });
  const departments = new Set((await pool.query<{ id: string }>('SELECT id FROM departments')).rows.map((r) => r.id));
  const users = new Set((await pool.query<{ id: string }>('SELECT id FROM users WHERE active')).rows.map((r) => r.id));
  const schema = ROW_SCHEMAS[job.kind];
  let batch: { line: number; row: ActivityRow | CustomerRow }[] = [];
  let problems: RowProblem[] = [];
  let read = 0;
  let stored = 0;
  let inflight: Promise<void> = Promise.resolve();

  const flush = async (rowsNow: typeof batch, problemsNow: RowProblem[], readNow: number, bytesNow: number) => {
    await inTransaction(pool, async (db) => {
      const outcome = rowsNow.length ? await applySafely(db, job, rowsNow) : { applied: 0, unchanged: 0, problems: [] };
      const all = [...problemsNow, ...outcome.problems];
      const keep = all.slice(0, Math.max(0, MAX_STORED_ERRORS - stored));
      stored += keep.length;
      if (keep.length) {
        await db.query(
          `INSERT INTO import_row_errors (job_id, row_number, path, code, message)
           SELECT $1, e.line, e.path, e.code, e.message FROM jsonb_to_recordset($2::jsonb) AS e(line int, path text, code text, message text)
           ON CONFLICT DO NOTHING`,
          [job.id, JSON.stringify(keep)],
        );
      }
      await db.query(
        `UPDATE import_jobs SET bytes_read = $2, rows_read = $3, rows_applied = rows_applied + $4, rows_unchanged = rows_unchanged + $5,
                rows_failed = rows_failed + $6 WHERE id = $1`,
        [job.id, bytesNow, readNow, outcome.applied, outcome.unchanged, new Set(all.map((e) => e.line)).size],
      );
      if (outcome.applied)
        await recordAudit(db, {
          actorId: job.startedBy,
          action: job.kind === 'activity' ? 'activity_imported' : 'customers_imported',
          subject: job.id,
          details: { rows: outcome.applied, fromLine: rowsNow[0]?.line ?? null, toLine: rowsNow.at(-1)?.line ?? null },
        });
    });
  };

  try {
    for await (const r of rows) {
      read++;
      if ('problem' in r) problems.push({ line: r.line, path: r.problem.path, code: 'unreadable_row', message: r.problem.message });
      else {
        const parsed = schema.safeParse(r.record);
        if (!parsed.success) {
          for (const p of problemsFromZod(parsed.error.issues)) problems.push({ line: r.line, path: p.path.join('.'), code: p.code, message: p.message });
        } else {
          const directoryProblem = checkDirectory(job.kind, parsed.data, departments, users);
          if (directoryProblem) problems.push({ line: r.line, ...directoryProblem });
          else batch.push({ line: r.line, row: parsed.data });
        }
      }
      if (batch.length >= BATCH_ROWS || problems.length >= BATCH_ROWS) {
        // One batch in the database while the next is parsed and checked: the two overlap, and
        // batches still commit in file order (each waits for the one before).
        await inflight;
        inflight = flush(batch, problems, read, counter.bytes);
        // Handled here so a failure waits, unreported, for the await above (never an unhandled rejection).
        inflight.catch(() => undefined);
        batch = [];
        problems = [];
      }
    }
    await inflight;
    await flush(batch, problems, read, counter.bytes);
    await piping;
    await pool.query("UPDATE import_jobs SET status = 'completed', bytes_read = $2, rows_read = $3, finished_at = now() WHERE id = $1", [
      job.id,
      counter.bytes,
      read,
    ]);
  } catch (err) {
    await inflight.catch(() => undefined);
    // What was applied stays applied (each batch committed whole); the job says where it stopped and why.
    await pool.query("UPDATE import_jobs SET status = 'failed', failure = $2, bytes_read = $3, rows_read = $4, finished_at = now() WHERE id = $1", [
      job.id,
      (err as Error).message.slice(0, 1000),
      counter.bytes,
      read,
    ]);
    throw err;
  }
}

function checkDirectory(kind: ImportKind, row: ActivityRow | CustomerRow, departments: Set<string>, users: Set<string>) {
  if (kind !== 'customers') return null;
  const c = row as CustomerRow;
  if (c.department && !departments.has(c.department)) return { path: 'department', code: 'unknown_department', message: `no department ${c.department}` };
  if (c.account_manager && !users.has(c.account_manager))
    return { path: 'account_manager', code: 'unknown_user', message: `no active user ${c.account_manager}` };
  return null;
}

async function apply(db: PoolClient, job: ImportJob, rows: { line: number; row: ActivityRow | CustomerRow }[]): Promise<BatchOutcome> {
  return job.kind === 'activity'
    ? applyActivityBatch(db, job.startedBy, rows as { line: number; row: ActivityRow }[])
    : applyCustomerBatch(db, job.startedBy, job.id, rows as { line: number; row: CustomerRow }[]);
}

async function applySafely(db: PoolClient, job: ImportJob, rows: { line: number; row: ActivityRow | CustomerRow }[]): Promise<BatchOutcome> {
  await db.query('SAVEPOINT batch');
  try {
    const outcome = await apply(db, job, rows);
    await db.query('RELEASE SAVEPOINT batch');
    return outcome;
  } catch {
    await db.query('ROLLBACK TO SAVEPOINT batch');
  }
  const total: BatchOutcome = { applied: 0, unchanged: 0, problems: [] };
  for (const r of rows) {
    await db.query('SAVEPOINT one_row');
    try {
      const one = await apply(db, job, [r]);
      await db.query('RELEASE SAVEPOINT one_row');
      total.applied += one.applied;
      total.unchanged += one.unchanged;
      total.problems.push(...one.problems);
    } catch (err) {
      await db.query('ROLLBACK TO SAVEPOINT one_row');
      total.problems.push({ line: r.line, path: '', code: 'refused_by_database', message: (err as Error).message });
    }
  }
  return total;
}
