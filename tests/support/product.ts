import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runtime, type Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import pino from 'pino';
import type { Pool } from 'pg';
import { closeApp, createApp } from '../../server/app';
import { loadConfig } from '../../platform/config';
import { createPool } from '../../platform/db/pool';
import { connectTemporal } from '../../server/temporal';
import { startOperationsWorker } from '../../server/operate/batchWorker';
import { createWorker } from '../../workers/worker';

export const env = () => ({
  databaseUrl: required('TEST_DATABASE_URL'),
  temporalAddress: required('TEST_TEMPORAL_ADDRESS'),
  workflowBundle: required('TEST_WORKFLOW_BUNDLE'),
});

function required(name: string): string {
  const v = process.env[name];
  if (!v)
    throw new Error(
      `${name} is not set: this test needs PostgreSQL and Temporal, so it belongs to the integration project (jest.config.js), whose globalSetup starts them`,
    );
  return v;
}

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // Keep the SDK's own logs out of test output unless something is wrong.
  Runtime.install({
    logger: {
      log: () => undefined,
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m, meta) => console.error(m, meta),
    },
    // The SDK core warns about features the Java test server does not advertise; only errors matter here.
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface Product {
  url: string;
  pool: Pool;
  temporal: Client;
  worker: { current: Worker | null };
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<ApiResponse<T>>;
  login(username: string): Promise<string>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** The API's worker for batch operations (server/operate/batchWorker.ts); suites that run batches start it. */
  startOperationsWorker(): Promise<void>;
  stopOperationsWorker(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The API and a worker, in-process, against the suite's real PostgreSQL and Temporal. `settings`
 * are environment settings for this product's config (e.g. START_BACKLOG_LIMIT), as production reads them;
 * `worker: false` starts the API alone.
 */
export async function startProduct(settings: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<Product> {
  quietRuntime();
  const e = env();
  // DATABASE_URL points a product at a database of its own (tests/support/scratchDatabase.ts).
  const pool = createPool(settings.DATABASE_URL ?? e.databaseUrl);
  const { client, connection } = await connectTemporal(e.temporalAddress, 'default');
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = loadConfig({ WORKFLOW_BUNDLE: e.workflowBundle, LINK_SECRET: process.env.LINK_SECRET, DATA_DIR: process.env.TEST_TMP_DIR, ...settings });
  const app = createApp({ pool, temporal: client, log, config });
  let operations: { stop(): Promise<void> } | null = null;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const worker: Product['worker'] = { current: null };
  let workerRun: Promise<void> | null = null;
  let workerConnection: { close(): Promise<void> } | null = null;

  const product: Product = {
    url,
    pool,
    temporal: client,
    worker,
    async api(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: opts.raw ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : {}, headers: res.headers };
    },
    async login(username) {
      const res = await product.api<{ token: string }>('POST', '/api/auth/login', { body: { username, password: 'demo' } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status}`);
      return res.body.token;
    },
    async startWorker() {
      // A second worker would orphan the first: still polling after stop() ends the pool it uses, it
      // fails every later suite's activities it picks up ("Cannot use a pool after calling end").
      if (worker.current) return;
      const created = await createWorker({
        address: e.temporalAddress,
        namespace: 'default',
        pool,
        workflowBundle: { codePath: e.workflowBundle },
        startBacklogLimit: config.START_BACKLOG_LIMIT,
      });
      worker.current = created.worker;
      workerConnection = created.connection;
      workerRun = created.worker.run();
    },
    async stopWorker() {
      if (!worker.current) return;
      worker.current.shutdown();
      await workerRun;
      await workerConnection?.close();
      worker.current = null;
    },
    async startOperationsWorker() {
      operations ??= await startOperationsWorker({ pool, temporal: client, log, config }, { address: e.temporalAddress, namespace: 'default' });
    },
    async stopOperationsWorker() {
      await operations?.stop();
      operations = null;
    },
    async stop() {
      await product.stopOperationsWorker();
      await product.stopWorker();
      await closeApp(app);
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await connection.close();
      await pool.end();
    },
  };
  // A product on a database of its own must not run a worker: it would poll the shared task queue
  // and write other suites' activities into its own database.
  if (options.worker ?? true) await product.startWorker();
  return product;
}

/**
 * Poll until `check` returns a value (Temporal and the activities run asynchronously). A query that
 * misses its gRPC deadline while a loaded machine catches up is asked again; any other error, or a
 * deadline still missed when the time is up, fails the test.
 */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | null | undefined | false;
    try {
      value = await check();
    } catch (err) {
      if (!isTransientTemporalError(err) || Date.now() > deadline) throw err;
      value = null;
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** gRPC DEADLINE_EXCEEDED (4) or UNAVAILABLE (14), directly or as the cause of the SDK's ServiceError. */
function isTransientTemporalError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === 4 || e.code === 14) return true;
  }
  return false;
}

let counter = 0;
/** A fresh customer per test, so tests never collide on workflow ids. */
export async function newCustomer(
  pool: Pool,
  fields: { department?: string; grade?: string; value?: number; accountManager?: string | null } = {},
): Promise<string> {
  const id = `T-${process.pid}-${Date.now().toString(36)}-${++counter}`;
  await pool.query('INSERT INTO customers (id, name, grade, value, department_id, account_manager_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    id,
    `Test customer ${counter}`,
    fields.grade ?? 'ordinary',
    fields.value ?? 1000,
    fields.department ?? 'after_sales',
    fields.accountManager ?? null,
    'at_risk',
  ]);
  return id;
}

/** Ends the attempts of a playbook a suite left running, so its workflows do not outlive the suite. */
export async function terminateRunningAttempts(product: Product, playbookKey: string): Promise<void> {
  const { rows } = await product.pool.query<{ workflow_id: string }>(
    "SELECT workflow_id FROM recovery_attempts WHERE playbook_key = $1 AND status = 'running'",
    [playbookKey],
  );
  await Promise.all(
    rows.map((r) =>
      product.temporal.workflow
        .getHandle(r.workflow_id)
        .terminate('test cleanup')
        .catch(() => undefined),
    ),
  );
}
