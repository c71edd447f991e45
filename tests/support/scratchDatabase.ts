import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrate } from '../../platform/migrate';

export interface ScratchDatabase {
  /** The schema owner's connection (what a superuser or the owner could do behind the app's back). */
  ownerUrl: string;
  /** The app's own role on it, as the product connects. */
  appUrl: string;
}

const inDatabase = (url: string, db: string) => url.replace(/\/[^/]*$/, `/${db}`);

/**
 * A migrated database of its own on the suite's PostgreSQL, for a test that breaks something every
 * suite shares: the audit chain is one per database, so a row forged in the shared test database
 * would make every later report and verify in the run say "chain broken".
 */
export async function scratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const owner = process.env.TEST_OWNER_DATABASE_URL!;
  const db = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Pool({ connectionString: owner });
  try {
    await admin.query(`CREATE DATABASE ${db}`);
  } finally {
    await admin.end();
  }
  const scratch = { ownerUrl: inDatabase(owner, db), appUrl: inDatabase(process.env.TEST_DATABASE_URL!, db) };
  await migrate(scratch.ownerUrl, scratch.appUrl);
  return scratch;
}
