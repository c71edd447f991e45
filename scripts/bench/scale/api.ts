import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeApp, createApp } from '../../../server/app';
import type { Deps } from '../../../server/deps';

export interface BenchApi {
  url: string;
  /** A demo user's bearer token (password "demo"), through POST /api/auth/login. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real API (every route, its auth, its live inbox hub) in this process on a loopback port, as
 * tests/support/product.ts starts it; the load generators that measure it run in their own processes.
 */
export async function startBenchApi(deps: Deps): Promise<BenchApi> {
  const app = createApp(deps);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
      await closeApp(app);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
