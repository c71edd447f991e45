import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Pool } from 'pg';
import { compilePlaybook } from '../../playbooks/compile';
import type { CompiledPlan } from '../../playbooks/plan';
import { createPool } from '../../platform/db/pool';
import { migrate } from '../../platform/migrate';
import { seedDemo } from '../../server/seed';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import { completeTaskUpdate } from '../../workflows/contract';
import { buildRunInput, workflowIdFor } from '../../workflows/runInput';
import { startAttemptRun } from '../../server/attemptStart';
import { freePort, ROOT, startPostgres, startTemporal } from '../services';
import { BENCH_START_SETTINGS, silentLogger, SLEEPER_GRAPH, until } from './support';

/**
 * npm run bench:restart — a worker process killed (SIGKILL, as a crash or an OOM kill) and started
 * again: how long until a rep's completion is served again. On a throw-away PostgreSQL and a
 * headless Temporal dev server, the worker runs as production runs it: a child process of
 * `tsx workers/main.ts` with WORKFLOW_BUNDLE (the prebuilt bundle). Each round: attempts wait in a
 * task, cached in the running worker; a few completions on that warm worker are the baseline; then
 * the worker is killed, a new one spawned at once, and a completion sent right after the kill is
 * timed until the workflow answers it. The new process's startup is split from its own log line
 * (workers/main.ts): process up, modules loaded (tsx), connected, bundle loaded, polling. Beside
 * them, one restart from a JS build of workers/main.ts run by node (what tsx costs at start) and
 * one under tsx without WORKFLOW_BUNDLE (what webpack at start costs).
 * Target: restart → served ≤ 5 s.
 */

/** How the new worker process starts: the prebuilt workflow bundle or webpack, under tsx or from a JS build with node. */
export type StartKind = 'tsx + bundle' | 'node + bundle' | 'tsx + webpack';

export interface RestartRound {
  /** Kill → the completion's answer. */
  servedMs: number;
  kind: StartKind;
  /** The new process, from its spawn: up (its clock starts), modules loaded, connected, bundle loaded, polling. */
  startup: { upMs: number; modulesLoadedMs: number; connectedMs: number; bundleLoadedMs: number; pollingMs: number };
}

export interface WorkerRestartResult {
  /** Completions on a warm worker (the run cached), ms, sorted. */
  warm: number[];
  rounds: RestartRound[];
}

export interface WorkerRestartOptions {
  /** Restarts as production starts a worker, tsx with the prebuilt bundle (default 3). */
  rounds?: number;
  /** Besides, one restart each from a JS build run by node (no tsx), and under tsx without the bundle (webpack); default true. */
  variants?: boolean;
  /** Attempts left waiting in their task beside the measured ones (default 50). */
  waiting?: number;
  log?: (line: string) => void;
}

const graph = SLEEPER_GRAPH;
const PLAYBOOK = 'bench-restart';
const WARM_PER_ROUND = 5;
const RITA = { userId: 'u-rita', role: 'rep' as const, department: 'after_sales' };
const OLGA = { userId: 'u-olga', role: 'ops_manager' as const, department: null };
const WAIT_MS = 120_000;

