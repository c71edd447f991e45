import { loadConfig } from '../platform/config';
import { assertUnprivileged, createPool } from '../platform/db/pool';
import { createLogger } from '../platform/logger';
import { logTransport, OutboxDispatcher } from './outbox';
import { createWorker } from './worker';

/** A worker process (production: several replicas). SIGTERM drains it gracefully. */
async function main() {
  // Milliseconds since this process began (performance.now()): node, tsx and every module loaded by now.
  const modulesLoadedMs = performance.now();
  const config = loadConfig(process.env, 'production');
  const log = createLogger('worker', config.LOG_LEVEL);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('DATABASE_URL and TEMPORAL_ADDRESS are required');
  const pool = createPool(config.DATABASE_URL);
  await assertUnprivileged(pool);
  const { worker, connection, connectedAt } = await createWorker({
    address: config.TEMPORAL_ADDRESS,
    namespace: config.TEMPORAL_NAMESPACE,
    pool,
    activityOptions: { linkSecret: config.LINK_SECRET, publicUrl: config.PUBLIC_URL },
    maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS,
    startBacklogLimit: config.START_BACKLOG_LIMIT,
    stickyTimeoutSeconds: config.WORKER_STICKY_TIMEOUT_SECONDS,
    activitySlots: config.WORKER_ACTIVITY_SLOTS,
    // A prebuilt bundle (the image builds one) starts the worker without running webpack.
    ...(config.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } } : {}),
  });
  const outbox = new OutboxDispatcher(pool, logTransport(log), log);
  outbox.start();
  const bundleLoadedMs = performance.now();
  const running = worker.run(); // returns after shutdown() (SIGINT/SIGTERM are handled by the SDK)
  // How long a restart takes to serve again (npm run bench:restart reads this line), from the process's start.
  log.info(
    { startup: { processStart: performance.timeOrigin, modulesLoadedMs, connectedMs: connectedAt, bundleLoadedMs, pollingMs: performance.now() } },
    'worker running',
  );
  await running;
  await outbox.stop();
  await connection.close();
  await pool.end();
  log.info('worker stopped');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
