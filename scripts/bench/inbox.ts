import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { closeApp, createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createPool } from '../../server/db/pool';
import { buildCountsQuery, buildInboxQuery, InboxQuery } from '../../server/inbox/query';
import type { SessionUser } from '../../server/http';
import { seedDemo } from '../../server/seed';
import { freePort, migrate, startPostgres } from '../services';

/**
 * npm run bench:inbox — 200,000 tasks for 1,000 reps in 20 departments in a throw-away PostgreSQL;
 * GET /api/inbox loaded with autocannon at 200 requests/s for a rep and for a head, beside the bare
 * SQL query for the same page measured in the same run. Target: p99 ≤ 15 ms at 200 requests/s.
 */
const DEPARTMENTS = 20;
const REPS = 1000;
const TASKS = 200_000;
const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-inbox-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  const pool = createPool(pg.url, 20);
  try {
    await migrate(pg.url);
    await seedDemo(pool);
    const t0 = Date.now();
    await seed(pool);
    console.log(`seeded ${TASKS.toLocaleString()} tasks for ${REPS} reps in ${DEPARTMENTS} departments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The inbox needs no Temporal; a lazy connection is never dialled.
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const app = createApp({ pool, temporal, log: pino({ level: 'silent' }), config: loadConfig({}) });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rep: SessionUser = { id: 'bench-rep-7', username: 'bench-rep-7', displayName: 'Rep 7', role: 'rep', department: 'd07' };
    const head: SessionUser = { id: 'bench-head-7', username: 'bench-head-7', displayName: 'Head 7', role: 'department_head', department: 'd07' };
    for (const user of [rep, head]) {
      const token = await login(url, user.username);
      const sql = await bareSql(pool, user);
      if (process.env.BENCH_PROFILE) {
        const counts = buildCountsQuery(user);
        const ct: number[] = [];
        for (let i = 0; i < 100; i++) {
          const t = process.hrtime.bigint();
          await pool.query(counts.text, counts.values);
          ct.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        const seq: number[] = [];
        for (let i = 0; i < 100; i++) {
          const t = process.hrtime.bigint();
          await fetch(`${url}/api/inbox?limit=50`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
          seq.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        ct.sort((a, b) => a - b);
        seq.sort((a, b) => a - b);
        console.log(`profile ${user.role}: counts median ${ct[50].toFixed(2)} ms; sequential API median ${seq[50].toFixed(2)} ms`);
      }
      const load = await loadTest(`${url}/api/inbox?limit=50`, token);
      const ok = load.non2xx === 0 && load.errors === 0;
      console.log(
        `inbox ${user.role.padEnd(15)} API p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, ${load.requests.average.toFixed(0)} req/s (target rate ${RATE}), ${load.requests.total} requests${ok ? '' : `, ${load.non2xx} non-2xx, ${load.errors} errors`}` +
          ` | bare SQL same page: median ${sql.median.toFixed(2)} ms, p99 ${sql.p99.toFixed(2)} ms`,
      );
    }
    await closeApp(app);
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    await pool.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadResult {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/** autocannon in its own process: a load generator sharing the server's event loop measures itself. */
async function loadTest(url: string, token: string): Promise<LoadResult> {
  const bin = path.resolve(__dirname, '..', '..', 'node_modules', '.bin', 'autocannon');
  const { stdout } = await promisify(execFile)(bin, ['-c', '10', '-R', String(RATE), '-d', String(SECONDS), '-H', `authorization=Bearer ${token}`, '--json', url], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as LoadResult;
}

async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function bareSql(pool: ReturnType<typeof createPool>, user: SessionUser) {
  const built = buildInboxQuery(user, InboxQuery.parse({ limit: '50' }));
  if ('error' in built) throw new Error(built.error);
  if (process.env.BENCH_EXPLAIN) {
    const plan = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${built.text}`, built.values);
    console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
  }
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = process.hrtime.bigint();
    await pool.query(built.text, built.values);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)] };
}

async function seed(pool: ReturnType<typeof createPool>) {
  const hash = (await pool.query("SELECT password_hash FROM users WHERE id = 'u-rita'")).rows[0].password_hash;
  await pool.query(`INSERT INTO departments (id, name) SELECT 'd' || lpad(g::text, 2, '0'), 'Department ' || g FROM generate_series(1, ${DEPARTMENTS}) g`);
  await pool.query(
    `INSERT INTO users (id, username, display_name, password_hash, role, department_id)
     SELECT 'bench-rep-' || g, 'bench-rep-' || g, 'Rep ' || g, $1, 'rep', 'd' || lpad((g % ${DEPARTMENTS} + 1)::text, 2, '0') FROM generate_series(1, ${REPS}) g
     UNION ALL
     SELECT 'bench-head-' || g, 'bench-head-' || g, 'Head ' || g, $1, 'department_head', 'd' || lpad((g % ${DEPARTMENTS} + 1)::text, 2, '0') FROM generate_series(1, ${DEPARTMENTS}) g`,
    [hash],
  );
  await pool.query(
    `INSERT INTO customers (id, name, grade, value, department_id, account_manager_id)
     SELECT 'BC-' || g, 'Customer ' || g, (ARRAY['core','high_potential','ordinary','churn_signs'])[g % 4 + 1], (g * 37) % 100000,
            'd' || lpad((g % ${DEPARTMENTS} + 1)::text, 2, '0'), 'bench-rep-' || (g % ${REPS} + 1)
       FROM generate_series(1, 20000) g`,
  );
  await pool.query(`INSERT INTO playbooks (key, name, draft_graph) VALUES ('bench', 'Bench', '{"nodes":[],"edges":[]}')`);
  await pool.query(`INSERT INTO playbook_versions (playbook_key, version, graph, plan, plan_hash) VALUES ('bench', 1, '{}', '{}', 'x')`);
  await pool.query(
    `INSERT INTO recovery_attempts (id, workflow_id, customer_id, playbook_key, playbook_version)
     SELECT gen_random_uuid(), 'recovery/BC-' || g || '/bench', 'BC-' || g, 'bench', 1 FROM generate_series(1, 20000) g`,
  );
  // Ten tasks per attempt; a third assigned to a named rep, the rest in department queues; a mix of
  // open and closed, priorities and due dates.
  await pool.query(
    `INSERT INTO tasks (attempt_id, workflow_id, task_key, node_id, customer_id, playbook_key, title, assignee_role, department_id,
                        assignee_user_id, priority, outcomes, status, due_at, created_at)
     SELECT a.id, a.workflow_id, 'task-' || n, 'call', a.customer_id, 'bench', 'Call back ' || a.customer_id,
            CASE WHEN n = 10 THEN 'department_head' ELSE 'rep' END, c.department_id,
            CASE WHEN n % 3 = 0 THEN c.account_manager_id END,
            (ARRAY['low','normal','high','urgent'])[n % 4 + 1], '[{"key":"done","label":"Done"}]',
            CASE WHEN n <= 4 THEN 'open' ELSE 'completed' END,
            now() + ((n * 7 + length(a.customer_id)) % 30 - 10) * interval '1 day', now() - n * interval '1 hour'
       FROM recovery_attempts a JOIN customers c ON c.id = a.customer_id, generate_series(1, ${TASKS / 20000}) n`,
  );
  await pool.query('VACUUM ANALYZE');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
