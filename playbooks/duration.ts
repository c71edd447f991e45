/**
 * ISO 8601 durations as ops managers write them (P14D, PT4H, P1W, P2DT12H). Months and years are
 * refused on purpose: a "month" has no fixed length, and timers must be exact and replayable.
 *
 * Every duration has a range: more than zero and at most ten years. A timer or due date beyond
 * that is a typo (P100000W), and far enough out it is no date at all: `PT9007199254740993S` loses
 * precision, `P99999999999999999999W` overflows a JavaScript Date and PostgreSQL's timestamp, and
 * the run that reaches such a step fails its first database write for ever.
 */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export const MAX_DURATION_DAYS = 3653;
export const MAX_DURATION_MS = MAX_DURATION_DAYS * 86_400_000;

/** Why `text` is not a usable duration, or null when it is one. */
export function durationProblem(text: string): string | null {
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return 'expected an ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P3D or PT4H';
  const ms = durationMsOf(m);
  if (ms <= 0) return 'a duration must be longer than zero';
  if (ms > MAX_DURATION_MS) return `a duration may be at most ten years (P${MAX_DURATION_DAYS}D)`;
  return null;
}

/** The duration in ms, or null when it is not one or out of range (see durationProblem). */
export function parseDuration(text: string): number | null {
  if (durationProblem(text) !== null) return null;
  return durationMsOf(ISO_DURATION.exec(text)!);
}

function durationMsOf(m: RegExpExecArray): number {
  // Digits beyond what a ten-year duration needs would only lose precision: cap each part first.
  const [, w, d, h, min, s] = m.map((v) => (v === undefined ? 0 : v.length > 12 ? Infinity : Number(v)));
  return ((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s) * 1000;
}

export function formatDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const parts = [days ? `${days}d` : '', hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''].filter(Boolean);
  return parts.length ? parts.join(' ') : `${Math.round(ms / 1000)}s`;
}
