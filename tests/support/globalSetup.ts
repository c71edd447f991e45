import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { embeddedLinkSecret } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { seedDemo } from '../../server/seed';
import { migrate } from '../../platform/migrate';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import { freePort, startPostgres, startTemporal, type RunningService } from '../../scripts/services';

declare global {
  var __SERVICES__: RunningService[] | undefined;
}

/**
 * One real PostgreSQL and one real Temporal dev server for the whole suite, on free ports, with
 * throw-away data; the workflow code is bundled once and every test's worker reuses the bundle.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retention-test-'));
  const services: RunningService[] = [];
  globalThis.__SERVICES__ = services;
  const quiet = process.env.TEST_SERVICE_LOGS ? (l: string) => console.log(l) : undefined;

  const pgPort = await freePort();
  const pg = await startPostgres({ dataDir: path.join(dir, 'pg'), port: pgPort, log: quiet });
  services.push(pg);
  const temporal = await startTemporal({ port: await freePort(), uiPort: null, dbFile: null, log: quiet });
  services.push(temporal);
  await migrate(pg.url, pg.appUrl);
  const pool = createPool(pg.appUrl);
  await seedDemo(pool);
  await pool.end();

  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error, debug: () => undefined, trace: () => undefined },
  });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);

  // The product runs as the app's role, as in production; tests that tamper use the owner's URL.
  process.env.TEST_DATABASE_URL = pg.appUrl;
  process.env.TEST_OWNER_DATABASE_URL = pg.url;
  process.env.TEST_PG_PORT = String(pgPort);
  process.env.TEST_PG_DIR = path.join(dir, 'pg');
  process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_TMP_DIR = dir;
  // Like the embedded start: a random secret made once under the data folder, shared by the API and
  // the in-process workers of every suite (they read it from the environment).
  process.env.LINK_SECRET = embeddedLinkSecret(dir);
}