export async function measureWorkerRestart(opts: WorkerRestartOptions = {}): Promise<WorkerRestartResult> {
  const say = opts.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-restart-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  const temporal = await startTemporal({ port: await freePort(), uiPort: null, dbFile: null });
  const pool = createPool(pg.url, 10);
  let worker: WorkerProcess | null = null;
  let client: Client | null = null;
  try {
    await migrate(pg.url, pg.appUrl);
    await seedDemo(pool);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silentLogger })).code);
    client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    const plan = compilePlaybook(graph).plan!;
    await pool.query('INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, $2, $3)', [PLAYBOOK, 'Bench restart', JSON.stringify(graph)]);
    await pool.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, $2, $3, $4)', [
      PLAYBOOK,
      JSON.stringify(graph),
      JSON.stringify(plan),
      plan.hash,
    ]);
    const jsBuild = path.join(dir, 'worker.js');
    if (opts.variants !== false) await buildWorkerJs(jsBuild);
    const env = (bundle: boolean): NodeJS.ProcessEnv => ({
      ...process.env,
      // The JS build leaves packages outside: they resolve from the project's node_modules.
      NODE_PATH: path.join(ROOT, 'node_modules'),
      NODE_ENV: 'production',
      DATABASE_URL: pg.appUrl,
      TEMPORAL_ADDRESS: temporal.address,
      LINK_SECRET: randomBytes(36).toString('base64url'),
      PUBLIC_URL: 'http://127.0.0.1:3000',
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      WORKFLOW_BUNDLE: bundle ? bundlePath : '',
    });
    const attempts = new Attempts(pool, client, plan);
    worker = await WorkerProcess.spawn('tsx + bundle', env(true));
    say(`first worker polling after ${(worker.startup.pollingMs / 1000).toFixed(1)} s; ${opts.waiting ?? 50} attempts left waiting in their task`);
    await attempts.startWaiting('BRW', opts.waiting ?? 50);

    const warm: number[] = [];
    const rounds: RestartRound[] = [];
    const kinds: StartKind[] = [
      ...Array.from({ length: opts.rounds ?? 3 }, () => 'tsx + bundle' as const),
      ...(opts.variants === false ? [] : (['node + bundle', 'tsx + webpack'] as const)),
    ];
    for (const [i, kind] of kinds.entries()) {
      // Attempts the running worker just started: their runs are in its cache, their next task on its sticky queue.
      const fresh = await attempts.startWaiting(`BR${i}-`, WARM_PER_ROUND + 1);
      for (const id of fresh.slice(0, WARM_PER_ROUND)) warm.push(await timed(() => attempts.complete(id)));
      const killedAt = performance.now();
      worker.kill();
      const next = WorkerProcess.spawn(kind, env(kind !== 'tsx + webpack'), killedAt, jsBuild);
      const servedMs = await timed(() => attempts.complete(fresh[WARM_PER_ROUND]));
      worker = await next;
      rounds.push({ servedMs, kind, startup: worker.startup });
      say(`round ${i + 1} (${kind}): served ${(servedMs / 1000).toFixed(2)} s after the kill`);
    }
    return { warm: warm.sort((a, b) => a - b), rounds };
  } finally {
    worker?.kill();
    await client?.connection.close().catch(() => undefined);
    await pool.end();
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await call();
  return performance.now() - t;
}

/** Attempts of the bench playbook, started through the real start path and completed as a rep would. */
class Attempts {
  constructor(
    private readonly pool: Pool,
    private readonly client: Client,
    private readonly plan: CompiledPlan,
  ) {}

  /** `count` new attempts, each waiting in its open task (first transition stored); their customer ids. */
  async startWaiting(prefix: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);
    await this.pool.query(
      `INSERT INTO customers (id, name, grade, value, department_id, status) SELECT id, 'Customer ' || id, 'ordinary', 1000, 'after_sales', 'at_risk' FROM unnest($1::text[]) id`,
      [ids],
    );
    for (const id of ids) await this.start(id);
    await until(
      async () =>
        (await this.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE status = 'open' AND customer_id = ANY($1)", [ids])).rows[0].n ===
        count,
      `${count} attempts waiting in their task`,
      WAIT_MS,
      50,
    );
    // Stored is not yet idle: the workflow task that takes in the activity's result may still be
    // running, and one a kill catches mid-way waits out its 10 s timeout, which is another figure.
    await until(
      async () => {
        const idle = await Promise.all(
          ids.map(async (id) => !(await this.client.workflow.getHandle(workflowIdFor(id, PLAYBOOK)).describe()).raw.pendingWorkflowTask),
        );
        return idle.every(Boolean);
      },
      `${count} attempts idle`,
      WAIT_MS,
      50,
    );
    return ids;
  }

  /** Through the API's start step (server/attemptStart.ts), with its workflow task timeout: what a kill costs depends on it. */
  private async start(customerId: string): Promise<void> {
    const customer = { id: customerId, name: `Customer ${customerId}`, department: 'after_sales', grade: 'ordinary', value: 1000, accountManager: null };
    const playbook = { key: PLAYBOOK, version: 1, name: 'Bench restart', plan: this.plan };
    const input = buildRunInput({ attemptId: randomUUID(), playbook, customer, startedBy: OLGA, variables: {} });
    await startAttemptRun({ pool: this.pool, temporal: this.client, config: BENCH_START_SETTINGS }, input);
  }

