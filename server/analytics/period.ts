import { invalid } from '../errors';

/** A range of whole UTC months, inclusive: what every monthly table covers. */
export interface MonthRange {
  from: string;
  to: string;
  /** First instant of `from` and first instant after `to`, for `at >= start AND at < end`. */
  start: Date;
  end: Date;
  months: string[];
}

/** The longest range one request may ask for: five years of months. */
export const MAX_MONTHS = 60;

const monthStart = (month: string): Date => new Date(`${month}-01T00:00:00Z`);
const monthOf = (d: Date): string => d.toISOString().slice(0, 7);
const addMonths = (month: string, n: number): string => {
  const d = monthStart(month);
  d.setUTCMonth(d.getUTCMonth() + n);
  return monthOf(d);
};

/** `to` defaults to this month and `from` to eleven months before it (a year of months). */
export function monthRange(from: string | undefined, to: string | undefined, now: Date = new Date()): MonthRange {
  const last = to ?? monthOf(now);
  const first = from ?? addMonths(last, -11);
  if (first > last) throw invalid([{ code: 'invalid_range', message: '`from` is after `to`', path: ['query', 'from'] }]);
  const months: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) {
    months.push(m);
    if (months.length > MAX_MONTHS) throw invalid([{ code: 'invalid_range', message: `at most ${MAX_MONTHS} months at a time`, path: ['query', 'from'] }]);
  }
  return { from: first, to: last, start: monthStart(first), end: monthStart(addMonths(last, 1)), months };
}

/** An optional range of UTC days, inclusive at both ends; missing ends are open. */
export function dayRange(from: string | undefined, to: string | undefined): { start: Date | null; end: Date | null } {
  if (from && to && from > to) throw invalid([{ code: 'invalid_range', message: '`from` is after `to`', path: ['query', 'from'] }]);
  const start = from ? new Date(`${from}T00:00:00Z`) : null;
  const end = to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000) : null;
  return { start, end };
}
