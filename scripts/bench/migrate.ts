import type { Client } from '@temporalio/client';
import pLimit from 'p-limit';
import pino from 'pino';
import { compilePlaybook } from '../../playbooks/compile';
import type { PlaybookGraph } from '../../playbooks/graph';
import { createPool } from '../../platform/db/pool';
import { sendOperation, type AttemptRow } from '../../server/operate/operations';
import { startOperationsWorker } from '../../server/operate/batchWorker';
import { closeReplayer } from '../../server/audit/replay';
import type { SessionUser } from '../../server/http';
import { BATCH_WORKFLOW_TYPE, OPERATIONS_TASK_QUEUE } from '../../workflows/batchContract';

import { createWorker } from '../../workers/worker';
import { startBenchAttempt, until } from './support';
import { withBenchServices } from './throwaway';

/**
 * npm run bench:migrate — 2,000 attempts asleep in a 30-day wait on a throw-away PostgreSQL and a
 * headless Temporal dev server (loopback only), moved to a version that inserts a step after the
 * wait: the dry run (each attempt's history replayed on today's code, its replayed state checked
 * against the live one, the migration applied to it through the pure runtime) and the migration
 * itself, both as batches (the workflow, its activities, 8 attempts at a time). Baseline from the
 * same run: the round trip of a no-op Update (set a variable) over the same attempts, 8 at a time.
 */
