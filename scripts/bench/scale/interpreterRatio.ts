import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import pLimit from 'p-limit';
import type { Pool } from 'pg';
import { compilePlaybook } from '../../../playbooks/compile';
import type { CompiledPlan } from '../../../playbooks/plan';
import { createActivities } from '../../../workers/activities';
import { createRiskActivities } from '../../../workers/riskActivities';
import { createWorker, DEFAULT_ACTIVITY_SLOTS } from '../../../workers/worker';
import { buildRunInput, workflowIdFor } from '../../../workflows/runInput';
import { silentLogger } from '../support';
import { chainGraph } from './chainPlaybooks';
import type { HandWrittenInput } from './handWritten';

/** Per kind and round: with 12 measured batches, enough runs to be throughput-bound, few enough for the bench's 10 minutes. */
const RUNS = Number(process.env.BENCH_CHAIN_RUNS ?? 50);
const ROUNDS = 3;
const WARM_UP = 10;
const START_CONCURRENCY = 16;
const ROUND_LIMIT_MS = 5 * 60_000;
const INTERPRETER_QUEUE = 'bench-interpreter';
const HAND_WRITTEN_QUEUE = 'bench-hand-written';
const OLGA = { userId: 'u-olga', role: 'ops_manager', department: null };

type Kind = 'interpreter' | 'hand-written';
interface Variant {
  withTimers: boolean;
  key: string;
  plan: CompiledPlan;
}

/**
 * Interpreter ÷ hand-written workflow: the five steps of chainPlaybooks.ts run by playbookRun (the
 * product's bundle) and by handWritten.ts (bundled on its own), each on a fresh worker of its own
 * with the product worker's settings and activities, on an otherwise idle task queue. Each round
 * starts RUNS runs of one kind, then of the other (the order alternates between rounds, so drift of
 * the machine's load falls on both), and counts runs/s from the first start to the last result.
 */
