import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CreateImportBody, ImportJobView, ImportList } from '../../contract/imports';
import { recordAudit } from '../../platform/db/audit';
import type { Deps } from '../deps';
import { ApiError, conflict, notFound } from '../errors';
import { reply, route, type RouteDef, type SessionUser } from '../http';
import { runImport } from '../imports/run';

const MANAGERS = ['ops_manager', 'admin'] as const;
const ErrorsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(200) });

function jobView(r: Record<string, unknown>, errors: Record<string, unknown>[] = []) {
  return {
    id: r.id,
    kind: r.kind,
    format: r.format,
    filename: r.filename,
    sizeBytes: r.size_bytes === null ? null : Number(r.size_bytes),
    status: r.status,
    bytesRead: Number(r.bytes_read),
    rowsRead: r.rows_read,
    rowsApplied: r.rows_applied,
    rowsUnchanged: r.rows_unchanged,
    rowsFailed: r.rows_failed,
    failure: r.failure,
    startedBy: r.started_by,
    createdAt: (r.created_at as Date).toISOString(),
    finishedAt: r.finished_at ? (r.finished_at as Date).toISOString() : null,
    errors: errors.map((e) => ({ row: e.row_number, path: e.path, code: e.code, message: e.message })),
  };
}

/**
 * Bulk imports of customers and activity, in two steps so the progress can be read while the file
 * streams in: POST /api/imports makes the job (kind, format), PUT /api/imports/:id/file streams the
 * file into it (text/csv or application/x-ndjson) and answers when it is done; GET /api/imports/:id
 * shows the progress and the error report (line, column, message) meanwhile.
 */
export function importRoutes({ pool, log }: Deps): RouteDef[] {
  async function job(id: string, user: SessionUser) {
    if (!z.uuid().safeParse(id).success) throw notFound(`import ${id}`);
    const { rows } = await pool.query('SELECT * FROM import_jobs WHERE id = $1', [id]);
    // Imports are a manager's tool: every manager and auditor sees every import.
    if (!rows[0] || !['ops_manager', 'admin', 'auditor'].includes(user.role)) throw notFound(`import ${id}`);
    return rows[0];
  }
  return [
    route<z.infer<typeof CreateImportBody>>({
      method: 'post',
      path: '/api/imports',
      summary: 'Start an import of customers or activity (then PUT the file to /api/imports/:id/file)',
      tag: 'imports',
      response: ImportJobView,
      success: [201],
      access: MANAGERS,
      body: CreateImportBody,
      async handle({ body, user }) {
        const id = randomUUID();
        const { rows } = await pool.query(
          'INSERT INTO import_jobs (id, kind, format, filename, size_bytes, started_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING *',
          [id, body.kind, body.format, body.filename, body.sizeBytes ?? null, user.id],
        );
        await recordAudit(pool, { actorId: user.id, action: 'import_started', subject: id, details: body });
        return reply(201, jobView(rows[0]));
      },
    }),
    route({
      method: 'put',
      path: '/api/imports/:id/file',
      summary: "Stream the import's file (CSV with a header line, or JSON lines); answers with the finished job",
      tag: 'imports',
      response: ImportJobView,
      access: MANAGERS,
      errors: { 404: 'no such import', 409: 'the file was already sent', 415: 'not CSV or JSON lines' },
      async handle({ params, user, req }) {
        const row = await job(params.id, user);
        const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
        const wanted =
          row.format === 'csv'
            ? ['text/csv', 'text/plain', 'application/octet-stream']
            : ['application/x-ndjson', 'application/jsonl', 'text/plain', 'application/octet-stream'];
        if (!wanted.includes(type))
          throw new ApiError(415, 'unsupported_media_type', `send the ${row.format} file as ${wanted[0]}, not ${type || 'no content type'}`);
        const claimed = await pool.query("UPDATE import_jobs SET status = 'running' WHERE id = $1 AND status = 'waiting' AND started_by = $2 RETURNING id", [
          row.id,
          user.id,
        ]);
        if (!claimed.rowCount) throw conflict('import_not_waiting', 'this import already has its file (or was started by someone else); start a new import');
        try {
          await runImport(pool, { id: row.id, kind: row.kind, format: row.format, startedBy: user.id }, req);
        } catch (err) {
          log.warn({ err: String(err), importId: row.id }, 'import stopped');
        }
        const done = await pool.query('SELECT * FROM import_jobs WHERE id = $1', [row.id]);
        const errors = await pool.query('SELECT * FROM import_row_errors WHERE job_id = $1 ORDER BY row_number, path LIMIT 200', [row.id]);
        return jobView(done.rows[0], errors.rows);
      },
    }),
    route<undefined, z.infer<typeof ErrorsQuery>>({
      method: 'get',
      path: '/api/imports/:id',
      summary: "An import's progress and its error report (line, column, message), readable while it runs",
      tag: 'imports',
      response: ImportJobView,
      access: [...MANAGERS, 'auditor'],
      query: ErrorsQuery,
      errors: { 404: 'no such import' },
      async handle({ params, user, query }) {
        const row = await job(params.id, user);
        const errors = await pool.query('SELECT * FROM import_row_errors WHERE job_id = $1 ORDER BY row_number, path LIMIT $2', [row.id, query.limit]);
        return jobView(row, errors.rows);
      },
    }),
    route({
      method: 'get',
      path: '/api/imports',
      summary: 'The latest imports',
      tag: 'imports',
      response: ImportList,
      access: [...MANAGERS, 'auditor'],
      async handle() {
        const { rows } = await pool.query('SELECT * FROM import_jobs ORDER BY created_at DESC LIMIT 50');
        return { imports: rows.map((r) => jobView(r)) };
      },
    }),
  ];
}