const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 2000);
const CONCURRENCY = 8;
const at = { x: 0, y: 0 };
const v1: PlaybookGraph = {
  nodes: [
    { id: 'start', kind: 'start', position: at, config: {} },
    { id: 'wait', kind: 'delay', position: at, config: { duration: 'P30D' } },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'retained' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'end' },
  ],
};
const v2: PlaybookGraph = {
  nodes: [
    ...v1.nodes.filter((n) => n.id !== 'end'),
    {
      id: 'follow',
      kind: 'task',
      position: at,
      config: { title: 'Follow-up call', assignee: { type: 'role', role: 'rep' }, outcomes: [{ key: 'done', label: 'Done' }] },
    },
    { id: 'end', kind: 'end', position: at, config: { outcome: 'won_back' } },
  ],
  edges: [
    { id: 'e1', source: 'start', sourceHandle: 'next', target: 'wait' },
    { id: 'e2', source: 'wait', sourceHandle: 'next', target: 'follow' },
    { id: 'e3', source: 'follow', sourceHandle: 'done', target: 'end' },
  ],
};
const rate = (n: number, ms: number) => `${((n * 1000) / ms).toFixed(1)} attempts/s`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  await withBenchServices('bench-migrate-', async ({ pool, client, config, temporalAddress, bundlePath, stops }) => {
    // The proofs' replayer goes last, after the workers.
    stops.unshift(closeReplayer);
    const deps = { pool, temporal: client, log: pino({ level: 'silent' }), config };
    const worker = await createWorker({ address: temporalAddress, namespace: 'default', pool, workflowBundle: { codePath: bundlePath } });
    const workerRun = worker.worker.run();
    stops.push(async () => {
      worker.worker.shutdown();
      await workerRun;
    });
    const operations = await startOperationsWorker(deps, { address: temporalAddress, namespace: 'default' });
    stops.push(() => operations.stop());

    // Two published versions of one playbook, and the attempts asleep in version 1's wait.
    const plans = [compilePlaybook(v1).plan!, compilePlaybook(v2).plan!];
    await pool.query("INSERT INTO playbooks (key, name, draft_graph) VALUES ('bench-migrate', 'Bench migrate', $1)", [JSON.stringify(v2)]);
    for (const [i, plan] of plans.entries()) {
      await pool.query("INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ('bench-migrate', $1, $2, $3, $4)", [
        i + 1,
        JSON.stringify(i ? v2 : v1),
        JSON.stringify(plan),
        plan.hash,
      ]);
    }
    await pool.query(
      `INSERT INTO customers (id, name, grade, value, department_id, status) SELECT 'BM-' || g, 'Customer ' || g, 'ordinary', 1000, 'after_sales', 'at_risk' FROM generate_series(1, ${ATTEMPTS}) g`,
    );
    let t = performance.now();
    const limit = pLimit(16);
    await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        limit(() =>
          startBenchAttempt(pool, client, { key: 'bench-migrate', version: 1, name: 'Bench migrate', plan: plans[0] }, `BM-${i + 1}`, `Customer ${i + 1}`),
        ),
      ),
    );
    const startMs = performance.now() - t;
    await until(
      async () => (await pool.query("SELECT count(*)::int AS n FROM recovery_attempts WHERE waits <> '[]'")).rows[0].n >= ATTEMPTS,
      'all asleep',
      600_000,
      500,
    );
    console.log(
      `started ${ATTEMPTS.toLocaleString()} attempts asleep in a 30-day wait in ${seconds(performance.now() - t)} (starts: ${rate(ATTEMPTS, startMs)})`,
    );

    const user: SessionUser = { id: 'u-olga', username: 'olga', displayName: 'Olga Ops', role: 'ops_manager', department: null };
    const rows = (await pool.query<AttemptRow>('SELECT * FROM recovery_attempts')).rows;
    // Baseline: a no-op Update's round trip (applied and stored), 8 at a time over the same attempts.
    const noop = pLimit(CONCURRENCY);
    t = performance.now();
    await Promise.all(
      rows.map((row, i) =>
        noop(() =>
          sendOperation(deps, user, row, { type: 'set_variable', name: 'bench_noop', value: 1 }, { reason: 'bench baseline', operationId: `noop-${i}` }),
        ),
      ),
    );
    const noopMs = performance.now() - t;

    const dryMs = await batch(deps, pool, 'dry_run_migrate');
    const dry = await pool.query('SELECT status, count(*)::int AS n FROM attempt_batch_items GROUP BY status ORDER BY status');
    const applyMs = await batch(deps, pool, 'migrate');
    const pinned = (await pool.query('SELECT count(*)::int AS n FROM recovery_attempts WHERE playbook_version = 2')).rows[0].n;
    const asPredicted = (
      await pool.query(
        "SELECT count(*)::int AS n FROM attempt_batch_items i JOIN attempt_batches b ON b.id = i.batch_id WHERE b.kind = 'migrate' AND (i.verdict->>'asPredicted')::boolean",
      )
    ).rows[0].n;

    console.log('');
    console.log(`migration of ${ATTEMPTS.toLocaleString()} sleeping attempts, ${CONCURRENCY} at a time:`);
    console.log(
      `  dry run with proof (replay + state check + pure runtime)  ${seconds(dryMs).padStart(8)}  ${rate(ATTEMPTS, dryMs).padStart(18)}   verdicts: ${dry.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`,
    );
    console.log(
      `  apply (proof again, then the migrate Update)              ${seconds(applyMs).padStart(8)}  ${rate(ATTEMPTS, applyMs).padStart(18)}   re-pinned ${pinned}, as predicted ${asPredicted}`,
    );
    console.log(`  baseline: no-op Update round trip                         ${seconds(noopMs).padStart(8)}  ${rate(ATTEMPTS, noopMs).padStart(18)}`);
  });
}

/** One batch over every attempt, as the API starts it; milliseconds until it finished. */
async function batch(deps: { temporal: Client }, pool: ReturnType<typeof createPool>, kind: 'dry_run_migrate' | 'migrate'): Promise<number> {
  const id = (await pool.query<{ id: string }>('SELECT gen_random_uuid() AS id')).rows[0].id;
  await pool.query(
    `INSERT INTO attempt_batches (id, kind, playbook_key, from_version, to_version, params, reason, created_by, total)
     VALUES ($1, $2, 'bench-migrate', 1, 2, '{"mapping":{}}', 'bench', 'u-olga', $3)`,
    [id, kind, ATTEMPTS],
  );
  await pool.query("INSERT INTO attempt_batch_items (batch_id, attempt_id) SELECT $1, id FROM recovery_attempts WHERE playbook_key = 'bench-migrate'", [id]);
  const t = performance.now();
  await deps.temporal.workflow.execute(BATCH_WORKFLOW_TYPE, { taskQueue: OPERATIONS_TASK_QUEUE, workflowId: `batch/${id}`, args: [{ batchId: id }] });
  return performance.now() - t;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
