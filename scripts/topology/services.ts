import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPool } from '../../platform/db/pool';
import { pgCtl } from '../pgctl';
import { SEARCH_ATTRIBUTE_FLAGS, TOOLS_BIN, freePort, startPostgres, waitForPort } from '../services';
import type { TemporalBinaries } from './binaries';

/**
 * Temporal as production runs it: one process per service (frontend, history, matching, worker), all
 * rendering the shared scripts/topology/temporal-config.yml from their environment, on PostgreSQL for
 * persistence and visibility; the schema and the namespace set up by scripts/topology/setup-temporal.sh,
 * the same script docker-compose.yml's admin-tools services run. And the UI server beside them.
 */
const run = promisify(execFile);
const HERE = __dirname;
export const TEMPORAL_CONFIG = path.join(HERE, 'temporal-config.yml');
export const TEMPORAL_DYNAMIC_CONFIG = path.join(HERE, 'temporal-dynamicconfig.yml');
export const SETUP_SCRIPT = path.join(HERE, 'setup-temporal.sh');
export const TEMPORAL_SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type TemporalService = (typeof TEMPORAL_SERVICES)[number];

/** A long-running binary in its own process group, logging to a file. */
export class BinaryProcess {
  child: ChildProcess | null = null;
  private readonly log: WriteStream;
  exits: { code: number | null; signal: string | null; at: number }[] = [];
  private stopping = false;

  constructor(
    readonly name: string,
    private readonly bin: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
  ) {
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  start(): void {
    const child = spawn(this.bin, this.args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      if (!this.stopping) this.exits.push({ code, signal, at: Date.now() });
    });
  }

  get running(): boolean {
    return this.child !== null;
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child?.pid) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), graceMs);
      await gone;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  killNow(): void {
    this.stopping = true;
    if (this.child?.pid) signalGroup(this.child.pid, 'SIGKILL');
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): void {
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

export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  ui: number | null;
  grpc: Record<TemporalService, number>;
  membership: Record<TemporalService, number>;
}

/**
 * A free port below 32768: Temporal keeps each host's membership port in a smallint column
 * (cluster_membership.rpc_port), so one from the kernel's ephemeral range (32768-60999) is refused.
 */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
  throw new Error('no free port between 20000 and 32000 for Temporal membership');
}

export async function temporalPorts(withUi: boolean): Promise<TemporalPorts> {
  const grpc = {} as Record<TemporalService, number>;
  const membership = {} as Record<TemporalService, number>;
  const taken = new Set<number>();
  for (const s of TEMPORAL_SERVICES) {
    grpc[s] = await freePort();
    membership[s] = await freeLowPort(taken);
  }
  return { frontend: grpc.frontend, frontendHttp: await freePort(), ui: withUi ? await freePort() : null, grpc, membership };
}

export interface TemporalDb {
  host: string;
  port: number;
  user: string;
  password: string;
}

export class TemporalCluster {
  readonly services: Record<TemporalService, BinaryProcess>;
  ui: BinaryProcess | null = null;

  constructor(
    private readonly bins: TemporalBinaries,
    readonly ports: TemporalPorts,
    private readonly db: TemporalDb,
    private readonly dir: string,
    readonly shards: number,
  ) {
    const env = this.serverEnv();
    this.services = Object.fromEntries(
      TEMPORAL_SERVICES.map((s) => [
        s,
        new BinaryProcess(
          `temporal-${s}`,
          bins.server,
          ['--config-file', TEMPORAL_CONFIG, '--allow-no-auth', 'start', '--service', s],
          env,
          path.join(dir, `temporal-${s}.log`),
        ),
      ]),
    ) as Record<TemporalService, BinaryProcess>;
  }

  get address(): string {
    return `127.0.0.1:${this.ports.frontend}`;
  }

