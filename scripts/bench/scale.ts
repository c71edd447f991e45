import { readFileSync } from 'node:fs';
import os from 'node:os';
import pLimit from 'p-limit';
import pino from 'pino';
import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { attemptHandle, sendOperation, type AttemptRow } from '../../server/operate/operations';
import type { SessionUser } from '../../server/http';
import { runViewQuery } from '../../workflows/contract';
import { createWorker } from '../../workers/worker';
import { answerToTask } from './scale/answerToTask';
import { startBenchApi } from './scale/api';
import { BARE_QUEUE, bareWorker } from './scale/bareWorker';
import { mib, ms, pct, perThousand, rate, seconds } from './scale/format';
import { inboxUnderLoad } from './scale/inboxUnderLoad';
import { interpreterRatio } from './scale/interpreterRatio';
import { pgSize, pgSizeLine } from './scale/pgSize';
import { startBurst } from './startBurst';
import { startBenchAttempt, until } from './support';
import { withBenchServices } from './throwaway';

/**
 * npm run bench:scale — many attempts asleep in a task with a weeks-long SLA, on a throw-away
 * PostgreSQL and a headless Temporal dev server (loopback only), with the worker in this process and,
 * for the inbox figures, the API in a process of its own (server/main.ts, as production runs it).
 * `npm run bench:scale:topology` (BENCH_TEMPORAL=cluster) runs the same on production's Temporal:
 * four server processes on that PostgreSQL (scripts/topology/). Each figure beside its baseline from
 * the same run:
 * - starts/s through the API's start step (server/attemptStart.ts; 16 at a time)
 *   beside bare Temporal starts of a trivial workflow (an activity, then a 30-day sleep) at the same
 *   concurrency, and the time until all are asleep (their first transition stored) for both;
 * - this worker process's RSS, and the Temporal server's (scale/temporalRss.ts), per 1,000 sleeping
 *   attempts beside per 1,000 sleeping trivial workflows;
 * - PostgreSQL's size per 1,000 attempts and the tables that grew most, beside the database before
 *   them (scale/pgSize.ts);
 * - GET /api/inbox p99 for a rep and a head with every sleeping attempt's task open, open-loop at
 *   200 requests/s, beside the bare SQL of the same page (scale/inboxUnderLoad.ts);
 * - completions at bounded concurrency (8): a no-op Update (set_variable through sendOperation,
 *   applied and stored like a task's completion) beside a bare query round trip, p50 and p99;
 * - a customer answer → the next task on the rep's live stream, beside a bare Signal + Query
 *   (scale/answerToTask.ts);
 * - interpreter ÷ hand-written workflow, five steps with and without 1 s timers (scale/interpreterRatio.ts).
 * BENCH_ATTEMPTS (default 2,000; 10,000 for the figure) sets the count; every wait is bounded.
 */
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 2000);
const START_CONCURRENCY = 16;
/** Starts in the back-pressure burst (each way); BENCH_BURST to change. */
const BURST = Number(process.env.BENCH_BURST ?? 300);
const COMPLETION_CONCURRENCY = 8;
/** Enough round trips for a p99 (its 5th slowest), few enough for the bench's 10 minutes at the default count. */
const ROUND_TRIPS = Math.min(ATTEMPTS, 500);
const WAIT_LIMIT_MS = 8 * 60_000;
/** Runs of each kind started first and left out of the figures. */
const WARM_UP = 20;
const at = { x: 0, y: 0 };

const graph: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    {
      id: 'call',
      kind: 'task',
      position: at,
      config: {
        title: 'Call the customer back',
        assignee: { type: 'role', role: 'rep' },
        outcomes: [{ key: 'done', label: 'Done' }],
        sla: 'P21D',
        escalation: [{ role: 'department_head' }],
      },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'call' },
    { id: 'e2', source: 'call', sourceHandle: 'done', target: 'end' },
  ],
};

