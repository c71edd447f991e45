import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * The schema and the app's role, applied by the API at start (production) and by the embedded setup
 * and the tests. Only pg and node-pg-migrate: a production API never loads the embedded services.
 */
const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

export const APP_ROLE = 'retention_app';

/**
 * Schema by node-pg-migrate's own CLI (it is an ES module; a child process keeps us out of that),
 * as the owner. With `appUrl`, its login role is then made a member of retention_app (created, or
 * its password set, when the owner may), so the app connects with no more than that role's rights.
 */
export async function migrate(ownerUrl: string, appUrl?: string): Promise<void> {
  const bin = path.join(ROOT, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
  await run(process.execPath, [bin, 'up', '--migrations-dir', MIGRATIONS_DIR, '--migration-file-language', 'sql', '--no-verbose'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: ownerUrl },
  });
  if (appUrl) await ensureAppLogin(ownerUrl, appUrl);
}

export async function ensureAppLogin(ownerUrl: string, appUrl: string): Promise<void> {
  const app = new URL(appUrl);
  const login = decodeURIComponent(app.username);
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    if (login === decodeURIComponent(new URL(ownerUrl).username))
      throw new Error('the app connects as the schema owner: give DATABASE_URL a role of its own (MIGRATION_DATABASE_URL is the owner)');
    const role = owner.escapeIdentifier(login);
    const password = app.password ? `PASSWORD ${owner.escapeLiteral(decodeURIComponent(app.password))}` : '';
    const exists = await owner.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login]);
    if (exists.rowCount === 0) await owner.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE ${password}`);
    else await owner.query(`ALTER ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS ${password}`);
    if (login !== APP_ROLE) await owner.query(`GRANT ${APP_ROLE} TO ${role}`);
  } finally {
    await owner.end();
  }
}
