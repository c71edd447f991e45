import { RuntimeError } from './errors';

/**
 * The runtime never hands out a time that cannot be stored or slept on. Durations are bounded at the
 * schema, but a plan published before that (or arithmetic on a huge one) could still yield NaN,
 * Infinity or a date past what JavaScript, PostgreSQL and Temporal agree on; such a step is refused
 * with a clear error instead of failing its database write for ever.
 */

/** The latest moment the runtime produces: the end of year 9999 (ISO dates keep four digits). */
export const LATEST_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The longest single wait: far beyond any real playbook (durations are capped at 10 years). */
export const LONGEST_WAIT_MS = 100 * 365.25 * 86_400_000;

/** A moment in ms since the epoch, or a RuntimeError naming what it was for. */
export function checkedTime(at: number, what: string): number {
  if (!Number.isFinite(at) || at < 0 || at > LATEST_TIME) {
    throw new RuntimeError('invalid_time', `${what}: ${String(at)} is not a valid time (a duration is missing, not a number or far too long)`);
  }
  return at;
}

/** A wait in ms (≥ 0, finite, at most LONGEST_WAIT_MS) that ends at a valid time, or a RuntimeError. */
export function checkedWait(now: number, durationMs: number, what: string): number {
  if (!Number.isFinite(durationMs) || durationMs < 0 || durationMs > LONGEST_WAIT_MS) {
    throw new RuntimeError('invalid_duration', `${what}: a wait of ${String(durationMs)} ms is not a valid duration (at most ${LONGEST_WAIT_MS} ms)`);
  }
  checkedTime(now + durationMs, what);
  return durationMs;
}
