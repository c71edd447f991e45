import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Problem } from '../playbooks/problems';
import { temporalUnavailable } from './temporalErrors';

/** Every failure the API reports on purpose: a status, a machine-readable code, and details. */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'sign in first (session cookie or bearer token)');
export const forbidden = (why = 'your role may not do this') => new ApiError(403, 'forbidden', why);
export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details);
export const invalid = (problems: Problem[], message = 'the request is not valid') => new ApiError(400, 'invalid_request', message, { problems });
export const unavailable = (what: string) => new ApiError(503, 'unavailable', `${what} is unavailable, try again shortly`);

/** The one place errors become HTTP responses: {error: {code, message, details}}. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const temporalDown = temporalUnavailable(err);
    if (temporalDown) {
      log.warn({ code: temporalDown.code, url: req.originalUrl, err: String(err) }, 'temporal unavailable');
      err = temporalDown;
    }
    if (err instanceof ApiError) {
      const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (err.status === 503) res.setHeader('Retry-After', String(retryAfter ?? 5));
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } });
      return;
    }
    // express.json() failures: a body that is not JSON at all.
    if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.parse.failed') {
      res.status(400).json({
        error: {
          code: 'malformed_json',
          message: 'the body is not valid JSON',
          details: { problems: [{ code: 'malformed_json', message: String((err as Error).message), path: [] }] },
        },
      });
      return;
    }
    if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'body_too_large', message: 'the body is too large' } });
      return;
    }
    // PostgreSQL restarting or unreachable: a clear, retryable answer rather than a 500.
    if (databaseUnavailable(err)) {
      log.warn({ code: (err as { code?: unknown }).code, url: req.originalUrl }, 'database unavailable');
      res.setHeader('Retry-After', '2');
      res.status(503).json({ error: { code: 'unavailable', message: 'the database is unavailable, try again shortly' } });
      return;
    }
    log.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'something went wrong on our side' } });
  };
}

/** Connection-level failures of PostgreSQL (stopped, restarting, the socket cut mid-query). */
const DB_GONE_CODES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '08006',
  '08001',
  '08003',
  '08004',
];

export function databaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = 'code' in err ? String(err.code) : '';
  // Over a Unix socket, a stopped server leaves no socket file: connect() fails with ENOENT.
  if (code === 'ENOENT' && 'syscall' in err && err.syscall === 'connect') return true;
  if (DB_GONE_CODES.includes(code)) return true;
  return /Connection terminated|not queryable|terminating connection/i.test(String((err as Error).message));
}
