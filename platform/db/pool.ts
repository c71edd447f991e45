import { Pool, type PoolClient } from 'pg';

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max });
  // A restarting Postgres drops idle clients; that must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Runs `work` in one transaction on one connection: committed if it returns, rolled back if it
 * throws (the error goes on). Writes that belong together (a change and its audit row, a snooze and
 * its reminder) land together or not at all.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Refuses to run the app as a role that could rewrite the evidence behind its own back: a superuser
 * (triggers can be bypassed) or the owner of the audit log (triggers can be disabled).
 */
export async function assertUnprivileged(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ role: string; superuser: boolean; owns_audit: boolean }>(
    `SELECT current_user AS role, r.rolsuper AS superuser,
            coalesce(pg_has_role(current_user, (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_log'), 'USAGE'), false) AS owns_audit
       FROM pg_roles r WHERE r.rolname = current_user`,
  );
  const me = rows[0];
  if (me?.superuser || me?.owns_audit) {
    throw new Error(
      `refusing to start: the database role "${me.role}" is ${me.superuser ? 'a superuser' : 'the owner of the audit log'}; connect the app (DATABASE_URL) as a member of retention_app and run migrations with MIGRATION_DATABASE_URL`,
    );
  }
}
