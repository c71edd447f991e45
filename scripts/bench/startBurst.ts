import os from 'node:os';
import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import pino from 'pino';
import type { Pool } from 'pg';
import { compilePlaybook } from '../../playbooks/compile';
import type { CompiledPlan } from '../../playbooks/plan';
import type { Config } from '../../platform/config';
import { startBacklog, StartGate, workflowTaskBacklog } from '../../platform/startGate';
import type { SessionUser } from '../../server/http';
import { sendOperation, type AttemptRow } from '../../server/operate/operations';
import { TASK_QUEUE } from '../../workflows/contract';
import { createWorker } from '../../workers/worker';
import { SLEEPER_GRAPH, startBenchAttempt, until } from './support';
import { withBenchServices } from './throwaway';

/**
 * A start burst with and without the start gate (platform/startGate.ts), on the worker already
 * polling the playbook task queue: `attempts` starts, 16 at a time, as fast as the start path
 * takes them; through the gate a refused start waits its Retry-After and asks again, as a client
 * told 503 start_backlog does. Meanwhile reps' completions (a no-op Update applied and stored, as
 * bench:scale times them) run 4 at a time on attempts asleep before the burst. Prints, for each:
 * accepted starts/s, settled starts/s (first transition stored) and completion p50/p99 during
 * the burst; beside the completion p50/p99 with no burst. npm run bench:scale calls it; alone:
 * `tsx scripts/bench/startBurst.ts` (BENCH_ATTEMPTS, default 1,000).
 */
const START_CONCURRENCY = 16;
const COMPLETION_CONCURRENCY = 4;
const SLEEPERS = 20;
const QUIET_ROUND_TRIPS = 100;
const WAIT_LIMIT_MS = 10 * 60_000;
const PLAYBOOK = 'bench-burst';
const OLGA: SessionUser = { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager', department: null };
const graph = SLEEPER_GRAPH;

export interface BurstFigures {
  acceptedPerSecond: number;
  settledPerSecond: number;
  /** Starts refused (503 start_backlog) and asked again; 0 without the gate. */
  refusals: number;
  completionP50Ms: number;
  completionP99Ms: number;
  completions: number;
}

export interface StartBurstResult {
  quiet: { p50Ms: number; p99Ms: number };
  withoutGate: BurstFigures;
  withGate: BurstFigures;
  limit: number;
}

/** Runs both bursts and prints the figure line; `client` and `pool` reach the Temporal and PostgreSQL a worker serves. */
export async function startBurst(client: Client, pool: Pool, config: Config, attempts: number): Promise<StartBurstResult> {
  const plan = await publishBurstPlaybook(pool);
  const deps = { pool, temporal: client, log: pino({ level: 'silent' }), config };
  const start = (id: string) => startBenchAttempt(pool, client, { key: PLAYBOOK, version: 1, name: 'Bench burst', plan }, id, `Customer ${id}`);
  /** Attempts asleep in their task, started just before they are needed, so each burst meets the same warm runs. */
  const sleepersOf = async (prefix: string): Promise<AttemptRow[]> => {
    await addCustomers(pool, prefix, SLEEPERS);
    for (let i = 1; i <= SLEEPERS; i++) await start(`${prefix}${i}`);
    await until(async () => (await settled(pool, `${prefix}%`)) >= SLEEPERS, 'the sleepers asleep', WAIT_LIMIT_MS);
    return (await pool.query<AttemptRow>('SELECT * FROM recovery_attempts WHERE customer_id LIKE $1', [`${prefix}%`])).rows;
  };
  /** The worker and Temporal done with earlier work (no workflow task waiting), then a breath. */
  const quiet = async () => {
    await until(
      async () => (await workflowTaskBacklog(client.workflowService, client.options.namespace, TASK_QUEUE)) === 0,
      'the task queue empty',
      WAIT_LIMIT_MS,
    );
    await new Promise((r) => setTimeout(r, 3000));
  };
  let op = 0;
  const complete = (row: AttemptRow) =>
    sendOperation(deps, OLGA, row, { type: 'set_variable', name: 'bench_noop', value: op }, { reason: 'bench: a no-op Update', operationId: `burst-${++op}` });

  let sleepers = await sleepersOf('SBQ-');
  const quietTimes: number[] = [];
  const quietLimit = pLimit(COMPLETION_CONCURRENCY);
  await Promise.all(
    Array.from({ length: QUIET_ROUND_TRIPS }, (_, i) => quietLimit(async () => quietTimes.push(await timed(() => complete(sleepers[i % SLEEPERS]))))),
  );
  quietTimes.sort((a, b) => a - b);

  const burst = async (prefix: string, gate: StartGate | null): Promise<BurstFigures> => {
    await addCustomers(pool, prefix, attempts);
    sleepers = await sleepersOf(`Z${prefix}`);
    await quiet();
    let refusals = 0;
    let done = false;
    const times: number[] = [];
    // Reps keep working while the burst lands: completions until every start has settled.
    const reps = Array.from({ length: COMPLETION_CONCURRENCY }, async (_, r) => {
      for (let i = r; !done; i += COMPLETION_CONCURRENCY) times.push(await timed(() => complete(sleepers[i % SLEEPERS])));
    });
    const t = performance.now();
    const limit = pLimit(START_CONCURRENCY);
    await Promise.all(
      Array.from({ length: attempts }, (_, i) =>
        limit(async () => {
          for (;;) {
            const decision = gate ? await gate.tryAdmit() : null;
            if (!decision || decision.admit) break;
            refusals++;
            await new Promise((r) => setTimeout(r, decision.retryAfterSeconds * 1000));
          }
          await start(`${prefix}${i + 1}`);
        }),
      ),
    );
    const acceptedMs = performance.now() - t;
    await until(async () => (await settled(pool, `${prefix}%`)) >= attempts, `the ${prefix} burst settled`, WAIT_LIMIT_MS, 100);
    const settledMs = performance.now() - t;
    done = true;
    await Promise.all(reps);
    times.sort((a, b) => a - b);
    return {
      acceptedPerSecond: (attempts * 1000) / acceptedMs,
      settledPerSecond: (attempts * 1000) / settledMs,
      refusals,
      completionP50Ms: pct(times, 0.5),
      completionP99Ms: pct(times, 0.99),
      completions: times.length,
    };
  };

  const gate = new StartGate({
    limit: config.START_BACKLOG_LIMIT,
    measure: startBacklog({ pool, workflowService: client.workflowService, namespace: client.options.namespace, taskQueue: TASK_QUEUE }),
  });
  // The gate's burst first: the second burst meets a bigger database and worker cache, which must not flatter the gate.
  const withGate = await burst('SBG-', gate);
  const withoutGate = await burst('SBN-', null);
  const result = { quiet: { p50Ms: pct(quietTimes, 0.5), p99Ms: pct(quietTimes, 0.99) }, withoutGate, withGate, limit: config.START_BACKLOG_LIMIT };
  for (const line of burstLines(result, attempts)) console.log(line);
  return result;
}

export function burstLines(r: StartBurstResult, attempts: number): string[] {
  const one = (f: BurstFigures) =>
    `accepted ${f.acceptedPerSecond.toFixed(1)}/s, settled ${f.settledPerSecond.toFixed(1)}/s, completions p50 ${f.completionP50Ms.toFixed(0)} ms p99 ${f.completionP99Ms.toFixed(0)} ms (${f.completions})`;
  return [
    `  start burst of ${attempts.toLocaleString()}, ${START_CONCURRENCY} at a time; completions ${COMPLETION_CONCURRENCY} at a time (no burst: p50 ${r.quiet.p50Ms.toFixed(0)} ms p99 ${r.quiet.p99Ms.toFixed(0)} ms)`,
    `    through the gate (limit ${r.limit}, ${r.withGate.refusals.toLocaleString()} refusals retried) ${one(r.withGate)}`,
    `    without the gate                    ${one(r.withoutGate)}`,
  ];
}

async function publishBurstPlaybook(pool: Pool): Promise<CompiledPlan> {
  const plan = compilePlaybook(graph).plan!;
  await pool.query("INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, 'Bench burst', $2) ON CONFLICT DO NOTHING", [PLAYBOOK, JSON.stringify(graph)]);
  await pool.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, $2, $3, $4) ON CONFLICT DO NOTHING', [
    PLAYBOOK,
    JSON.stringify(graph),
    JSON.stringify(plan),
    plan.hash,
  ]);
  return plan;
}

