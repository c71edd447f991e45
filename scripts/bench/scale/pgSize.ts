import type { Pool } from 'pg';
import { mib } from './format';

/** The database's size and each table's (with its indexes and TOAST), in bytes. */
export interface PgSize {
  database: number;
  tables: Map<string, number>;
}

export async function pgSize(pool: Pool): Promise<PgSize> {
  // Sizes are read from the files: flush what the attempts wrote so it is counted, not left in WAL.
  await pool.query('CHECKPOINT');
  const db = await pool.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
  const tables = await pool.query<{ name: string; bytes: string }>(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname = 'public'`,
  );
  return { database: Number(db.rows[0].bytes), tables: new Map(tables.rows.map((r) => [r.name, Number(r.bytes)])) };
}

/** What `count` attempts added, per 1,000, and the tables that grew most, beside the size before them. */
export function pgSizeLine(before: PgSize, after: PgSize, count: number, biggest = 4): string {
  const per1000 = (bytes: number) => (bytes / count) * 1000;
  const grown = [...after.tables]
    .map(([name, bytes]) => ({ name, delta: bytes - (before.tables.get(name) ?? 0) }))
    .sort((a, b) => b.delta - a.delta)
    .slice(0, biggest)
    .map((t) => `${t.name} ${mibFine(per1000(t.delta))}`);
  return (
    `  PostgreSQL size                ${`${mibFine(per1000(after.database - before.database))} per 1,000`.padStart(9)} attempts (${grown.join(', ')})` +
    ` | ${mib(before.database)} database before the attempts (now ${mib(after.database)})`
  );
}

/** Megabytes with a decimal: a table's share per 1,000 attempts is often under one. */
const mibFine = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
