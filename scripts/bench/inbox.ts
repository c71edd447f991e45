import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pino from 'pino';
import { closeApp, createApp } from '../../server/app';
import { loadConfig } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { personalCountsQuery, sharedCountsQuery } from '../../server/inbox/counts';
import { buildInboxQuery, InboxQuery, visibilityBranches } from '../../server/inbox/query';
import type { SessionUser } from '../../server/http';
import { seedDemo } from '../../server/seed';
import { migrate } from '../../platform/migrate';
import { freePort, startPostgres } from '../services';

/**
 * npm run bench:inbox — 200,000 tasks for 1,000 reps in 20 departments in a throw-away PostgreSQL;
 * GET /api/inbox loaded with autocannon at 200 requests/s for a rep and for a head, beside the bare
 * SQL query for the same page measured in the same run. Target: p99 ≤ 15 ms at 200 requests/s with
 * open-loop Poisson arrivals (openLoad.ts: a slow moment queues the requests behind it, as real users
 * would); the closed-loop paced figure and autocannon's bursty `-R` are printed beside it.
 */
const DEPARTMENTS = 20;
const REPS = 1000;
const TASKS = 200_000;
const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
/** Unmeasured load first: the JIT, PostgreSQL's plans and buffers, the session and count caches. */
const WARMUP_SECONDS = 5;
/** Paced connections: each sends RATE/SLOTS requests a second in a row, the connections 1000/SLOTS ms apart. */
const SLOTS = Number(process.env.BENCH_SLOTS ?? 20);

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
    // Time inside the server, from the request's arrival to the response's last byte, to tell the
    // server's own latency from the load generator's and the network's.
    let serverTimes: number[] = [];
    const server: Server = createServer((req, res) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => serverTimes.push(Number(process.hrtime.bigint() - started) / 1e6));
      app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const rep: SessionUser = { id: 'bench-rep-7', username: 'bench-rep-7', displayName: 'Rep 7', role: 'rep', department: 'd07' };
    const head: SessionUser = { id: 'bench-head-7', username: 'bench-head-7', displayName: 'Head 7', role: 'department_head', department: 'd07' };
    for (const user of [rep, head]) {
      const token = await login(url, user.username);
      const sql = await bareSql(pool, user);
      if (process.env.BENCH_PROFILE) {
        const seq: number[] = [];
        for (let i = 0; i < 100; i++) {
          const t = process.hrtime.bigint();
          await fetch(`${url}/api/inbox?limit=50`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text());
          seq.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
        console.log(`profile ${user.role}: sequential API median ${percentiles(seq).median.toFixed(2)} ms`);
      }
      await pacedLoad(`${url}/api/inbox?limit=50`, token, WARMUP_SECONDS);
      serverTimes = [];
      const profiler = process.env.BENCH_CPU_PROFILE ? await startCpuProfile() : null;
      const paced = await pacedLoad(`${url}/api/inbox?limit=50`, token, SECONDS);
      const inServer = percentiles(serverTimes);
      if (profiler) console.log(`cpu profile: ${await profiler.stop(`${process.env.BENCH_CPU_PROFILE}-${user.role}.cpuprofile`)}`);
      serverTimes = [];
      const open = await openLoad(`${url}/api/inbox?limit=50`, token, SECONDS);
      const openInServer = percentiles(serverTimes);
      console.log(
        `inbox ${user.role.padEnd(15)} open-loop Poisson ${RATE} req/s (target): API p50 ${open.latency.p50} ms, p99 ${open.latency.p99} ms, max ${open.latency.max} ms, ${open.requests.average.toFixed(0)} req/s, ${open.requests.total} requests${outcome(open)}` +
          ` | in server: p50 ${openInServer.median.toFixed(2)} ms, p99 ${openInServer.p99.toFixed(2)} ms | bare SQL same page p99 ${sql.page.p99.toFixed(2)} ms`,
      );
      const burst = await burstLoad(`${url}/api/inbox?limit=50`, token);
      console.log(
        `inbox ${user.role.padEnd(15)} paced ${RATE} req/s (closed loop): API p50 ${paced.latency.p50} ms, p99 ${paced.latency.p99} ms, max ${paced.latency.max} ms, ${paced.requests.average.toFixed(0)} req/s, ${paced.requests.total} requests${outcome(paced)}` +
          ` | in server: p50 ${inServer.median.toFixed(2)} ms, p99 ${inServer.p99.toFixed(2)} ms` +
          ` | bare SQL same page: median ${sql.page.median.toFixed(2)} ms, p99 ${sql.page.p99.toFixed(2)} ms; counts: personal median ${sql.personal.median.toFixed(2)} ms, shared median ${sql.shared.median.toFixed(2)} ms`,
      );
      console.log(
        `inbox ${user.role.padEnd(15)} burst (autocannon -c 10 -R ${RATE}: ${RATE} at the top of each second, 10 in flight): API p50 ${burst.latency.p50} ms, p99 ${burst.latency.p99} ms, ${burst.requests.average.toFixed(0)} req/s${outcome(burst)}`,
      );
    }
    // Many people at once: 20 reps of 20 departments, one per paced connection, so each department's
    // shared counts serve 10 requests a second and every request counts its rep's own tasks.
    const reps = await Promise.all(Array.from({ length: SLOTS }, (_, i) => login(url, `bench-rep-${i + 1}`)));
    await pacedLoad(`${url}/api/inbox?limit=50`, reps.join(','), WARMUP_SECONDS);
    serverTimes = [];
    const many = await pacedLoad(`${url}/api/inbox?limit=50`, reps.join(','), SECONDS);
    const manyInServer = percentiles(serverTimes);
    console.log(
      `inbox ${SLOTS} reps of ${Math.min(SLOTS, DEPARTMENTS)} departments, paced ${RATE} req/s: API p50 ${many.latency.p50} ms, p99 ${many.latency.p99} ms, max ${many.latency.max} ms, ${many.requests.average.toFixed(0)} req/s, ${many.requests.total} requests${outcome(many)}` +
        ` | in server: p50 ${manyInServer.median.toFixed(2)} ms, p99 ${manyInServer.p99.toFixed(2)} ms`,
    );
    await closeApp(app);
    await new Promise<void>((r) => server.close(() => r()));
  } finally {
    await pool.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadResult {
  latency: { p50: number; p99: number; max?: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

const outcome = (load: LoadResult) => (load.non2xx === 0 && load.errors === 0 ? '' : `, ${load.non2xx} non-2xx, ${load.errors} errors`);
const run = promisify(execFile);
const root = path.resolve(__dirname, '..', '..');

/**
 * Closed loop: requests spread evenly over each second (see pacedLoad.ts), each connection waiting for its answer. The load
 * generator runs in its own process: sharing the server's event loop, it would measure itself.
 */
async function pacedLoad(url: string, token: string, seconds: number): Promise<LoadResult> {
  const { stdout } = await run(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(__dirname, 'pacedLoad.ts'), url, token, String(RATE), String(seconds), String(SLOTS)],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as LoadResult;
}

/** The target figure: Poisson arrivals that do not wait for earlier answers (see openLoad.ts), in its own process. */
async function openLoad(url: string, token: string, seconds: number): Promise<LoadResult> {
  const { stdout } = await run(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(__dirname, 'openLoad.ts'), url, token, String(RATE), String(seconds)],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as LoadResult;
}

/** autocannon's own rate limiter, kept as a stress figure: each second starts with all its requests at once. */
async function burstLoad(url: string, token: string): Promise<LoadResult> {
  const { stdout } = await run(
    path.join(root, 'node_modules', '.bin', 'autocannon'),
    ['-c', '10', '-R', String(RATE), '-d', String(SECONDS), '-H', `authorization=Bearer ${token}`, '--json', url],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as LoadResult;
}

async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * The statements behind GET /api/inbox, each alone: the page, and the tab counts, whose personal
 * part runs on every request and whose shared part (the department's queue) at most once a second.
 */
async function bareSql(pool: ReturnType<typeof createPool>, user: SessionUser) {
  const built = buildInboxQuery(user, InboxQuery.parse({ limit: '50' }));
  if ('error' in built) throw new Error(built.error);
  const personal = personalCountsQuery(user);
  const shared = sharedCountsQuery(
    user,
    visibilityBranches(user).filter((b) => b.shared),
  );
  if (process.env.BENCH_EXPLAIN) {
    for (const q of [built, personal, shared]) {
      const plan = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values);
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
  }
  const time = async (q: { name: string; text: string; values: unknown[] }) => {
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t = process.hrtime.bigint();
      await pool.query({ name: q.name, text: q.text, values: q.values });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return percentiles(times);
  };
  return { page: await time(built), personal: await time(personal), shared: await time(shared) };
}

/** BENCH_CPU_PROFILE=prefix: a V8 CPU profile of the API during the paced run, for chrome://inspect. */
async function startCpuProfile() {
  const session = new Session();
  session.connect();
  const post = promisify(session.post.bind(session)) as (method: string, params?: object) => Promise<{ profile?: object }>;
  await post('Profiler.enable');
  await post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}

function percentiles(times: number[]) {
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p99: times[Math.floor(times.length * 0.99)] };
}

/** The bench's 200,000 tasks (exported for profiling the inbox against the same data outside the bench). */
export async function seed(pool: ReturnType<typeof createPool>) {
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
  // Flush the seed to disk now, not during the measurement.
  await pool.query('CHECKPOINT');
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
