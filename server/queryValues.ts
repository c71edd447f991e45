import { z } from 'zod';

/**
 * Timestamps as PostgreSQL writes timestamptz text ("2025-03-01 09:30:00.123456+00") or as ISO
 * 8601, checked down to the calendar: "2025-02-30" would pass a pattern and then fail the cast.
 */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?:Z|[+-]\d{2}(?::?\d{2})?)$/;

export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const date = new Date(Date.UTC(y, mo - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A date-time filter in a query string: ISO 8601 with an offset, on a real calendar day. */
export const QueryDateTime = z.string().refine(isTimestampText, 'expected an ISO 8601 date-time with an offset (2025-03-01T09:30:00Z), on a real calendar day');
