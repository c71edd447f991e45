import path from 'node:path';
import type { Server } from 'node:http';
import { Runtime } from '@temporalio/worker';
import { closeApp, createApp } from '../server/app';
import { loadConfig, localUrl } from '../platform/config';
import { assertUnprivileged, createPool } from '../platform/db/pool';
import { createLogger } from '../platform/logger';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../server/seed';
import { seedDemoActivity } from '../server/demoActivity';
import { ensureRiskSchedule } from '../server/risk/schedule';
import { startOperationsWorker } from '../server/operate/batchWorker';
import { connectTemporal } from '../server/temporal';
import { logTransport, OutboxDispatcher } from '../workers/outbox';
import { createWorker } from '../workers/worker';
import { migrate } from '../platform/migrate';
import { startPostgres, startTemporal, type RunningService } from './services';

/**
 * The whole product on its embedded defaults: PostgreSQL and the Temporal dev server as child
 * processes with data under .data/, then migrations, demo data, a worker and the API with the
 * built editor. Ctrl-C stops everything in reverse order; the next start finds it all again.
 */
async function main() {
  const config = loadConfig(process.env, 'embedded');
  const log = createLogger('product', config.LOG_LEVEL);
  const dataDir = config.dataDir;
  const services: RunningService[] = [];
  const stopServices = async () => {
    for (const s of services.reverse()) await s.stop().catch((err) => log.error({ err }, 'service did not stop cleanly'));
  };
  try {
    await run();
  } catch (err) {
    await stopServices();
    throw err;
  }

  async function run() {
    let databaseUrl = config.DATABASE_URL;
    let ownerUrl = config.MIGRATION_DATABASE_URL;
    if (!databaseUrl) {
      log.info('starting embedded PostgreSQL');
      const pg = await startPostgres({ dataDir: path.join(dataDir, 'postgres'), port: config.EMBEDDED_PG_PORT, log: (l) => log.debug({ pg: l }) });
      services.push(pg);
      databaseUrl = pg.appUrl;
      ownerUrl = pg.url;
    }
    let temporalAddress = config.TEMPORAL_ADDRESS;
    if (!temporalAddress) {
      log.info('starting the Temporal dev server');
      const temporal = await startTemporal({
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile: path.join(dataDir, 'temporal.sqlite'),
        log: (l) => log.debug({ temporal: l }),
      });
      services.push(temporal);
      temporalAddress = temporal.address;
    }

    // The owner migrates; the app runs as retention_app, which cannot rewrite the audit log.
    await migrate(ownerUrl ?? databaseUrl, ownerUrl ? databaseUrl : undefined);
    const pool = createPool(databaseUrl);
    await assertUnprivileged(pool);
    if (config.SEED_DEMO) await seedDemo(pool);
    if (config.SEED_DEMO) await seedDemoActivity(pool);

    // We handle Ctrl-C ourselves, so the worker drains before the services it needs go away.
    Runtime.install({ shutdownSignals: [] });
    const { worker, connection: workerConnection } = await createWorker({
      address: temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      pool,
      activityOptions: { linkSecret: config.LINK_SECRET, publicUrl: config.PUBLIC_URL },
      maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
      startBacklogLimit: config.START_BACKLOG_LIMIT,
      activitySlots: config.WORKER_ACTIVITY_SLOTS,
    });
    const workerRun = worker.run();
    const outbox = new OutboxDispatcher(pool, logTransport(log), log);
    outbox.start();
    const { client, connection } = await connectTemporal(temporalAddress, config.TEMPORAL_NAMESPACE, {
      readMs: config.TEMPORAL_READ_DEADLINE_MS,
      writeMs: config.TEMPORAL_WRITE_DEADLINE_MS,
    });
    await ensureRiskSchedule(client, log);
    const app = createApp({ pool, temporal: client, log, config });
    const operations = await startOperationsWorker({ pool, temporal: client, log, config }, { address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(config.PORT, config.HOST, () => resolve(s));
    });

    const appUrl = localUrl(config.HOST, config.PORT);
    const lines = [
      '',
      `  Retention playbook engine is running`,
      `  App:          ${appUrl}`,
      `  API docs:     ${appUrl}/api/openapi.json (signed in)`,
      ...(config.TEMPORAL_ADDRESS ? [] : [`  Temporal UI:  http://127.0.0.1:${config.TEMPORAL_UI_PORT}`]),
      `  Temporal:     ${temporalAddress}`,
      `  Demo logins (password "${DEMO_PASSWORD}"): ${DEMO_USERS.map((u) => `${u.username} (${u.role}${u.department ? `, ${u.department}` : ''})`).join(', ')}`,
      '  Ctrl-C stops everything.',
      '',
    ];
    console.log(lines.join('\n'));

    // Ctrl-C reaches this process only: PostgreSQL and Temporal run in their own process groups, so
    // they are still there while the API closes and the worker drains, and are stopped last, in order.
    let stopping = false;
    const stop = async () => {
      if (stopping) return;
      stopping = true;
      log.info('stopping: API, worker, Temporal, PostgreSQL');
      const steps: [string, () => Promise<unknown>][] = [
        [
          'API',
          async () => {
            await closeApp(app);
            server.closeAllConnections?.();
            await new Promise<void>((r) => server.close(() => r()));
          },
        ],
        ['outbox', () => outbox.stop()],
        ['batch operations', () => operations.stop()],
        [
          'worker',
          async () => {
            worker.shutdown();
            await workerRun;
          },
        ],
        [
          'Temporal connections',
          async () => {
            await workerConnection.close();
            await connection.close();
          },
        ],
        ['database pool', () => pool.end()],
        ['services', stopServices],
      ];
      let clean = true;
      for (const [what, step] of steps) {
        try {
          await step();
        } catch (err) {
          clean = false;
          log.error({ err }, `${what} did not stop cleanly`);
        }
      }
      log.info(clean ? 'stopped' : 'stopped, with errors above');
      log.flush(() => process.exit(clean ? 0 : 1));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
