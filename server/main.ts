import type { Server } from 'node:http';
import { closeApp, createApp } from './app';
import { loadConfig } from '../platform/config';
import { assertUnprivileged, createPool } from '../platform/db/pool';
import { createLogger } from '../platform/logger';
import { migrate } from '../platform/migrate';
import { ensureRiskSchedule } from './risk/schedule';
import { ensureSearchAttributes } from './searchAttributes';
import { seedDemo } from './seed';
import { connectTemporal } from './temporal';
import { startOperationsWorker } from './operate/batchWorker';

/** The API alone (production: one of several replicas). The embedded product starts via scripts/start.ts. */
async function main() {
  const config = loadConfig(process.env, 'production');
  const log = createLogger('api', config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required (npm start runs the embedded setup)');
  // Migrations as the owner; the app itself as a member of retention_app, never the owner.
  await migrate(config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL, config.MIGRATION_DATABASE_URL ? config.DATABASE_URL : undefined);
  const pool = createPool(config.DATABASE_URL);
  await assertUnprivileged(pool);
  if (config.SEED_DEMO) await seedDemo(pool);
  const { client, connection } = await connectTemporal(config.TEMPORAL_ADDRESS, config.TEMPORAL_NAMESPACE, {
    readMs: config.TEMPORAL_READ_DEADLINE_MS,
    writeMs: config.TEMPORAL_WRITE_DEADLINE_MS,
  });
  await ensureSearchAttributes(client, config.TEMPORAL_NAMESPACE);
  await ensureRiskSchedule(client, log);
  const app = createApp({ pool, temporal: client, log, config });
  // Batches over attempts are workflows whose activities run here, in every API replica.
  const operations = await startOperationsWorker(
    { pool, temporal: client, log, config },
    { address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE },
  );
  const server: Server = app.listen(config.PORT, config.HOST, () => log.info({ port: config.PORT }, 'API listening'));
  const stop = async () => {
    log.info('shutting down');
    await closeApp(app);
    await new Promise<void>((r) => server.close(() => r()));
    await operations.stop();
    await connection.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
