import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { asRoot, pgCtl, pgNativeDir } from '../pgctl';
import { ROOT, startPostgres, startTemporal, waitForPort, type RunningService } from '../services';

/**
 * The product as separate processes the campaign can kill: PostgreSQL (pg_ctl), the Temporal dev
 * server (SQLite file, so its state survives a SIGKILL), worker processes and the API (tsx). Every
 * process runs in its own process group, so a kill takes its children too, and nothing outlives us.
 */

export interface ClusterPorts {
  pg: number;
  temporal: number;
  api: number;
}

export interface UnexpectedExit {
  process: string;
  code: number | null;
  signal: string | null;
  at: number;
  /** Whether it had said it was ready (a crash) or died while starting (e.g. PostgreSQL was down). */
  phase: 'starting' | 'running';
  /** The last lines it logged. */
  tail: string[];
}

type Say = (line: string) => void;

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** A tsx process we start, kill -9 and start again; it is restarted when it dies on its own. */
export class ManagedProcess {
  child: ChildProcess | null = null;
  private logStream: WriteStream;
  private readyWaiters: ((line: string) => boolean)[] = [];
  private tail: string[] = [];
  private expectingExit = false;
  private stopped = false;
  private ready = false;
  private failedInARow = 0;
  starts = 0;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: () => NodeJS.ProcessEnv,
    logFile: string,
    /** A log line that says the process is ready. */
    private readonly readyWhen: (line: string) => boolean,
    private readonly onUnexpectedExit: (exit: UnexpectedExit) => void,
    private readonly say: Say,
  ) {
    this.logStream = createWriteStream(logFile, { flags: 'a' });
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Start and wait until it says it is ready (or give up after `timeoutMs`; it keeps starting then). */
  async start(timeoutMs = 120_000): Promise<void> {
    if (this.stopped) return;
    this.expectingExit = false;
    this.ready = false;
    this.starts += 1;
    const child = spawn(TSX, [this.script], { cwd: ROOT, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    const onData = (chunk: Buffer) => {
      this.logStream.write(chunk);
      for (const line of String(chunk).split('\n')) {
        if (!line.trim()) continue;
        this.tail.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
        if (this.tail.length > 15) this.tail.shift();
        this.readyWaiters = this.readyWaiters.filter((w) => !w(line));
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (this.expectingExit || this.stopped) return;
      const exit: UnexpectedExit = { process: this.name, code, signal, at: Date.now(), phase: this.ready ? 'running' : 'starting', tail: [...this.tail] };
      this.onUnexpectedExit(exit);
      this.say(`${this.name} exited on its own while ${exit.phase} (code ${code}, signal ${signal}); starting it again`);
      // Back off while it keeps failing (e.g. it cannot start while PostgreSQL is down).
      this.failedInARow += 1;
      setTimeout(() => void this.start().catch(() => undefined), Math.min(15_000, 500 * 2 ** Math.min(this.failedInARow, 5)));
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.say(`${this.name} not ready after ${timeoutMs} ms`);
        resolve();
      }, timeoutMs);
      const exited = () => {
        clearTimeout(timer);
        resolve();
      };
      child.once('exit', exited);
      this.readyWaiters.push((line) => {
        if (!this.readyWhen(line)) return false;
        this.ready = true;
        this.failedInARow = 0;
        clearTimeout(timer);
        child.off('exit', exited);
        resolve();
        return true;
      });
    });
  }

  /** SIGKILL to the whole process group, and wait for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.expectingExit = true;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child.pid, 'SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (child?.pid) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && killGroup(child.pid, 'SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.logStream.end(() => resolve()));
  }

  /** Synchronous last resort (process exit): kill the group. */
  killNow(): void {
    this.stopped = true;
    if (this.child?.pid) killGroup(this.child.pid, 'SIGKILL');
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The Temporal CLI started by startTemporal(), found among our children by its port. */
function temporalPid(port: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = args.indexOf('--port');
      if (args.includes('start-dev') && i >= 0 && args[i + 1] === String(port)) return Number(entry);
    } catch {
      // the process went away while we looked
    }
  }
  return null;
}

export interface ClusterOptions {
  dir: string;
  ports: ClusterPorts;
  workers: number;
  linkSecret: string;
  workflowBundle: string;
  say: Say;
}

export class Cluster {
  readonly unexpectedExits: UnexpectedExit[] = [];
  readonly pgDir: string;
  readonly temporalDb: string;
  /** The schema owner's URL (migrations, verification) and the app's (API and workers). */
  ownerUrl = '';
  databaseUrl = '';
  private temporal: RunningService | null = null;
  private temporalLog: WriteStream;
  private pgStarted = false;
  private pgCtlPath = '';
  readonly api: ManagedProcess;
  readonly workers: ManagedProcess[];
  private stopping: Promise<void> | null = null;

