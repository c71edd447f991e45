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
import { pgCtl } from '../pgctl';
import { ensureTemporalBinaries, TEMPORAL_SERVER_VERSION } from '../topology/binaries';
import { startClusterDatabase, TemporalCluster, temporalPorts } from '../topology/services';
import { processGroupRss, temporalServerPid } from './scale/temporalRss';
import { silentLogger } from './support';

/** What a service bench runs against: all on loopback, all thrown away when it ends. */
export interface BenchServices {
  dir: string;
  /** The schema owner's connection (this pool's). */
  pool: Pool;
  /** The product's database as its owner (migrations) and as the app's unprivileged role, for an API process. */
  databaseUrls: { owner: string; app: string };
  temporalAddress: string;
  /** What Temporal is here, for the bench's heading ("the dev server", "a 4-service cluster …"). */
  temporalLabel: string;
  /** Resident memory of every Temporal server process, in bytes. */
  temporalRss(): number;
  client: Client;
  config: Config;
  /** The workflow code bundled once, for the bench's workers. */
  bundlePath: string;
  bundleBytes: number;
  /** Run last to first when the bench ends, before the services stop (workers, connections). */
  stops: (() => Promise<unknown>)[];
}

/**
 * Which Temporal a service bench runs on: `dev` (the CLI's dev server, one process, SQLite in
 * memory) or `cluster` (production's topology: the server built from its Go module, history,
 * matching, frontend and worker as four processes on this PostgreSQL, scripts/topology/; the first
 * build takes minutes, once per version). BENCH_TEMPORAL chooses; dev by default.
 */
export type BenchTemporal = 'dev' | 'cluster';
export const benchTemporal = (): BenchTemporal => (process.env.BENCH_TEMPORAL === 'cluster' ? 'cluster' : 'dev');

interface StartedTemporal {
  address: string;
  label: string;
  rss(): number;
  stop(): Promise<void>;
}

async function startBenchTemporal(kind: BenchTemporal, dir: string, pgPort: number): Promise<StartedTemporal> {
  if (kind === 'dev') {
    const port = await freePort();
    const temporal = await startTemporal({ port, uiPort: null, dbFile: null });
    const pid = temporalServerPid(port);
    return { address: temporal.address, label: 'the dev server', rss: () => processGroupRss(pid), stop: () => temporal.stop() };
  }
  const shards = Number(process.env.TOPOLOGY_SHARDS ?? 4);
  const bins = await ensureTemporalBinaries((line) => console.log(`[bench] ${line}`));
  const cluster = new TemporalCluster(
    bins,
    await temporalPorts(false),
    { host: '127.0.0.1', port: pgPort, user: 'retention', password: 'retention' },
    dir,
    shards,
  );
  await cluster.start((line) => console.log(`[bench] ${line}`));
  return {
    address: cluster.address,
    label: `a Temporal ${TEMPORAL_SERVER_VERSION} cluster (4 services, ${shards} history shards, on PostgreSQL)`,
    rss: () => Object.values(cluster.services).reduce((sum, s) => sum + (s.child?.pid ? processGroupRss(s.child.pid) : 0), 0),
    stop: () => cluster.stop(),
  };
}

/**
 * A throw-away PostgreSQL (migrated, demo users seeded) and Temporal (see BenchTemporal), the
 * workflow code bundled and a client connected; `run` gets them, and everything is stopped and
 * removed afterwards, whether it succeeded or not. `env` adds settings to the bench's config.
 */
export async function withBenchServices<T>(prefix: string, run: (s: BenchServices) => Promise<T>, env: NodeJS.ProcessEnv = {}): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const kind = benchTemporal();
  const pgPort = await freePort();
  // The cluster's four services hold up to 60 connections of their own: PostgreSQL gets room for them.
  const database =
    kind === 'cluster'
      ? await startClusterDatabase(dir, pgPort)
      : await startPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort }).then((pg) => ({ ownerUrl: pg.url, appUrl: pg.appUrl }));
  const pgUrl = database.ownerUrl;
  let temporal: StartedTemporal | null = null;
  const stops: BenchServices['stops'] = [];
  let pool: Pool | null = null;
  try {
    temporal = await startBenchTemporal(kind, dir, pgPort);
    pool = createPool(pgUrl, 20);
    quietRuntime();
    await migrate(pgUrl);
    await seedDemo(pool);
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silentLogger });
    writeFileSync(bundlePath, code);
    const config = loadConfig({ ...env, WORKFLOW_BUNDLE: bundlePath, DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    stops.push(() => client.connection.close());
    const { address, label, rss } = temporal;
    return await run({
      dir,
      pool,
      databaseUrls: { owner: database.ownerUrl, app: database.appUrl },
      temporalAddress: address,
      temporalLabel: label,
      temporalRss: rss,
      client,
      config,
      bundlePath,
      bundleBytes: code.length,
      stops,
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await pool?.end();
    await temporal?.stop();
    await pgCtl(path.join(dir, 'pg'), ['stop', '-m', 'fast', '-w']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
