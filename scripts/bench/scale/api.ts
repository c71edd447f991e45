import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ManagedProcess } from '../../chaos/cluster';
import { freePort } from '../../services';

export interface BenchApi {
  url: string;
  /** A demo user's bearer token (password "demo"), through POST /api/auth/login. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real API as production runs it: server/main.ts in a process of its own (NODE_ENV=production,
 * the app's unprivileged database role, a generated link secret), on a loopback port. In the
 * bench's own process it shared an event loop and a heap with the worker: with 2,000 sleeping
 * attempts cached the worker's garbage collections paused the inbox (open-loop p99 35–85 ms beside
 * 9 ms with the API alone), which measured the bench's layout, not the product's.
 */
export async function startBenchApi(opts: { dir: string; databaseUrls: { owner: string; app: string }; temporalAddress: string }): Promise<BenchApi> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const failures: string[] = [];
  const api = new ManagedProcess(
    'bench-api',
    'server/main.ts',
    () => ({
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: opts.databaseUrls.app,
      MIGRATION_DATABASE_URL: opts.databaseUrls.owner,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      LINK_SECRET: randomBytes(48).toString('base64'),
      PUBLIC_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: opts.dir,
      // Its 'API listening' line is at info; the API logs no line per request.
      LOG_LEVEL: 'info',
    }),
    path.join(opts.dir, 'bench-api.log'),
    (line) => line.includes('API listening'),
    (exit) => failures.push(`${exit.process} exited (code ${exit.code}, signal ${exit.signal}): ${exit.tail.join(' | ')}`),
    () => undefined,
  );
  // Started detached (its own process group): nothing of it outlives the bench, however the bench ends.
  const killOnExit = () => api.killNow();
  process.once('exit', killOnExit);
  await api.start(120_000);
  const health = await fetch(`${url}/healthz`).catch((err: Error) => err);
  if (health instanceof Error || failures.length) {
    await api.stop();
    throw new Error(`the bench's API did not start: ${failures.join('; ') || String(health)} (log: ${path.join(opts.dir, 'bench-api.log')})`);
  }
  return {
    url,
    async login(username) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'demo' }),
      });
      if (!res.ok) throw new Error(`login ${username} failed: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    },
    async close() {
      await api.stop();
      process.off('exit', killOnExit);
    },
  };
}