export async function interpreterRatio(opts: {
  pool: Pool;
  client: Client;
  address: string;
  bundlePath: string;
  bundleBytes: number;
  maxCachedWorkflows: number;
}): Promise<string[]> {
  const { pool, client } = opts;
  const variants: Variant[] = [];
  for (const withTimers of [true, false]) {
    const key = withTimers ? 'bench-chain-timers' : 'bench-chain';
    const graph = chainGraph(withTimers);
    const plan = compilePlaybook(graph).plan!;
    await pool.query('INSERT INTO playbooks (key, name, draft_graph) VALUES ($1, $1, $2)', [key, JSON.stringify(graph)]);
    await pool.query('INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ($1, 1, $2, $3, $4)', [
      key,
      JSON.stringify(graph),
      JSON.stringify(plan),
      plan.hash,
    ]);
    variants.push({ withTimers, key, plan });
  }

  const interpreter = await createWorker({
    address: opts.address,
    namespace: 'default',
    pool,
    workflowBundle: { codePath: opts.bundlePath },
    taskQueue: INTERPRETER_QUEUE,
    maxCachedWorkflows: opts.maxCachedWorkflows,
  });
  const handWritten = await handWrittenWorker(pool, opts.address, opts.maxCachedWorkflows);
  const runs = [interpreter.worker.run(), handWritten.worker.run()];
  let customers = 0;
  try {
    /** `count` runs of one kind, all started (16 at a time) then awaited: runs/s over that time. */
    const batch = async (kind: Kind, variant: Variant, count: number): Promise<number> => {
      const ids = Array.from({ length: count }, () => `BI-${++customers}`);
      await pool.query(
        "INSERT INTO customers (id, name, grade, value, department_id, status) SELECT id, 'Chain ' || id, 'ordinary', 1000, 'after_sales', 'at_risk' FROM unnest($1::text[]) id",
        [ids],
      );
      const limit = pLimit(START_CONCURRENCY);
      const t = performance.now();
      const handles = await Promise.all(ids.map((id) => limit(() => startRun(client, kind, variant, id))));
      await withinLimit(Promise.all(handles.map((h) => h.result())), `${kind} runs of ${variant.key}`);
      return (count * 1000) / (performance.now() - t);
    };
    const lines: string[] = [];
    // Each worker's first runs load its bundle into the workflow threads: not counted (the chain
    // without timers is enough for that, and takes no 4 s).
    const untimed = variants.find((v) => !v.withTimers)!;
    await batch('interpreter', untimed, WARM_UP);
    await batch('hand-written', untimed, WARM_UP);
    for (const variant of variants) {
      const rates: Record<Kind, number[]> = { interpreter: [], 'hand-written': [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order: Kind[] = round % 2 === 0 ? ['interpreter', 'hand-written'] : ['hand-written', 'interpreter'];
        for (const kind of order) rates[kind].push(await batch(kind, variant, RUNS));
      }
      const ratios = rates.interpreter.map((r, i) => r / rates['hand-written'][i]);
      const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
      lines.push(
        `  interpreter ÷ hand-written, ${variant.withTimers ? '1 s timers' : 'no timers '} ${median(ratios).toFixed(2)} (rounds ${ratios.map((r) => r.toFixed(2)).join(', ')})` +
          ` | interpreter ${fmt(rates.interpreter)} runs/s, hand-written ${fmt(rates['hand-written'])} runs/s`,
      );
    }
    lines.push(
      `  (${RUNS} runs of 5 steps per kind and round, ${ROUNDS} rounds, after ${WARM_UP} unmeasured; runs/s from the first start to the last result, so the timed chain's 4 s of timers count;` +
        ` bundles ${(handWritten.bundleBytes / 1024).toFixed(0)} KiB hand-written, ${(opts.bundleBytes / 1024).toFixed(0)} KiB interpreter)`,
    );
    return lines;
  } finally {
    interpreter.worker.shutdown();
    handWritten.worker.shutdown();
    await Promise.all(runs);
    await interpreter.connection.close();
    await handWritten.connection.close();
  }
}

async function startRun(client: Client, kind: Kind, variant: Variant, customerId: string) {
  const customer = { id: customerId, name: `Chain ${customerId}`, department: 'after_sales', grade: 'ordinary', value: 1000, accountManager: null };
  const input = buildRunInput({
    attemptId: randomUUID(),
    playbook: { key: variant.key, version: 1, name: variant.key, plan: variant.plan },
    customer,
    startedBy: OLGA,
    variables: {},
  });
  if (kind === 'interpreter')
    return client.workflow.start('playbookRun', { taskQueue: INTERPRETER_QUEUE, workflowId: workflowIdFor(customerId, variant.key), args: [input] });
  const args: HandWrittenInput = {
    attempt: { attemptId: input.attemptId, customerId, playbookKey: variant.key, playbookVersion: 1, startedBy: OLGA.userId },
    customer: { ...input.customer },
    withTimers: variant.withTimers,
  };
  return client.workflow.start('handWrittenChain', { taskQueue: HAND_WRITTEN_QUEUE, workflowId: `hand-written/${customerId}/${variant.key}`, args: [args] });
}

/** The hand-written workflow bundled alone, with the product worker's activities and settings (workers/worker.ts). */
async function handWrittenWorker(pool: Pool, address: string, maxCachedWorkflows: number) {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'handWritten.ts'), logger: silentLogger });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: HAND_WRITTEN_QUEUE,
    workflowBundle: { code },
    activities: { ...createActivities(pool), ...createRiskActivities(pool) },
    maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: DEFAULT_ACTIVITY_SLOTS,
    stickyQueueScheduleToStartTimeout: '2 seconds',
    shutdownGraceTime: '10 seconds',
  });
  return { worker, connection, bundleBytes: code.length };
}

function withinLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ROUND_LIMIT_MS)));
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
