import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * Configuration from the environment, parsed once. Defaults serve the embedded demo (`npm start`,
 * the tests); a production start (server/main.ts, workers/main.ts, or NODE_ENV=production) gets no
 * secret by default and refuses to start without one.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** The app's own connection: a role that may not disable triggers nor rewrite the audit log. */
  DATABASE_URL: z.string().optional(),
  /** The schema owner's connection, for migrations only (defaults to DATABASE_URL). */
  MIGRATION_DATABASE_URL: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  /** How long the API waits for Temporal on a read (describe, query, history) before answering 503. */
  TEMPORAL_READ_DEADLINE_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
  /** How long the API waits for Temporal on a write (start, signal, an Update applied by the workflow) before answering 503. */
  TEMPORAL_WRITE_DEADLINE_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  TEMPORAL_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  /** Temporal's web UI, for links from an attempt to its run (embedded: the dev server's UI on TEMPORAL_UI_PORT). */
  TEMPORAL_UI_URL: z.url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(5433),
  DATA_DIR: z.string().default('.data'),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 90)
    .default(12),
  /** Failed sign-ins allowed per username, and per client address, within LOGIN_THROTTLE_MINUTES. */
  LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  LOGIN_THROTTLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Express's "trust proxy": behind a reverse proxy, e.g. `1` (one hop), so the client address is the caller's. */
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Signs customers' one-time answer links and the audit chain's checkpoints. */
  LINK_SECRET: z.string().optional(),
  /** Where customers open answer links (the API's public address). */
  PUBLIC_URL: z.url().optional(),
  /** Where the audit chain's signed checkpoints are appended (default: DATA_DIR/audit-anchor.jsonl). */
  AUDIT_ANCHOR_FILE: z.string().optional(),
  /** How often the API signs a checkpoint of the audit chain's head. */
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  /** The firm's name, shown to customers on answer pages and in messages. */
  FIRM_NAME: z.string().min(1).max(100).default('Northwind Service'),
  /**
   * A prebuilt workflow bundle (`npm run build:workflows`), for workers and verified replay; without it
   * each worker start runs webpack (seconds) and the API bundles once, on first replay.
   */
  WORKFLOW_BUNDLE: z.string().optional(),
  /**
   * How many workflow runs a worker keeps in memory. Each cached run costs ~1-2 MB; the SDK's default
   * grows with the heap (thousands of runs), so 10,000 sleeping attempts took gigabytes. A run not in
   * the cache is replayed from its history when its next task comes (a timer, an answer), which for
   * attempts that sleep for days is the cheaper side of the trade.
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(500),
  /**
   * How many activities, and separately how many local activities (each transition's store), a
   * worker runs at once (workers/worker.ts). Each holds one of the pool's 10 PostgreSQL connections
   * for most of its time, so the SDK's 100 only queued them in the worker in arrival order; at twice
   * the pool, the rest of the activities wait in Temporal's task queue, by priority.
   */
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().min(1).max(1000).default(20),
  /**
   * Back-pressure on recovery attempt starts (platform/startGate.ts): a start is admitted while
   * fewer than this many starts wait to settle (their first task not yet taken by a worker, or their
   * first transition not yet stored). Past it the API answers 503 `start_backlog` with Retry-After
   * and the risk evaluation waits. 100 is about ten seconds of settling on a 2-core machine: enough
   * to absorb a burst, short enough that a rep's completion does not queue behind minutes of starts.
   */
  START_BACKLOG_LIMIT: z.coerce.number().int().min(1).max(100_000).default(100),
  /**
   * Failover speed (platform/workflowTaskTimeout.ts): how long a workflow task a dead worker took
   * waits before another worker may run it, and how long a run's sticky task waits for the worker
   * that has it cached. Temporal's defaults are 10 s each; at 4 and 2, restart → served went from
   * 10.7–11.2 s to 4.4–5.0 s in bench:restart. Raise them where workers are starved of CPU for
   * seconds at a time: a merely slow task is then not taken away and run again.
   */
  WORKFLOW_TASK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(4),
  WORKER_STICKY_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(2),
  /** Seed demo users, customers and templates (the embedded default). */
  SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

/** `embedded`: the demo on one machine over http; `production`: replicas behind TLS, secrets given. */
export type Mode = 'embedded' | 'production';
export type Config = Omit<z.infer<typeof ConfigSchema>, 'LINK_SECRET' | 'PUBLIC_URL'> & {
  MODE: Mode;
  LINK_SECRET: string;
  PUBLIC_URL: string;
  /** DATA_DIR, absolute. */
  dataDir: string;
};

const ROOT = path.resolve(__dirname, '..');
/** Values shipped (or commonly pasted) as secrets: anyone can sign with them. */
const KNOWN_DEFAULTS = ['embedded-default-link-secret-change-me'];
const PLACEHOLDER = /change.?me|example|default|placeholder|secret|password|x{8}/i;

/** Why a secret is not fit for production, or null when it is. */
export function linkSecretProblem(secret: string | undefined): string | null {
  if (!secret) return 'is not set';
  if (secret.length < 32) return 'is shorter than 32 characters';
  if (KNOWN_DEFAULTS.includes(secret) || PLACEHOLDER.test(secret)) return 'is a known default or a placeholder';
  // A random 32-character value has far more distinct characters; "aaaa…" or "abcabc…" do not.
  if (new Set(secret).size < 10) return 'does not look random (fewer than 10 distinct characters)';
  return null;
}

/**
 * The embedded demo's link secret: made once at random under the data folder and reused on later
 * starts, so links already sent keep working and no two installations share a secret.
 */
export function embeddedLinkSecret(dataDir: string): string {
  const file = path.join(dataDir, 'link-secret');
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(file, 'utf8').trim();
}

/** The address people and links reach the embedded API at, following HOST and PORT. */
export function localUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

const modeOf = (env: NodeJS.ProcessEnv): Mode => (env.NODE_ENV === 'production' ? 'production' : 'embedded');

export function loadConfig(env: NodeJS.ProcessEnv = process.env, mode: Mode = modeOf(env)): Config {
  // An empty variable (`LINK_SECRET=`) means unset, never an empty secret.
  const parsed = ConfigSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${lines}`);
  }
  const { LINK_SECRET, PUBLIC_URL, ...rest } = parsed.data;
  const dataDir = path.resolve(ROOT, rest.DATA_DIR);
  const problems: string[] = [];
  if (LINK_SECRET && KNOWN_DEFAULTS.includes(LINK_SECRET)) problems.push('  LINK_SECRET: is a shipped default; anyone can sign answer links with it');
  if (mode === 'production') {
    const weak = linkSecretProblem(LINK_SECRET);
    if (weak) problems.push(`  LINK_SECRET: ${weak}; set at least 32 random characters (e.g. \`openssl rand -base64 48\`)`);
    if (!PUBLIC_URL) problems.push('  PUBLIC_URL: is not set; set the https address customers open answer links at');
  }
  if (problems.length) throw new Error(`refusing to start (${mode} mode):\n${problems.join('\n')}`);
  return {
    ...rest,
    MODE: mode,
    dataDir,
    LINK_SECRET: LINK_SECRET ?? embeddedLinkSecret(dataDir),
    PUBLIC_URL: PUBLIC_URL ?? localUrl(rest.HOST, rest.PORT),
  };
}