async function main() {
  const started = performance.now();
  await withBenchServices(
    'bench-scale-',
    async ({ dir, pool, databaseUrls, temporalAddress, temporalLabel, temporalRss, client, config, bundlePath, bundleBytes, stops }) => {
      const deps = { pool, temporal: client, log: pino({ level: 'silent' }), config };

      /** Attempts of these customers whose first transition is stored: they wait now. */
      const asleepCount = async (customers: string) =>
        (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM recovery_attempts WHERE waits <> '[]' AND customer_id LIKE $1", [customers])).rows[0]
          .n;
      const cache = config.WORKER_MAX_CACHED_WORKFLOWS;
      const worker = await createWorker({
        address: temporalAddress,
        namespace: 'default',
        pool,
        workflowBundle: { codePath: bundlePath },
        maxCachedWorkflows: cache,
        activitySlots: config.WORKER_ACTIVITY_SLOTS,
      });
      const workerRun = worker.worker.run();
      stops.push(async () => {
        worker.worker.shutdown();
        await workerRun;
      });
      const bare = await bareWorker(dir, temporalAddress, cache);
      stops.push(bare.stop);
      console.log(`workflow bundle ${(bundleBytes / 1024 / 1024).toFixed(2)} MB; worker cache ${cache} runs; ${ATTEMPTS.toLocaleString()} attempts`);

      const plan = compilePlaybook(graph).plan!;
      await pool.query("INSERT INTO playbooks (key, name, draft_graph) VALUES ('bench-scale', 'Bench scale', $1)", [JSON.stringify(graph)]);
      await pool.query("INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ('bench-scale', 1, $1, $2, $3)", [
        JSON.stringify(graph),
        JSON.stringify(plan),
        plan.hash,
      ]);
      await pool.query(
        `INSERT INTO customers (id, name, grade, value, department_id, status) SELECT 'BS-' || g, 'Customer ' || g, 'ordinary', 1000, 'after_sales', 'at_risk' FROM generate_series(1, ${ATTEMPTS}) g`,
      );
      await pool.query(
        `INSERT INTO customers (id, name, grade, value, department_id, status) SELECT 'BW-' || g, 'Warm-up ' || g, 'ordinary', 1000, 'after_sales', 'at_risk' FROM generate_series(1, ${WARM_UP}) g`,
      );
      /** One attempt through the real start path, as the API's start endpoint and the risk evaluation take it. */
      const startAttempt = (id: string) => startBenchAttempt(pool, client, { key: 'bench-scale', version: 1, name: 'Bench scale', plan }, id, `Customer ${id}`);

      // Warm-up of both workers (each loads its bundle into its workflow threads on its first runs), not counted.
      for (let i = 1; i <= WARM_UP; i++) {
        await startAttempt(`BW-${i}`);
        await client.workflow.start('bareSleep', { taskQueue: BARE_QUEUE, workflowId: `bare-warm-${i}`, args: [] });
      }
      await until(async () => bare.asleep() >= WARM_UP && (await asleepCount('BW-%')) >= WARM_UP, 'the warm-up asleep', WAIT_LIMIT_MS);
      await settle();

      // Baseline first: trivial workflows through bare starts, until each has run its activity.
      const idle = memory(temporalRss);
      const bareLimit = pLimit(START_CONCURRENCY);
      let t = performance.now();
      await Promise.all(
        Array.from({ length: ATTEMPTS }, (_, i) =>
          bareLimit(() => client.workflow.start('bareSleep', { taskQueue: BARE_QUEUE, workflowId: `bare-${i}`, args: [] })),
        ),
      );
      const bareStartMs = performance.now() - t;
      await until(async () => bare.asleep() >= WARM_UP + ATTEMPTS, 'all trivial workflows asleep', WAIT_LIMIT_MS);
      const bareAsleepMs = performance.now() - t;
      await settle();
      const withBare = memory(temporalRss);
      const pgBefore = await pgSize(pool);

      // The real start path, as many at a time, until each attempt's first transition is stored.
      const limit = pLimit(START_CONCURRENCY);
      t = performance.now();
      await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => limit(() => startAttempt(`BS-${i + 1}`))));
      const startMs = performance.now() - t;
      await until(async () => (await asleepCount('BS-%')) >= ATTEMPTS, 'all attempts asleep', WAIT_LIMIT_MS);
      const asleepMs = performance.now() - t;
      await settle();
      const withAttempts = memory(temporalRss);
      const pgAfter = await pgSize(pool);

      const perK = (bytes: number) => perThousand(bytes, ATTEMPTS);
      console.log('');
      console.log(`scale on ${temporalLabel} (${os.cpus().length} cores), ${ATTEMPTS.toLocaleString()} each, figure | baseline from this run:`);
      console.log(
        `  starts, ${START_CONCURRENCY} at a time        ${rate(ATTEMPTS, startMs).padStart(9)} real start path | ${rate(ATTEMPTS, bareStartMs).padStart(9)} bare Temporal starts (${(bareStartMs / startMs).toFixed(2)} of bare)`,
      );
      console.log(`  until all asleep               ${seconds(asleepMs).padStart(9)} attempts        | ${seconds(bareAsleepMs).padStart(9)} trivial workflows`);
      console.log(
        `  worker RSS (this process)      ${perK(withAttempts.worker - withBare.worker).padStart(9)} sleeping attempts | ${perK(withBare.worker - idle.worker)} trivial workflows (idle ${mib(idle.worker)}, now ${mib(withAttempts.worker)})`,
      );
      console.log(
        `  Temporal server RSS            ${perK(withAttempts.temporal - withBare.temporal).padStart(9)} sleeping attempts | ${perK(withBare.temporal - idle.temporal)} trivial workflows (idle ${mib(idle.temporal)}, now ${mib(withAttempts.temporal)})`,
      );
      console.log(pgSizeLine(pgBefore, pgAfter, ATTEMPTS));

      // The API in a process of its own, as production runs it: the inbox under load, then the live stream's answers.
      const api = await startBenchApi({ dir, databaseUrls, temporalAddress });
      stops.push(() => api.close());
      for (const line of await inboxUnderLoad(pool, api)) console.log(line);

      // Completions: a no-op Update applied and stored, beside a bare query of the same attempts.
      const user: SessionUser = { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager', department: null };
      const rows = (await pool.query<AttemptRow>("SELECT * FROM recovery_attempts WHERE customer_id LIKE 'BS-%' ORDER BY customer_id LIMIT $1", [ROUND_TRIPS]))
        .rows;
      const queries = await roundTrips(rows, (row) => attemptHandle(deps, row).query(runViewQuery));
      const updates = await roundTrips(rows, (row, i) =>
        sendOperation(deps, user, row, { type: 'set_variable', name: 'bench_noop', value: i }, { reason: 'bench: a no-op Update', operationId: `noop-${i}` }),
      );
      console.log(
        `  completions, ${COMPLETION_CONCURRENCY} at a time    p50 ${ms(pct(updates.sorted, 0.5))} p99 ${ms(pct(updates.sorted, 0.99))} ${rate(rows.length, updates.wallMs)} no-op Update | p50 ${ms(pct(queries.sorted, 0.5))} p99 ${ms(pct(queries.sorted, 0.99))} ${rate(rows.length, queries.wallMs)} bare query`,
      );
      console.log(`  (${rows.length.toLocaleString()} round trips each)`);
      for (const line of await answerToTask(pool, client, api)) console.log(line);

      for (const line of await interpreterRatio({ pool, client, address: temporalAddress, bundlePath, bundleBytes: bundleBytes, maxCachedWorkflows: cache }))
        console.log(line);
      // Last, on the same worker: a start burst through the back-pressure gate, beside the same burst without it.
      await startBurst(client, pool, config, BURST);
      console.log(
        `  (whole bench ${seconds(performance.now() - started)}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`,
      );
    },
    // The bench's settings (WORKER_ACTIVITY_SLOTS, START_BACKLOG_LIMIT…) can be varied from the shell.
    process.env,
  );
}

/** This process's RSS (the worker's) and the Temporal server's, in bytes. */
function memory(temporalRss: () => number): { worker: number; temporal: number } {
  return { worker: process.memoryUsage().rss, temporal: temporalRss() };
}

/** Each row once, COMPLETION_CONCURRENCY at a time: every call's latency (sorted) and the wall time. */
async function roundTrips(rows: AttemptRow[], call: (row: AttemptRow, i: number) => Promise<unknown>): Promise<{ sorted: number[]; wallMs: number }> {
  const limit = pLimit(COMPLETION_CONCURRENCY);
  const times: number[] = [];
  const t = performance.now();
  await Promise.all(
    rows.map((row, i) =>
      limit(async () => {
        const s = performance.now();
        await call(row, i);
        times.push(performance.now() - s);
      }),
    ),
  );
  return { sorted: times.sort((a, b) => a - b), wallMs: performance.now() - t };
}

/** Let the last workflow tasks finish and the heap settle before reading RSS. */
async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 3000));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