  /** The variables temporal-config.yml reads (docker-compose.yml sets the same ones). */
  serverEnv(): NodeJS.ProcessEnv {
    const p = this.ports;
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      POSTGRES_SEEDS: this.db.host,
      DB_PORT: String(this.db.port),
      POSTGRES_USER: this.db.user,
      POSTGRES_PWD: this.db.password,
      NUM_HISTORY_SHARDS: String(this.shards),
      SQL_MAX_CONNS: '10',
      SQL_VIS_MAX_CONNS: '5',
      BIND_ON_IP: '127.0.0.1',
      TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
      FRONTEND_GRPC_PORT: String(p.grpc.frontend),
      FRONTEND_HTTP_PORT: String(p.frontendHttp),
      FRONTEND_MEMBERSHIP_PORT: String(p.membership.frontend),
      HISTORY_GRPC_PORT: String(p.grpc.history),
      HISTORY_MEMBERSHIP_PORT: String(p.membership.history),
      MATCHING_GRPC_PORT: String(p.grpc.matching),
      MATCHING_MEMBERSHIP_PORT: String(p.membership.matching),
      WORKER_GRPC_PORT: String(p.grpc.worker),
      WORKER_MEMBERSHIP_PORT: String(p.membership.worker),
      DYNAMIC_CONFIG_FILE_PATH: TEMPORAL_DYNAMIC_CONFIG,
      LOG_LEVEL: 'warn',
    };
  }

  private setupEnv(): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      SQL_HOST: this.db.host,
      SQL_PORT: String(this.db.port),
      SQL_USER: this.db.user,
      SQL_PASSWORD: this.db.password,
      TEMPORAL_SQL_TOOL: this.bins.sqlTool,
      TEMPORAL_CLI: path.join(TOOLS_BIN, 'temporal'),
      TEMPORAL_SCHEMA_DIR: this.bins.schemaDir,
      TEMPORAL_ADDRESS: this.address,
      TEMPORAL_NAMESPACE: 'default',
      SEARCH_ATTRIBUTES: SEARCH_ATTRIBUTE_FLAGS.join(' '),
    };
  }

  private async setup(step: 'schema' | 'namespace'): Promise<string> {
    const { stdout, stderr } = await run('sh', [SETUP_SCRIPT, step], { env: this.setupEnv(), timeout: 300_000, maxBuffer: 8 << 20 }).catch(
      (err: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`setup-temporal.sh ${step} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
      },
    );
    return `${stdout}${stderr}`;
  }

  /** Schema, then the four services (history first), then the namespace. */
  async start(say: (line: string) => void): Promise<void> {
    const schemaLog = await this.setup('schema');
    say(`Temporal schema set up with temporal-sql-tool: ${schemaLog.split('\n').filter((l) => l.startsWith('[setup-temporal]')).length} steps`);
    // History first, alone: on a new database every service writes the cluster's metadata record at
    // start, and of four racing for it the losers exit (duplicate key). Once one serves, it is there.
    this.services.history.start();
    await this.waitServing('history');
    for (const s of TEMPORAL_SERVICES) if (s !== 'history') this.services[s].start();
    await Promise.all(TEMPORAL_SERVICES.map((s) => this.waitServing(s)));
    const nsLog = await this.setup('namespace');
    for (const line of nsLog.split('\n').filter((l) => l.startsWith('[setup-temporal]'))) say(line);
  }

  private async waitServing(s: TemporalService): Promise<void> {
    const service = this.services[s];
    await Promise.race([
      waitForPort(this.ports.grpc[s], '127.0.0.1', 120_000),
      new Promise<never>((_, reject) => {
        const timer = setInterval(() => {
          if (!service.running && service.exits.length) {
            clearInterval(timer);
            reject(new Error(`temporal ${s} exited (code ${service.exits[0].code}); see ${path.join(this.dir, `temporal-${s}.log`)}`));
          }
        }, 200);
        timer.unref();
      }),
    ]);
  }

  /**
   * The UI server (temporalio/ui-server). Its shipped docker.yaml listens on every interface; ours
   * (written here) on loopback only, like everything else the run starts.
   */
  async startUi(): Promise<void> {
    if (!this.bins.ui || !this.ports.ui) return;
    const root = path.join(this.dir, 'ui');
    mkdirSync(path.join(root, 'config'), { recursive: true });
    const origin = `http://127.0.0.1:${this.ports.ui}`;
    writeFileSync(
      path.join(root, 'config', 'topology.yaml'),
      [
        `temporalGrpcAddress: ${this.address}`,
        'host: 127.0.0.1',
        `port: ${this.ports.ui}`,
        'enableUi: true',
        'defaultNamespace: default',
        'cors:',
        `  allowOrigins: ["${origin}"]`,
        '',
      ].join('\n'),
    );
    this.ui = new BinaryProcess(
      'temporal-ui',
      this.bins.ui,
      ['--root', root, '--config', 'config', '--env', 'topology', 'start'],
      { PATH: process.env.PATH, HOME: process.env.HOME },
      path.join(this.dir, 'temporal-ui.log'),
    );
    this.ui.start();
    await waitForPort(this.ports.ui, '127.0.0.1', 60_000);
  }

  /** Every service that exited while nobody stopped it. */
  unexpectedExits(): string[] {
    return [...Object.values(this.services), ...(this.ui ? [this.ui] : [])].flatMap((p) =>
      p.exits.map((e) => `${p.name} exited on its own (code ${e.code}, signal ${e.signal})`),
    );
  }

  async stop(): Promise<void> {
    await this.ui?.stop();
    // The frontend first (no new calls), history last (it owns the shards).
    for (const s of ['frontend', 'worker', 'matching', 'history'] as const) await this.services[s].stop();
  }

  killNow(): void {
    this.ui?.killNow();
    for (const s of TEMPORAL_SERVICES) this.services[s].killNow();
  }
}

/** PostgreSQL for everything: the product's database and Temporal's two, with room for every pool. */
export async function startClusterDatabase(dir: string, port: number) {
  const dataDir = path.join(dir, 'pg');
  const pg = await startPostgres({ dataDir, port });
  const owner = createPool(pg.url, 1);
  // The budget (see README "Production"): 2 API × 10 + 2 workers × 10 + 4 Temporal services × (10 + 5), and headroom.
  await owner.query('ALTER SYSTEM SET max_connections = 250');
  await owner.end();
  await pgCtl(dataDir, ['restart', '-w', '-m', 'fast', '-t', '60', '-l', path.join(dataDir, 'postgres.log')]);
  return { dataDir, ownerUrl: pg.url, appUrl: pg.appUrl };
}
