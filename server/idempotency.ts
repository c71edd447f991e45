import { createHash, randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { ApiError, invalid } from './errors';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** What a route answered: kept for a retry with the same key. */
export interface StoredReply {
  status: number;
  body: unknown;
}

export interface IdempotentRequest {
  userId: string;
  key: string;
  /** Method and path, e.g. `POST /api/tasks/<id>/complete`: a key answers for one operation only. */
  operation: string;
  body: unknown;
}

/** A first request still running longer than this is taken to have died with its API process. */
const IN_FLIGHT_STALE_MS = 30_000;
const WAIT_STEP_MS = 100;
const KEEP_HOURS = 24;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const value = Array.isArray(header) ? header[0] : header;
  if (!z.uuid().safeParse(value).success) {
    throw invalid([{ code: 'invalid_idempotency_key', message: `${IDEMPOTENCY_HEADER} must be a UUID`, path: ['headers', IDEMPOTENCY_HEADER] }]);
  }
  return value.toLowerCase();
}

/** A stable UUID for what a key creates (e.g. the recovery attempt of a start), so a re-run finds it. */
export function idFromKey(userId: string, key: string): string {
  const h = createHash('sha256').update(`${userId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const hashBody = (body: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(body ?? null))
    .digest('hex');

/**
 * Runs `work` once per (user, key): a repeat gets the first answer (same status, same body); a
 * repeat while the first is in flight waits for it; a key reused for another request is refused.
 * Answers below 500 are kept; a 5xx or a crash leaves the key `unknown`, and the next repeat runs
 * the work again — which the operations make safe with ids derived from the key.
 */
export async function runIdempotently(pool: Pool, req: IdempotentRequest, work: () => Promise<StoredReply>): Promise<StoredReply & { replayed: boolean }> {
  const requestHash = hashBody(req.body);
  const owner = randomUUID();
  const deadline = Date.now() + IN_FLIGHT_STALE_MS + 5_000;
  for (;;) {
    const claimed = await pool.query(
      `INSERT INTO idempotency_keys (user_id, key, operation, request_hash, state, owner) VALUES ($1, $2, $3, $4, 'in_flight', $5)
       ON CONFLICT (user_id, key) DO UPDATE SET state = 'in_flight', owner = EXCLUDED.owner, updated_at = now()
        WHERE idempotency_keys.operation = EXCLUDED.operation AND idempotency_keys.request_hash = EXCLUDED.request_hash
          AND (idempotency_keys.state = 'unknown' OR (idempotency_keys.state = 'in_flight' AND idempotency_keys.updated_at < now() - make_interval(secs => $6)))
       RETURNING owner`,
      [req.userId, req.key, req.operation, requestHash, owner, IN_FLIGHT_STALE_MS / 1000],
    );
    if (claimed.rows[0]?.owner === owner) return { ...(await runAsOwner(pool, req, owner, work)), replayed: false };
    const { rows } = await pool.query('SELECT operation, request_hash, state, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2', [
      req.userId,
      req.key,
    ]);
    const row = rows[0];
    if (!row) continue; // purged in between: claim it afresh
    if (row.operation !== req.operation || row.request_hash !== requestHash) {
      throw new ApiError(422, 'idempotency_key_reused', `this ${IDEMPOTENCY_HEADER} was used for a different request`, {
        problems: [{ code: 'idempotency_key_reused', message: 'use a new key for a new request', path: ['headers', IDEMPOTENCY_HEADER] }],
      });
    }
    if (row.state === 'done') return { status: row.status, body: row.body, replayed: true };
    if (Date.now() > deadline) throw new ApiError(409, 'idempotency_key_in_flight', 'the first request with this key is still running; retry shortly');
    await sleep(WAIT_STEP_MS);
  }
}

async function runAsOwner(pool: Pool, req: IdempotentRequest, owner: string, work: () => Promise<StoredReply>): Promise<StoredReply> {
  let reply: StoredReply;
  try {
    reply = await work();
  } catch (err) {
    if (err instanceof ApiError && err.status < 500)
      reply = { status: err.status, body: { error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } } };
    else {
      await forget(pool, req, owner);
      throw err;
    }
  }
  if (reply.status >= 500) {
    await forget(pool, req, owner);
    return reply;
  }
  await pool.query(`UPDATE idempotency_keys SET state = 'done', status = $4, body = $5, updated_at = now() WHERE user_id = $1 AND key = $2 AND owner = $3`, [
    req.userId,
    req.key,
    owner,
    reply.status,
    JSON.stringify(reply.body ?? null),
  ]);
  // Keys answer retries for a day; older ones go, a few at a time, on the write path.
  if (Math.random() < 0.01)
    await pool.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [KEEP_HOURS]).catch(() => undefined);
  return reply;
}

/** The outcome is not known (5xx, crash): a retry with the key runs the work again. */
async function forget(pool: Pool, req: IdempotentRequest, owner: string): Promise<void> {
  await pool
    .query(`UPDATE idempotency_keys SET state = 'unknown', updated_at = now() WHERE user_id = $1 AND key = $2 AND owner = $3`, [req.userId, req.key, owner])
    .catch(() => undefined);
}
