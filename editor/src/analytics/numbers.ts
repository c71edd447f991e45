import { formatDuration } from '../format';

/** "12.5 %", or a dash when there was nothing to divide by. */
export const pct = (r: number | null | undefined): string => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)} %`);

/** Time in a step: "3d 4h", "< 1s" for steps that pass straight through, a dash when none left it. */
export function stepTime(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return '< 1s';
  return formatDuration(seconds * 1000);
}

/** "2026-03" → "Mar 2026". */
export function monthLabel(month: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? month : d.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** The month `n` months before `month` (both YYYY-MM). */
export function monthsBefore(month: string, n: number): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 7);
}

export const thisMonth = (): string => new Date().toISOString().slice(0, 7);
