import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { Pool } from 'pg';
import { loadConfig, type Config } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { migrate } from '../../platform/migrate';
import { seedDemo } from '../../server/seed';
import { quietRuntime } from '../../tests/support/product';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import { freePort, startPostgres, startTemporal } from '../services';
import { silentLogger } from './support';

/** What a service bench runs against: all on loopback, all thrown away when it ends. */
export interface BenchServices {
  dir: string;
  pool: Pool;
  temporalAddress: string;
  temporalPort: number;
  client: Client;
  config: Config;
  /** The workflow code bundled once, for the bench's workers. */
  bundlePath: string;
  bundleBytes: number;
  /** Run last to first when the bench ends, before the services stop (workers, connections). */
  stops: (() => Promise<unknown>)[];
}

/**
 * A throw-away PostgreSQL (migrated, demo users seeded) and headless Temporal dev server, the
 * workflow code bundled and a client connected; `run` gets them, and everything is stopped and
 * removed afterwards, whether it succeeded or not. `env` adds settings to the bench's config.
 */
export async function withBenchServices<T>(prefix: string, run: (s: BenchServices) => Promise<T>, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort() });
  const temporalPort = await freePort();
  const temporal = await startTemporal({ port: temporalPort, uiPort: null, dbFile: null });
  const pool = createPool(pg.url, 20);
  quietRuntime();
  const stops: BenchServices['stops'] = [];
  try {
    await migrate(pg.url);
    await seedDemo(pool);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silentLogger });
    writeFileSync(bundlePath, code);
    const config = loadConfig({ ...env, WORKFLOW_BUNDLE: bundlePath, DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    stops.push(() => client.connection.close());
    return await run({ dir, pool, temporalAddress: temporal.address, temporalPort, client, config, bundlePath, bundleBytes: code.length, stops });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await pool.end();
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