const addCustomers = (pool: Pool, prefix: string, count: number) =>
  pool.query(
    `INSERT INTO customers (id, name, grade, value, department_id, status)
     SELECT $1 || g, 'Customer ' || g, 'ordinary', 1000, 'after_sales', 'at_risk' FROM generate_series(1, $2::int) g ON CONFLICT DO NOTHING`,
    [prefix, count],
  );

/** Attempts of these customers whose first transition is stored. */
const settled = async (pool: Pool, customers: string) =>
  (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_attempts WHERE last_transition > 0 AND customer_id LIKE $1', [customers])).rows[0]
    .n;

async function timed(call: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await call();
  return performance.now() - t;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** Alone: a throw-away PostgreSQL and headless Temporal dev server, the worker in this process. */
async function main() {
  const attempts = Number(process.env.BENCH_ATTEMPTS ?? 1000);
  await withBenchServices(
    'bench-burst-',
    async ({ pool, client, config, temporalAddress, bundlePath, stops }) => {
      const worker = await createWorker({
        address: temporalAddress,
        namespace: 'default',
        pool,
        workflowBundle: { codePath: bundlePath },
        maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
        startBacklogLimit: config.START_BACKLOG_LIMIT,
        activitySlots: config.WORKER_ACTIVITY_SLOTS,
      });
      const run = worker.worker.run();
      stops.push(async () => {
        worker.worker.shutdown();
        await run;
      });
      console.log(`start burst on the dev server (${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}), worker in this process:`);
      await startBurst(client, pool, config, attempts);
      console.log(`  (load ${os.loadavg()[0].toFixed(2)} at the end)`);
    },
    process.env,
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
