import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import type { SessionUser } from '../../../server/http';
import { buildInboxQuery, InboxQuery } from '../../../server/inbox/query';
import { ROOT } from '../../services';
import type { BenchApi } from './api';
import { pct } from './format';

/** The target rate for the inbox (p99 ≤ 15 ms at 200 requests/s, open-loop). */
const RATE = 200;
const SECONDS = Number(process.env.BENCH_INBOX_SECONDS ?? 10);
/** Unmeasured load first: the JIT, PostgreSQL's plans and buffers, the session and count caches. */
const WARMUP_SECONDS = 3;
const BARE_QUERIES = 300;
const PAGE = '/api/inbox?limit=50';

/** The demo rep and head of the department the bench's sleeping attempts' tasks wait in. */
const PEOPLE: SessionUser[] = [
  { id: 'u-rita', username: 'rita', displayName: 'Rita Rep', role: 'rep', department: 'after_sales' },
  { id: 'u-hana', username: 'hana', displayName: 'Hana Head', role: 'department_head', department: 'after_sales' },
];

interface LoadSummary {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}

/**
 * GET /api/inbox through the real API while the sleeping attempts each hold an open task, for a rep
 * and a head: open-loop Poisson arrivals (scripts/bench/openLoad.ts, in its own process, so a slow
 * moment queues the requests behind it), beside the bare SQL of the same page run alone.
 */
export async function inboxUnderLoad(pool: Pool, api: BenchApi): Promise<string[]> {
  // The attempts' tasks arrived seconds ago, before autovacuum's next look (a minute at most): the
  // statistics a steady system has, so neither the API nor the bare SQL plans for an empty table.
  await pool.query('ANALYZE tasks');
  const open = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM tasks WHERE status = 'open'");
  const lines: string[] = [];
  for (const user of PEOPLE) {
    const token = await api.login(user.username);
    await openLoad(`${api.url}${PAGE}`, token, WARMUP_SECONDS);
    const load = await openLoad(`${api.url}${PAGE}`, token, SECONDS);
    const sql = await bareSql(pool, user);
    const failed = load.non2xx + load.errors > 0 ? `, ${load.non2xx} non-2xx, ${load.errors} errors` : '';
    lines.push(
      `  inbox ${user.role.padEnd(15)}        p99 ${load.latency.p99.toFixed(1)} ms (p50 ${load.latency.p50.toFixed(1)}, max ${load.latency.max.toFixed(0)}) open-loop ${RATE} req/s, ${load.requests.total} requests, ${load.requests.average.toFixed(0)} req/s answered${failed}` +
        ` | p99 ${pct(sql, 0.99).toFixed(1)} ms (p50 ${pct(sql, 0.5).toFixed(1)}) bare SQL of the same page (${(load.latency.p99 / pct(sql, 0.99)).toFixed(1)}×)`,
    );
  }
  lines.push(`  (inbox with ${open.rows[0].n.toLocaleString()} open tasks, ${SECONDS} s per person after ${WARMUP_SECONDS} s unmeasured)`);
  return lines;
}

const run = promisify(execFile);

async function openLoad(url: string, token: string, seconds: number): Promise<LoadSummary> {
  const { stdout } = await run(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(__dirname, '..', 'openLoad.ts'), url, token, String(RATE), String(seconds)],
    // Bounded: a load that cannot finish within its time and a margin fails the bench.
    { maxBuffer: 64 * 1024 * 1024, timeout: (seconds + 60) * 1000 },
  );
  return JSON.parse(stdout) as LoadSummary;
}

/** The page statement behind GET /api/inbox alone, as the route prepares it, one after another. */
async function bareSql(pool: Pool, user: SessionUser): Promise<number[]> {
  const built = buildInboxQuery(user, InboxQuery.parse({ limit: '50' }));
  if ('error' in built) throw new Error(built.error);
  const times: number[] = [];
  for (let i = 0; i < BARE_QUERIES; i++) {
    const t = performance.now();
    await pool.query({ name: built.name, text: built.text, values: built.values });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}