  /** The rep's completion of the customer's open task, as POST /api/tasks/:id/complete sends it: answered once applied and stored. */
  async complete(customerId: string): Promise<void> {
    const { rows } = await this.pool.query<{ workflow_id: string; task_key: string }>(
      "SELECT workflow_id, task_key FROM tasks WHERE status = 'open' AND customer_id = $1",
      [customerId],
    );
    const task = rows[0];
    if (!task) throw new Error(`no open task for ${customerId}`);
    await this.client.workflow.getHandle(task.workflow_id).executeUpdate(completeTaskUpdate, {
      args: [{ taskKey: task.task_key, outcome: 'done', form: {}, actor: RITA }],
    });
  }
}

/** `tsx workers/main.ts` as a child in its own process group, so a kill takes tsx's node child with it. */
class WorkerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly startup: RestartRound['startup'],
  ) {}

  static async spawn(kind: StartKind, env: NodeJS.ProcessEnv, since = performance.now(), jsBuild = ''): Promise<WorkerProcess> {
    const sinceEpoch = performance.timeOrigin + since;
    const [command, args] =
      kind === 'node + bundle' ? [process.execPath, [jsBuild]] : [path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join('workers', 'main.ts')]];
    const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr = (stderr + String(d)).slice(-4000)));
    const line = await new Promise<Record<string, unknown>>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(() => reject(new Error(`worker not running after ${WAIT_MS} ms:\n${stderr}`)), WAIT_MS);
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${stderr}`)));
      child.stdout?.on('data', (d) => {
        buffered += String(d);
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const text = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (!text.includes('"worker running"')) continue;
          clearTimeout(timer);
          resolve(JSON.parse(text));
        }
      });
    });
    const s = line.startup as { processStart: number; modulesLoadedMs: number; connectedMs: number; bundleLoadedMs: number; pollingMs: number };
    // The child's clock starts at its own process start; the figures are from the spawn (or the kill before it).
    const up = s.processStart - sinceEpoch;
    return new WorkerProcess(child, {
      upMs: up,
      modulesLoadedMs: up + s.modulesLoadedMs,
      connectedMs: up + s.connectedMs,
      bundleLoadedMs: up + s.bundleLoadedMs,
      pollingMs: up + s.pollingMs,
    });
  }

  kill(): void {
    if (this.child.pid && this.child.exitCode === null) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** workers/main.ts as one CommonJS file (packages left outside), so node runs it without tsx transpiling at start. */
async function buildWorkerJs(outfile: string): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'workers', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  });
}

const ms = (v: number) => `${(v / 1000).toFixed(2)} s`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/** The figure lines, for this script and for bench:scale. */
export function restartLines(r: WorkerRestartResult): string[] {
  const lines = [
    `worker restart → first completion served (kill → the completion's answer) | baseline: completion on a warm worker p50 ${(pct(r.warm, 0.5) ?? 0).toFixed(0)} ms, max ${(r.warm.at(-1) ?? 0).toFixed(0)} ms (${r.warm.length})`,
  ];
  for (const [i, round] of r.rounds.entries()) {
    const s = round.startup;
    lines.push(
      `  round ${i + 1} ${round.kind.padEnd(13)} served ${ms(round.servedMs).padStart(7)} | new process from the kill: up ${ms(s.upMs)}, modules loaded ${ms(s.modulesLoadedMs)}, connected ${ms(s.connectedMs)}, bundle loaded ${ms(s.bundleLoadedMs)}, polling ${ms(s.pollingMs)}`,
    );
  }
  return lines;
}

if (require.main === module) {
  measureWorkerRestart({ log: (l) => console.log(l) })
    .then((r) => {
      console.log('');
      console.log(`worker restart on the dev server (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}), target ≤ 5 s:`);
      for (const l of restartLines(r)) console.log(l);
    })
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
