import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Batch, BatchBody, BatchCreated, BatchDetail, BatchList } from '../../contract/operate';
import { OPERATORS } from '../../contract/roles';
import { recordAudit } from '../../platform/db/audit';
import { inTransaction } from '../../platform/db/pool';
import { BATCH_WORKFLOW_TYPE, OPERATIONS_TASK_QUEUE, type AttemptBatchInput } from '../../workflows/batchContract';
import type { Deps } from '../deps';
import { invalid, notFound } from '../errors';
import { reply, route, type RouteDef } from '../http';
import { Params } from '../inbox/query';
import { attemptInReach } from '../access';
import { attemptIdsMatching } from '../operate/list';

/** The most attempts one batch takes on (the bound; a bigger filter is refused, not cut short). */
export const MAX_BATCH = 10_000;

const BatchQuery = z.object({
  status: z.enum(['pending', 'done', 'refused', 'failed']).optional(),
  offset: z.coerce.number().int().min(0).max(MAX_BATCH).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const BATCH_COLUMNS = `b.*, (SELECT json_build_object(
    'pending', count(*) FILTER (WHERE i.status = 'pending'), 'done', count(*) FILTER (WHERE i.status = 'done'),
    'refused', count(*) FILTER (WHERE i.status = 'refused'), 'failed', count(*) FILTER (WHERE i.status = 'failed'))
  FROM attempt_batch_items i WHERE i.batch_id = b.id) AS progress`;

function batchView(r: Record<string, unknown>): z.infer<typeof Batch> {
  return {
    id: String(r.id),
    kind: r.kind as z.infer<typeof Batch>['kind'],
    playbookKey: (r.playbook_key as string | null) ?? null,
    fromVersion: (r.from_version as number | null) ?? null,
    toVersion: (r.to_version as number | null) ?? null,
    reason: String(r.reason),
    createdBy: String(r.created_by),
    createdAt: (r.created_at as Date).toISOString(),
    finishedAt: r.finished_at ? (r.finished_at as Date).toISOString() : null,
    total: Number(r.total),
    progress: r.progress as z.infer<typeof Batch>['progress'],
  };
}

/**
 * Batches: cancel, dry-run, migrate or retry incidents over a filter or a selection of up to 10,000
 * attempts. The attempts are fixed when the batch is made (what the operator saw listed), each
 * verdict lands in attempt_batch_items as it is reached, and a Temporal workflow drives the pages,
 * so a restarted API carries on where it was.
 */
export function batchRoutes(deps: Deps): RouteDef[] {
  const { pool } = deps;
  return [
    route<z.infer<typeof BatchBody>>({
      method: 'post',
      path: '/api/operate/batches',
      summary: 'Start a batch (cancel, dry-run migration, migration, retry incidents) over a filter or a selection of attempts',
      tag: 'operate',
      access: OPERATORS,
      body: BatchBody,
      response: BatchCreated,
      success: [202],
      errors: { 400: 'no attempts, too many, or a selection out of reach or of several playbooks' },
      async handle({ body, user }) {
        let ids: string[];
        if (body.filter) {
          ids = await attemptIdsMatching(pool, user, body.filter, MAX_BATCH + 1);
          if (ids.length > MAX_BATCH)
            throw invalid([{ code: 'too_many', message: `the filter matches more than ${MAX_BATCH} attempts: narrow it`, path: ['filter'] }]);
        } else {
          const p = new Params();
          const { rows } = await pool.query<{ id: string }>(
            `SELECT a.id FROM recovery_attempts a WHERE a.id = ANY(${p.add([...new Set(body.attemptIds)])}::uuid[]) AND ${attemptInReach(user, p)}`,
            p.values,
          );
          const found = new Set(rows.map((r) => r.id));
          const missing = body.attemptIds!.map((id, i) => [id, i] as const).filter(([id]) => !found.has(id));
          if (missing.length)
            throw invalid(missing.map(([, i]) => ({ code: 'not_found', message: 'no such attempt (or out of your reach)', path: ['attemptIds', i] })));
          ids = [...found];
        }
        if (!ids.length) throw invalid([{ code: 'no_attempts', message: 'no attempt matches', path: body.filter ? ['filter'] : ['attemptIds'] }]);
        const { rows: keys } = await pool.query<{ playbook_key: string; versions: number[] }>(
          'SELECT playbook_key, array_agg(DISTINCT playbook_version) AS versions FROM recovery_attempts WHERE id = ANY($1::uuid[]) GROUP BY playbook_key',
          [ids],
        );
        const migrating = body.kind === 'migrate' || body.kind === 'dry_run_migrate';
        if (migrating && keys.length > 1) {
          throw invalid([
            {
              code: 'several_playbooks',
              message: `a migration moves attempts of one playbook; these are of ${keys.map((k) => k.playbook_key).join(', ')}`,
              path: ['filter'],
            },
          ]);
        }
        if (migrating) {
          const { rowCount } = await pool.query('SELECT 1 FROM playbook_versions WHERE playbook_key = $1 AND version = $2', [
            keys[0].playbook_key,
            body.toVersion,
          ]);
          if (!rowCount)
            throw invalid([{ code: 'unknown_version', message: `${keys[0].playbook_key} has no published version ${body.toVersion}`, path: ['toVersion'] }]);
        }
        const id = randomUUID();
        await inTransaction(pool, async (db) => {
          await db.query(
            `INSERT INTO attempt_batches (id, kind, playbook_key, from_version, to_version, params, reason, created_by, total)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [
              id,
              body.kind,
              keys.length === 1 ? keys[0].playbook_key : null,
              keys.length === 1 && keys[0].versions.length === 1 ? keys[0].versions[0] : null,
              migrating ? body.toVersion : null,
              JSON.stringify({ mapping: body.mapping, outcome: body.outcome }),
              body.reason,
              user.id,
              ids.length,
            ],
          );
          await db.query('INSERT INTO attempt_batch_items (batch_id, attempt_id) SELECT $1, unnest($2::uuid[])', [id, ids]);
          await recordAudit(db, {
            actorId: user.id,
            action: 'batch_started',
            subject: id,
            details: { kind: body.kind, total: ids.length, toVersion: body.toVersion ?? null, reason: body.reason },
          });
          // Started inside the transaction: if Temporal refuses, no batch row is left without its driver.
          await deps.temporal.workflow.start(BATCH_WORKFLOW_TYPE, {
            taskQueue: OPERATIONS_TASK_QUEUE,
            workflowId: `batch/${id}`,
            args: [{ batchId: id } satisfies AttemptBatchInput],
          });
        });
        return reply(202, { id, total: ids.length });
      },
    }),
    route({
      method: 'get',
      path: '/api/operate/batches',
      summary: 'The latest batches with their progress',
      tag: 'operate',
      access: [...OPERATORS, 'auditor'],
      response: BatchList,
      async handle() {
        const { rows } = await pool.query(`SELECT ${BATCH_COLUMNS} FROM attempt_batches b ORDER BY b.created_at DESC LIMIT 50`);
        return { batches: rows.map(batchView) };
      },
    }),
    route<unknown, z.infer<typeof BatchQuery>>({
      method: 'get',
      path: '/api/operate/batches/:id',
      summary: "A batch's progress and its per-attempt verdicts (a page of them)",
      tag: 'operate',
      access: [...OPERATORS, 'auditor'],
      query: BatchQuery,
      response: BatchDetail,
      errors: { 404: 'no such batch' },
      async handle({ params, query }) {
        if (!z.uuid().safeParse(params.id).success) throw notFound('batch');
        const { rows } = await pool.query(`SELECT ${BATCH_COLUMNS} FROM attempt_batches b WHERE b.id = $1`, [params.id]);
        if (!rows[0]) throw notFound('batch');
        const items = await pool.query(
          `SELECT i.attempt_id, c.name AS customer_name, i.status, i.verdict, i.finished_at
             FROM attempt_batch_items i JOIN recovery_attempts a ON a.id = i.attempt_id JOIN customers c ON c.id = a.customer_id
            WHERE i.batch_id = $1 AND ($2::text IS NULL OR i.status = $2)
            ORDER BY i.finished_at DESC NULLS LAST, i.attempt_id OFFSET $3 LIMIT $4`,
          [params.id, query.status ?? null, query.offset, query.limit],
        );
        return {
          ...batchView(rows[0]),
          items: items.rows.map((r) => ({
            attemptId: r.attempt_id,
            customerName: r.customer_name,
            status: r.status,
            verdict: r.verdict,
            finishedAt: r.finished_at ? (r.finished_at as Date).toISOString() : null,
          })),
        };
      },
    }),
  ];
}
