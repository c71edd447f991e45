import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import type { PlaybookGraph } from '../../playbooks/graph';
import { closeApp, createApp } from '../../server/app';
import { closeCompilePool, warmCompilePool } from '../../server/compilePool';
import { loadConfig } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { seedDemo } from '../../server/seed';
import { migrate } from '../../platform/migrate';
import { freePort, startPostgres } from '../services';

/**
 * How long GET /healthz waits while 5,000-node graphs compile (POST /api/playbooks/compile and
 * draft saves back to back), beside the same probe on an idle API: compiling must not hold the
 * event loop. A throw-away PostgreSQL answers the health query; Temporal's part of the health check
 * is a stub that answers at once, so the figure is about the API's own event loop.
 */
const PROBE_EVERY_MS = 20;
const IDLE_PROBES = 250;
const LOADED_SECONDS = Number(process.env.BENCH_LOADED_SECONDS ?? 60);
/**
 * Each loader sends a 5,000-node graph this often, whether or not the last one is done: every
 * arrival costs the API's thread its JSON parse, and the compile threads stay busy throughout.
 */
const SEND_EVERY_MS = 6_000;

export async function healthWhileCompiling(graph: PlaybookGraph): Promise<{ idleP99: number; loadedP99: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-compile-'));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  const pool = createPool(pg.url, 10);
  let server: Server | null = null;
  let app: ReturnType<typeof createApp> | null = null;
  try {
    await migrate(pg.url);
    await seedDemo(pool);
    const temporal = { workflowService: { getSystemInfo: async () => ({}) } } as unknown as Client;
    app = createApp({ pool, temporal, log: pino({ level: 'silent' }), config: loadConfig({}) });
    const listening = app;
    server = await new Promise<Server>((resolve) => {
      const s = listening.listen(0, '127.0.0.1', () => resolve(s));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const token = await login(url, 'olga');
    await warmCompilePool();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    const idle = await probe(url, () => false, IDLE_PROBES);

    const compileBody = JSON.stringify({ graph });
    const draftBody = JSON.stringify({ name: 'Bench 5,000 nodes', graph });
    let sent = 0;
    let compiles = 0;
    const failures: string[] = [];
    const aborts = new AbortController();
    const send = (method: string, path: string, body: string) => {
      sent++;
      // undici's default 300 s header timeout is shorter than a queue of large compiles can take.
      fetch(`${url}${path}`, { method, headers, body, signal: aborts.signal }).then(
        async (res) => {
          await res.text();
          if (res.ok) compiles++;
          else failures.push(`${method} ${path}: ${res.status}`);
        },
        () => undefined,
      );
    };
    const pace = setInterval(() => {
      send('POST', '/api/playbooks/compile', compileBody);
      send('PUT', '/api/playbooks/bench-5000/draft', draftBody);
    }, SEND_EVERY_MS);
    send('POST', '/api/playbooks/compile', compileBody);
    send('PUT', '/api/playbooks/bench-5000/draft', draftBody);
    const until = Date.now() + LOADED_SECONDS * 1000;
    const loaded = await probe(url, () => Date.now() < until, 0);
    clearInterval(pace);
    aborts.abort();
    if (failures.length) throw new Error(`compile load failed: ${failures.slice(0, 3).join('; ')}`);

    const idleP99 = p99(idle);
    const loadedP99 = p99(loaded);
    console.log(`/healthz idle: p99 ${idleP99.toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms (${idle.length} probes, one every ${PROBE_EVERY_MS} ms)`);
    console.log(
      `/healthz while ${graph.nodes.length}-node graphs compile: p99 ${loadedP99.toFixed(1)} ms, max ${Math.max(...loaded).toFixed(1)} ms ` +
        `(${loaded.length} probes over ${LOADED_SECONDS} s; ${sent} large compiles and draft saves sent, ${compiles} finished meanwhile)`,
    );
    return { idleP99, loadedP99 };
  } finally {
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
    }
    if (app) await closeApp(app);
    await closeCompilePool();
    await pool.end();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** At least `count` probes, one every PROBE_EVERY_MS, and more while `more()` says so. */
async function probe(url: string, more: () => boolean, count: number): Promise<number[]> {
  const times: number[] = [];
  while (times.length < count || more()) {
    const t0 = performance.now();
    const res = await fetch(`${url}/healthz`);
    await res.text();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  return times;
}

function p99(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))];
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
