import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import { closeApp, createApp } from '../../server/app';
import { loadConfig, type Mode } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { env } from './product';

export interface ApiReplica {
  url: string;
  stop(): Promise<void>;
}

/**
 * One more API process' worth (its own pool and app) on the suite's PostgreSQL: what another replica
 * behind the load balancer sees. `settings` are environment variables on top of the suite's.
 */
export async function startApiReplica(temporal: Client, settings: NodeJS.ProcessEnv = {}, mode: Mode = 'embedded'): Promise<ApiReplica> {
  const pool = createPool(env().databaseUrl);
  const config = loadConfig(
    { LINK_SECRET: process.env.LINK_SECRET, DATA_DIR: process.env.TEST_TMP_DIR, WORKFLOW_BUNDLE: env().workflowBundle, ...settings },
    mode,
  );
  const app = createApp({ pool, temporal, log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), config });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await closeApp(app);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await pool.end();
    },
  };
}