  constructor(private readonly opts: ClusterOptions) {
    this.pgDir = path.join(opts.dir, 'pg');
    this.temporalDb = path.join(opts.dir, 'temporal.sqlite');
    this.temporalLog = createWriteStream(path.join(opts.dir, 'temporal.log'), { flags: 'a' });
    const onExit = (exit: UnexpectedExit) => this.unexpectedExits.push(exit);
    const common = (): NodeJS.ProcessEnv => ({
      ...process.env,
      DATABASE_URL: this.databaseUrl,
      MIGRATION_DATABASE_URL: this.ownerUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      LINK_SECRET: opts.linkSecret,
      PUBLIC_URL: this.apiUrl,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'info',
      // Our own data folder: the audit anchor, the embedded link secret and the like stay out of the project's .data.
      DATA_DIR: opts.dir,
      AUDIT_ANCHOR_FILE: path.join(opts.dir, 'audit-anchor.jsonl'),
    });
    this.api = new ManagedProcess(
      'api',
      'server/main.ts',
      () => ({ ...common(), PORT: String(opts.ports.api), HOST: '127.0.0.1', WORKFLOW_BUNDLE: opts.workflowBundle }),
      path.join(opts.dir, 'api.log'),
      (line) => line.includes('API listening'),
      onExit,
      opts.say,
    );
    this.workers = Array.from(
      { length: opts.workers },
      (_, i) =>
        new ManagedProcess(
          `worker-${i + 1}`,
          'workers/main.ts',
          common,
          path.join(opts.dir, `worker-${i + 1}.log`),
          (line) => line.includes('worker running'),
          onExit,
          opts.say,
        ),
    );
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.opts.ports.temporal}`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.opts.ports.api}`;
  }

  async startPostgres(): Promise<void> {
    this.pgCtlPath = path.join(await pgNativeDir(), 'bin', 'pg_ctl');
    const pg: { url: string; appUrl?: string } = await startPostgres({ dataDir: this.pgDir, port: this.opts.ports.pg });
    this.pgStarted = true;
    this.ownerUrl = pg.url;
    // Where the product connects as an unprivileged role of its own, so do we.
    this.databaseUrl = pg.appUrl ?? pg.url;
  }

  /** A crash: every PostgreSQL process stops at once, without a checkpoint. */
  async crashPostgres(): Promise<void> {
    await pgCtl(this.pgDir, ['stop', '-m', 'immediate', '-w']);
  }

  async restartPostgres(): Promise<void> {
    if (this.stopping) return;
    await pgCtl(this.pgDir, ['start', '-w', '-t', '120', '-l', path.join(this.pgDir, 'postgres.log'), '-o', `-p ${this.opts.ports.pg}`]);
    // Stopped while it started: stop it again, nothing may outlive the campaign.
    const stopping = this.stoppingNow();
    if (stopping) await stopping.then(() => pgCtl(this.pgDir, ['stop', '-m', 'fast', '-w'])).catch(() => undefined);
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporal({
      port: this.opts.ports.temporal,
      uiPort: null,
      dbFile: this.temporalDb,
      log: (line) => this.temporalLog.write(`${new Date().toISOString()} ${line}\n`),
    });
  }

  async killTemporal(): Promise<void> {
    const pid = temporalPid(this.opts.ports.temporal);
    if (!pid) throw new Error('the Temporal dev server is not running');
    killGroup(pid, 'SIGKILL');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && temporalPid(this.opts.ports.temporal) === pid) await new Promise((r) => setTimeout(r, 100));
    // The port is free again once the socket is gone; startTemporal refuses a taken port.
    await new Promise((r) => setTimeout(r, 300));
  }

  async restartTemporal(): Promise<void> {
    for (let tries = 0; ; tries++) {
      if (this.stopping) return;
      try {
        await this.startTemporal();
        const stopping = this.stoppingNow();
        if (stopping) {
          await stopping;
          await this.temporal?.stop();
        }
        return;
      } catch (err) {
        if (tries >= 20) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async startApi(): Promise<void> {
    if (this.stopping) return;
    await this.api.start();
    await waitForPort(this.opts.ports.api, '127.0.0.1', 120_000);
  }

  async startWorkers(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.start()));
  }

  /** Read anew after an await (TypeScript would keep an earlier narrowing of the field). */
  private stoppingNow(): Promise<void> | null {
    return this.stopping;
  }

  /** Stop everything we started, in order: API, workers, Temporal, PostgreSQL. Safe to call twice. */
  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      const guard = (what: string, p: Promise<unknown>) => p.catch((err) => this.opts.say(`${what} did not stop cleanly: ${String(err)}`));
      await guard('api', this.api.stop());
      await Promise.all(this.workers.map((w) => guard(w.name, w.stop())));
      const pid = temporalPid(this.opts.ports.temporal);
      if (this.temporal) await guard('temporal', this.temporal.stop());
      if (pid) killGroup(pid, 'SIGKILL');
      if (this.pgStarted) {
        const running = await pgCtl(this.pgDir, ['status']).then(
          () => true,
          () => false,
        );
        if (running) await guard('postgres', pgCtl(this.pgDir, ['stop', '-m', 'fast', '-w']));
      }
      await new Promise<void>((resolve) => this.temporalLog.end(() => resolve()));
    })();
    return this.stopping;
  }

  /** For process.on('exit'): no promises there, only synchronous kills. */
  killAllNow(): void {
    this.api.killNow();
    for (const w of this.workers) w.killNow();
    const pid = temporalPid(this.opts.ports.temporal);
    if (pid) killGroup(pid, 'SIGKILL');
    if (this.pgStarted && this.pgCtlPath) {
      const args = ['stop', '-m', 'immediate', '-D', this.pgDir];
      try {
        if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', this.pgCtlPath, ...args], { stdio: 'ignore', timeout: 20_000 });
        else execFileSync(this.pgCtlPath, args, { stdio: 'ignore', timeout: 20_000 });
      } catch {
        // not running
      }
    }
  }
}
