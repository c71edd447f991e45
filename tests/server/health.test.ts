import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Pool } from 'pg';
import { closeApp, createApp } from '../../server/app';
import { loadConfig } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { connectTemporal } from '../../server/temporal';
import { freePort, startTemporal } from '../../scripts/services';
import { env } from '../support/product';

/**
 * /healthz is what load balancers and orchestrators poll: it must answer within a second whatever
 * is down, and say which part. Here a real Temporal dev server is stopped under a connected client,
 * and PostgreSQL is replaced by an address that accepts connections and never answers (a hung server).
 */
const LIMIT_MS = 1_000;

async function healthOf(pool: Pool, temporal: Awaited<ReturnType<typeof connectTemporal>>['client']) {
  const app = createApp({ pool, temporal, log: pino({ level: 'silent' }), config: loadConfig({ DATA_DIR: process.env.TEST_TMP_DIR }) });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`);
    return { ms: Date.now() - started, status: res.status, body: (await res.json()) as Record<string, unknown> };
  } finally {
    await closeApp(app);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('/healthz', () => {
  it('answers within a second with 503 naming Temporal when Temporal has stopped', async () => {
    const temporal = await startTemporal({ port: await freePort(), uiPort: null, dbFile: null });
    const { client, connection } = await connectTemporal(temporal.address, 'default');
    const pool = createPool(env().databaseUrl);
    try {
      const up = await healthOf(pool, client);
      expect(up).toMatchObject({ status: 200, body: { ok: true, postgres: 'ok', temporal: 'ok' } });
      await temporal.stop();
      const down = await healthOf(pool, client);
      expect(down).toMatchObject({ status: 503, body: { ok: false, postgres: 'ok' } });
      expect(String(down.body.temporal)).toMatch(/^error: /);
      expect(down.ms).toBeLessThan(LIMIT_MS);
    } finally {
      // The client's last retry timer (scheduled before the deadline) must fire before its channel closes.
      await new Promise((r) => setTimeout(r, 2_000));
      await connection.close().catch(() => undefined);
      await pool.end();
    }
  });

  it('answers within a second with 503 naming PostgreSQL when the database hangs', async () => {
    // Accepts TCP connections and never says a word, like a PostgreSQL stuck on its disk.
    const sockets: net.Socket[] = [];
    const hung = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', () => r()));
    const pool = createPool(`postgres://nobody:x@127.0.0.1:${(hung.address() as AddressInfo).port}/none`);
    const { client, connection } = await connectTemporal(env().temporalAddress, 'default');
    try {
      const res = await healthOf(pool, client);
      expect(res).toMatchObject({ status: 503, body: { ok: false, temporal: 'ok' } });
      expect(String(res.body.postgres)).toMatch(/^error: PostgreSQL did not answer within 800 ms/);
      expect(res.ms).toBeLessThan(LIMIT_MS);
    } finally {
      sockets.forEach((s) => s.destroy());
      hung.close();
      void pool.end().catch(() => undefined);
      await connection.close();
    }
  });
});
