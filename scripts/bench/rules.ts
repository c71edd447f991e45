import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_RISK_RULES, evaluatePage } from '../../playbooks/risk';
import { createPool } from '../../platform/db/pool';
import { customerFactsPage } from '../../platform/db/riskFacts';
import { migrate } from '../../platform/migrate';
import { runImport } from '../../server/imports/run';
import { seedDemo } from '../../server/seed';
import { TASK_QUEUE } from '../../workflows/contract';
import type { riskEvaluation } from '../../workflows/riskEvaluation';
import { createWorker } from '../../workers/worker';
import { quietRuntime } from '../../tests/support/product';
import { freePort, startPostgres, startTemporal } from '../services';

/**
 * npm run bench:rules — 100,000 customers with 1,000,000 activity rows in a throw-away PostgreSQL
 * and a headless Temporal dev server (loopback only), evaluated by the riskEvaluation workflow with
 * its activities (facts, the pure rules, idempotent status changes and history), page by page.
 * Beside it, from the same run: the bare SQL of one page of facts, and the bare SQL of every page
 * (no rules, no writes, no Temporal). Then a 100,000-row CSV import through the streamed importer,
 * beside the same rows inserted with one bare INSERT per batch. Target: evaluation ≤ 60 s, import ≤ 60 s.
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const ACTIVITY_PER_CUSTOMER = 10;
const PAGE = 1000;
const IMPORT_ROWS = 100_000;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-rules-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  const temporal = await startTemporal({ port: await freePort(), uiPort: null, dbFile: null });
  const pool = createPool(pg.url, 10);
  quietRuntime();
  let worker: Awaited<ReturnType<typeof createWorker>> | null = null;
  try {
    await migrate(pg.url);
    await seedDemo(pool);
    // The rules are measured, not the starts they fire (bench:scale's start burst measures those):
    // the seeded playbooks that listen for customer.pre_churn and customer.complaint are archived, so
    // the evaluation moves its tens of thousands of customers without starting an attempt for each.
    await pool.query("UPDATE playbooks SET archived_at = now() WHERE key IN ('tiered-win-back', 'complaint-response')");
    let t = Date.now();
    await seed(pool);
    console.log(
      `seeded ${CUSTOMERS.toLocaleString()} customers and ${(CUSTOMERS * ACTIVITY_PER_CUSTOMER).toLocaleString()} activity rows in ${seconds(Date.now() - t)}`,
    );

    const asOf = Date.now();
    // Baselines: the bare SQL of one page, and of every page in a row.
    await customerFactsPage(pool, { asOf, after: null, limit: PAGE });
    t = performance.now();
    const firstPage = await customerFactsPage(pool, { asOf, after: null, limit: PAGE });
    const onePageMs = performance.now() - t;
    t = performance.now();
    let after: string | null = null;
    let wouldMove = 0;
    for (;;) {
      const facts = await customerFactsPage(pool, { asOf, after, limit: PAGE });
      wouldMove += evaluatePage(DEFAULT_RISK_RULES, facts, asOf).length;
      if (facts.length < PAGE) break;
      after = facts[facts.length - 1].id;
    }
    const allPagesMs = performance.now() - t;

    worker = await createWorker({ address: temporal.address, namespace: 'default', pool });
    const running = worker.worker.run();
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    t = performance.now();
    const result = await client.workflow.execute<typeof riskEvaluation>('riskEvaluation', {
      taskQueue: TASK_QUEUE,
      workflowId: 'bench-evaluation',
      args: [{ reason: 'manual', asOf, pageSize: PAGE }],
    });
    const evaluationMs = performance.now() - t;
    const history = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_status_history');

    console.log('');
    console.log(
      `at-risk evaluation of ${CUSTOMERS.toLocaleString()} customers (${(CUSTOMERS * ACTIVITY_PER_CUSTOMER).toLocaleString()} activity rows), pages of ${PAGE}:`,
    );
    console.log(`  riskEvaluation workflow (Temporal + activities + writes)  ${seconds(evaluationMs).padStart(8)}   target ≤ 60 s`);
    console.log(`  bare SQL, every page of facts (+ pure rules, no writes)   ${seconds(allPagesMs).padStart(8)}`);
    console.log(`  bare SQL, one page of facts (${firstPage.length} customers)             ${`${onePageMs.toFixed(0)} ms`.padStart(8)}`);
    console.log(
      `  moved ${result.changed.toLocaleString()} customers (pure rules over the same facts: ${wouldMove.toLocaleString()}), ${history.rows[0].n.toLocaleString()} history rows, scanned ${result.scanned.toLocaleString()}`,
    );

    // The import: 100,000 activity rows as CSV, streamed through the importer.
    const csv = Readable.from(
      (function* () {
        yield 'customer_id,kind,source,external_id,occurred_at,amount,currency\n';
        for (let i = 0; i < IMPORT_ROWS; i++)
          yield `BR-${(i % CUSTOMERS) + 1},order,bench-import,imp-${i},2026-05-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z,${(i % 500) + 10}.00,EUR\n`;
      })(),
    );
    await pool.query(
      `INSERT INTO import_jobs (id, kind, format, started_by, status) VALUES ('00000000-0000-4000-8000-000000000001', 'activity', 'csv', 'u-olga', 'running')`,
    );
    t = performance.now();
    await runImport(pool, { id: '00000000-0000-4000-8000-000000000001', kind: 'activity', format: 'csv', startedBy: 'u-olga' }, csv);
    const importMs = performance.now() - t;
    const job = (await pool.query('SELECT rows_applied, rows_failed FROM import_jobs WHERE id = $1', ['00000000-0000-4000-8000-000000000001'])).rows[0];
    t = performance.now();
    for (let start = 0; start < IMPORT_ROWS; start += PAGE) {
      await pool.query(
        `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency)
         SELECT 'BR-' || ((g % ${CUSTOMERS}) + 1), 'order', 'bench-bare', 'bare-' || g, timestamptz '2026-05-01 10:00Z' + (g % 28) * interval '1 day', (g % 500) + 10, 'EUR'
           FROM generate_series($1::int, $2::int) g`,
        [start, Math.min(start + PAGE, IMPORT_ROWS) - 1],
      );
    }
    const bareImportMs = performance.now() - t;
    console.log('');
    console.log(`import of ${IMPORT_ROWS.toLocaleString()} CSV activity rows:`);
    console.log(
      `  streamed importer (parse, check, batches, progress, audit) ${seconds(importMs).padStart(8)}   target ≤ 60 s   applied ${job.rows_applied.toLocaleString()}, failed ${job.rows_failed}`,
    );
    console.log(`  bare SQL, the same rows in batches of ${PAGE}               ${seconds(bareImportMs).padStart(8)}`);
    await client.connection.close();
    worker.worker.shutdown();
    await running;
    await worker.connection.close();
    worker = null;
  } finally {
    if (worker) worker.worker.shutdown();
    await pool.end();
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Customers with cadences, ages and a year of visits, services, orders, payments and a few complaints, deterministic. */
async function seed(pool: ReturnType<typeof createPool>) {
  await pool.query(
    `INSERT INTO customers (id, name, grade, value, department_id, status, expected_visit_days, customer_since)
     SELECT 'BR-' || g, 'Customer ' || g, (ARRAY['core','high_potential','ordinary','churn_signs'])[g % 4 + 1], (g * 37) % 100000,
            (ARRAY['after_sales','key_accounts','service'])[g % 3 + 1], 'active',
            CASE WHEN g % 2 = 0 THEN (ARRAY[30, 60, 90])[g % 3 + 1] END, (now() - ((g % 3650) + 30) * interval '1 day')::date
       FROM generate_series(1, ${CUSTOMERS}) g`,
  );
  await pool.query(
    `INSERT INTO customer_activity (customer_id, kind, source, external_id, occurred_at, amount, currency)
     SELECT 'BR-' || g, (ARRAY['visit','service','order','order','payment','visit','service','order','payment','complaint'])[n],
            'bench', 'a-' || g || '-' || n,
            now() - (((g * 7 + n * 31) % (CASE WHEN g % 5 = 0 THEN 365 ELSE 120 END)) + (CASE WHEN g % 7 = 0 AND n <> 10 THEN 150 ELSE 0 END)) * interval '1 day'
              - (CASE WHEN n = 10 AND g % 20 <> 0 THEN 400 ELSE 0 END) * interval '1 day',
            CASE WHEN n IN (2, 3, 4, 7, 8) THEN ((g + n) % 900) + 50 END, 'EUR'
       FROM generate_series(1, ${CUSTOMERS}) g, generate_series(1, ${ACTIVITY_PER_CUSTOMER}) n`,
  );
  await pool.query('ANALYZE customers; ANALYZE customer_activity');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
