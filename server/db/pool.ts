import { Pool } from 'pg';

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max });
  // A restarting Postgres drops idle clients; that must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
