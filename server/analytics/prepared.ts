import type { Pool, QueryResultRow } from 'pg';
import { statementName } from '../inbox/query';

/**
 * Runs a dashboard query as a named statement, so each connection parses and plans a text once and
 * then only executes it: over the rollups, planning a query (2–5 ms with a head's reach) cost more
 * than running it (under 1 ms). Filters change the text and get a name of their own; values do not.
 * This keeps query plans, not answers: every request still reads the live counts.
 */
export function prepared<R extends QueryResultRow>(pool: Pool, text: string, values: unknown[] = []) {
  return pool.query<R>({ name: statementName(text), text, values });
}
