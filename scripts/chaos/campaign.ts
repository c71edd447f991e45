import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Runtime } from '@temporalio/worker';
import { createPool } from '../../platform/db/pool';
import { seedDemo } from '../../server/seed';
import { migrate } from '../../platform/migrate';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import { freePort } from '../services';
import { ApiClient, RequestStats, type ServerError } from './client';
import { Cluster, type UnexpectedExit } from './cluster';
import { driveAttempt, type AttemptRecord, type AttemptScript } from './driver';
import { FaultInjector, FAULT_KINDS, type FaultKind, type FaultRecord } from './faults';
import { Prng } from './prng';
import { chaosGraph, PATH_WEIGHTS, type PathName } from './scenario';
import { verifyCampaign, type Finding, type Verification } from './verify';

/**
 * The fault campaign: real services as separate processes, recovery attempts driven through the
 * API with scripted outcomes, faults injected at random (seeded) moments, then every attempt
 * checked against what its script must have produced. `npm run chaos` and tests/chaos run this.
 */

export interface CampaignOptions {
  attempts: number;
  seed: number;
  faults: Record<FaultKind, number>;
  /** Worker processes (a kill takes one of them). */
  workers: number;
  /** Attempts in flight at once. */
  concurrency: number;
  /** Hard bound on the whole campaign; past it everything is stopped and the campaign fails. */
  maxMinutes: number;
  /** Random pause before each fault, in ms. */
  gapMs: [number, number];
  /** Keep the temp folder (logs, data) even when the campaign passes. */
  keep: boolean;
  /** A workflow bundle built already (the test suite has one); otherwise the campaign bundles the code. */
  workflowBundle?: string;
  say: (line: string) => void;
  signal?: AbortSignal;
}

export const DEFAULT_OPTIONS: Omit<CampaignOptions, 'say' | 'seed'> = {
  attempts: 200,
  faults: { worker: 12, postgres: 3, temporal: 3, api: 3 },
  workers: 2,
  concurrency: 24,
  maxMinutes: 15,
  gapMs: [2000, 9000],
  keep: false,
};

/** CHAOS_* variables over the defaults (see scripts/chaos.ts for the list). */
export function optionsFromEnv(env: NodeJS.ProcessEnv, base: Partial<CampaignOptions> = {}): CampaignOptions {
  const num = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not "${raw}"`);
    return n;
  };
  const d = { ...DEFAULT_OPTIONS, ...base };
  return {
    ...d,
    attempts: num('CHAOS_ATTEMPTS', d.attempts),
    seed: num('CHAOS_SEED', base.seed ?? Math.floor(Math.random() * 2 ** 31)),
    faults: {
      worker: num('CHAOS_WORKER_KILLS', d.faults.worker),
      postgres: num('CHAOS_PG_RESTARTS', d.faults.postgres),
      temporal: num('CHAOS_TEMPORAL_RESTARTS', d.faults.temporal),
      api: num('CHAOS_API_KILLS', d.faults.api),
    },
    workers: Math.max(1, num('CHAOS_WORKERS', d.workers)),
    concurrency: Math.max(1, num('CHAOS_CONCURRENCY', d.concurrency)),
    maxMinutes: num('CHAOS_MAX_MINUTES', d.maxMinutes),
    keep: env.CHAOS_KEEP ? env.CHAOS_KEEP !== '0' && env.CHAOS_KEEP !== 'false' : d.keep,
    say: base.say ?? ((line) => console.log(line)),
  };
}

export interface CampaignReport {
  ok: boolean;
  /** Why it failed, one line each. */
  failures: string[];
  seed: number;
  options: Omit<CampaignOptions, 'say' | 'signal'>;
  dir: string;
  kept: boolean;
  durations: { setupMs: number; driveMs: number; verifyMs: number; totalMs: number; attemptP50Ms: number; attemptP95Ms: number; attemptMaxMs: number };
  attempts: { total: number; byPath: Record<string, number>; asScripted: number; resolved: { attempt: number; note: string }[] };
  faults: { byKind: Record<FaultKind, number>; records: FaultRecord[] };
  requests: { byStatus: Record<string, number>; serverErrors: ServerError[] };
  unexpectedExits: UnexpectedExit[];
  findings: Finding[];
  verification: Omit<Verification, 'findings'> | null;
  /** Error lines from the API's and workers' logs (pino level ≥ 50; the SDK's own retry warnings are left out). */
  logErrors: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCampaign(input: Partial<CampaignOptions> & { seed: number }): Promise<CampaignReport> {
  const options: CampaignOptions = { ...DEFAULT_OPTIONS, say: (l) => console.log(l), ...input };
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
  const say = (line: string) => options.say(`[chaos ${elapsed()}] ${line}`);
  const failures: string[] = [];

  // One signal for Ctrl-C (the caller's) and for the hard time bound.
  const abort = new AbortController();
  const bound = setTimeout(() => {
    failures.push(`the campaign passed its bound of ${options.maxMinutes} minutes and was stopped`);
    abort.abort();
  }, options.maxMinutes * 60_000);
  const onCallerAbort = () => {
    failures.push('interrupted');
    abort.abort();
  };
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) onCallerAbort();

  const dir = mkdtempSync(path.join(os.tmpdir(), 'retention-chaos-'));
  say(
    `seed ${options.seed}; ${options.attempts} attempts; faults ${FAULT_KINDS.map((k) => `${k} ×${options.faults[k]}`).join(', ')}; ${options.workers} worker(s); folder ${dir}`,
  );
  const ports = { pg: await freePort(), temporal: await freePort(), api: await freePort() };
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const cluster = new Cluster({ dir, ports, workers: options.workers, linkSecret: randomBytes(32).toString('hex'), workflowBundle: bundlePath, say });
  const killOnExit = () => cluster.killAllNow();
  process.on('exit', killOnExit);
  abort.signal.addEventListener('abort', () => void cluster.stopAll(), { once: true });

  const stats = new RequestStats();
  let injector: FaultInjector | null = null;
  const api = new ApiClient(cluster.apiUrl, stats, { faultsNow: () => injector?.describe() ?? 'setup', signal: abort.signal });
  const records: AttemptRecord[] = [];
  let verification: Verification | null = null;
  let setupMs = 0;
  let driveMs = 0;

  try {
    // --- Setup: services, schema and demo data once, then the processes -----------------------
    quietRuntime();
    if (options.workflowBundle) copyFileSync(options.workflowBundle, bundlePath);
    else {
      const { code } = await bundleWorkflowCode({
        workflowsPath: WORKFLOWS_PATH,
        logger: {
          log: () => undefined,
          info: () => undefined,
          warn: () => undefined,
          error: (m) => say(`bundle: ${m}`),
          debug: () => undefined,
          trace: () => undefined,
        },
      });
      writeFileSync(bundlePath, code);
    }
    await cluster.startPostgres();
    // The owner migrates; with an app role, migrate() also makes the app's login (server/main.ts does the same).
    await (migrate as (ownerUrl: string, appUrl?: string) => Promise<void>)(
      cluster.ownerUrl,
      cluster.databaseUrl === cluster.ownerUrl ? undefined : cluster.databaseUrl,
    );
    const prng = new Prng(options.seed);
    const scripts: AttemptScript[] = [];
    const setupPool = createPool(cluster.ownerUrl);
    try {
      await seedDemo(setupPool);
      for (let i = 0; i < options.attempts; i++) {
        const pathName = prng.weighted(PATH_WEIGHTS) as PathName;
        const rep = prng.next() < 0.5 ? { id: 'u-rita', username: 'rita' } : { id: 'u-ravi', username: 'ravi' };
        const customerId = `CHAOS-${options.seed}-${i}`;
        scripts.push({ index: i, customerId, path: pathName, rep });
        await setupPool.query(
          `INSERT INTO customers (id, name, grade, value, department_id, status) VALUES ($1, $2, 'ordinary', 1000, 'after_sales', 'at_risk') ON CONFLICT (id) DO NOTHING`,
          [customerId, `Chaos customer ${i}`],
        );
      }
    } finally {
      await setupPool.end();
    }
    await cluster.startTemporal();
    await cluster.startApi();
    await cluster.startWorkers();
    await waitHealthy(api, 60_000);

    const tokens: Record<string, string> = {};
    for (const username of ['olga', 'rita', 'ravi', 'hana', 'aude']) {
      const res = await api.call<{ token: string }>('POST', '/api/auth/login', { body: { username, password: 'demo' } });
      if (res.status !== 200) throw new Error(`login ${username} answered ${res.status}`);
      tokens[username] = res.body.token;
    }
    const playbookKey = `chaos-${options.seed}-${Date.now().toString(36)}`;
    const saved = await api.call('PUT', `/api/playbooks/${playbookKey}/draft`, {
      token: tokens.olga,
      body: { name: `Chaos campaign ${options.seed}`, graph: chaosGraph },
    });
    if (saved.status !== 200) throw new Error(`saving the playbook answered ${saved.status}: ${JSON.stringify(saved.body)}`);
    const published = await api.call('POST', `/api/playbooks/${playbookKey}/publish`, { token: tokens.olga });
    if (published.status !== 201) throw new Error(`publishing the playbook answered ${published.status}: ${JSON.stringify(published.body)}`);
    setupMs = Date.now() - t0;
    say(`setup done in ${(setupMs / 1000).toFixed(1)} s: API ${cluster.apiUrl}, Temporal ${cluster.temporalAddress}, playbook ${playbookKey}`);

    // --- Drive the attempts while the faults come ---------------------------------------------
    const driveStart = Date.now();
    const faults = new FaultInjector(cluster, prng, options.faults, t0, say);
    injector = faults;
    const N = scripts.length;
    const F = faults.total;
    let launched = 0;
    let finished = 0;
    const waitUntil = async (cond: () => boolean) => {
      while (!cond() && !abort.signal.aborted) await sleep(100);
    };
    const faultRun = faults.run({
      gapMs: options.gapMs,
      // Fault k waits until its share of attempts is under way, so every fault hits running attempts.
      mayStart: (k) => waitUntil(() => launched >= Math.min(N, Math.floor((k * N) / Math.max(F, 1)) + 1)),
      signal: abort.signal,
    });
    const ctx = { client: api, tokens, playbookKey, signal: abort.signal, waitTimeoutMs: 240_000 };
    const running = new Set<Promise<void>>();
    for (const script of scripts) {
      if (abort.signal.aborted) break;
      // Attempt i waits for its share of faults: the faults are spread over the whole campaign.
      await waitUntil(() => faults.started >= Math.floor((script.index * F) / N) || faults.done.length === F);
      await waitUntil(() => running.size < options.concurrency);
      if (abort.signal.aborted) break;
      launched += 1;
      const p: Promise<void> = driveAttempt(ctx, script).then((record) => {
        records.push(record);
        finished += 1;
        if (finished % 20 === 0 || finished === N) say(`${finished}/${N} attempts done`);
        running.delete(p);
      });
      running.add(p);
      await sleep(250);
    }
    await Promise.all(running);
    await faultRun;
    driveMs = Date.now() - driveStart;
    say(`driving done in ${(driveMs / 1000).toFixed(1)} s`);

    // --- Verify ---------------------------------------------------------------------------------
    if (!abort.signal.aborted) {
      await waitHealthy(api, 120_000).catch((err) => failures.push(`before verification: ${String(err)}`));
      const pool = createPool(cluster.ownerUrl);
      const connection = await Connection.connect({ address: cluster.temporalAddress });
      try {
        records.sort((a, b) => a.script.index - b.script.index);
        verification = await verifyCampaign({
          pool,
          temporal: new Client({ connection }),
          workflowBundle: bundlePath,
          api,
          auditorToken: tokens.aude,
          playbookKey,
          records,
        });
        say(
          `verified in ${(verification.durationMs / 1000).toFixed(1)} s: ${verification.findings.length} finding(s), ${verification.replayed} histories replayed`,
        );
      } finally {
        await pool.end();
        await connection.close();
      }
    }
  } catch (err) {
    failures.push(`the campaign itself failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    clearTimeout(bound);
    options.signal?.removeEventListener('abort', onCallerAbort);
    say('stopping every service');
    await cluster.stopAll();
    process.off('exit', killOnExit);
  }

  const findings = verification?.findings ?? [];
  const server500 = stats.serverErrors.filter((e) => e.status >= 500);
  if (findings.length) failures.push(`${findings.length} finding(s): ${[...new Set(findings.map((f) => f.kind))].join(', ')}`);
  if (server500.length) failures.push(`${server500.length} answer(s) with status 500/502/504`);
  if (!verification && !failures.length) failures.push('not verified');
  const ok = failures.length === 0;
  const logErrors = collectLogErrors(dir, cluster.workers.map((w) => `${w.name}.log`).concat('api.log'));
  const kept = options.keep || !ok;
  const durationsOf = records
    .filter((r) => r.endedAt)
    .map((r) => r.endedAt! - r.startedAt)
    .sort((a, b) => a - b);
  const pct = (p: number) => durationsOf[Math.min(durationsOf.length - 1, Math.floor(p * durationsOf.length))] ?? 0;
  const byPath: Record<string, number> = {};
  for (const r of records) byPath[r.script.path] = (byPath[r.script.path] ?? 0) + 1;
  const wrong = new Set(
    findings.filter((f) => f.attempt !== null && (f.kind === 'wrong_outcome' || f.kind === 'not_finished' || f.kind === 'driver')).map((f) => f.attempt),
  );
  const report: CampaignReport = {
    ok,
    failures,
    seed: options.seed,
    options: {
      attempts: options.attempts,
      seed: options.seed,
      faults: options.faults,
      workers: options.workers,
      concurrency: options.concurrency,
      maxMinutes: options.maxMinutes,
      gapMs: options.gapMs,
      keep: options.keep,
      workflowBundle: options.workflowBundle,
    },
    dir,
    kept,
    durations: {
      setupMs,
      driveMs,
      verifyMs: verification?.durationMs ?? 0,
      totalMs: Date.now() - t0,
      attemptP50Ms: pct(0.5),
      attemptP95Ms: pct(0.95),
      attemptMaxMs: durationsOf[durationsOf.length - 1] ?? 0,
    },
    attempts: {
      total: records.length,
      byPath,
      asScripted: verification ? records.filter((r) => !wrong.has(r.script.index)).length : 0,
      resolved: records.flatMap((r) => r.resolved.map((note) => ({ attempt: r.script.index, note }))),
    },
    faults: {
      byKind: Object.fromEntries(FAULT_KINDS.map((k) => [k, injector?.done.filter((f) => f.kind === k).length ?? 0])) as Record<FaultKind, number>,
      records: injector?.done ?? [],
    },
    requests: { byStatus: Object.fromEntries([...stats.byStatus.entries()].sort()), serverErrors: stats.serverErrors },
    unexpectedExits: cluster.unexpectedExits,
    findings,
    verification: verification ? { replayed: verification.replayed, auditChain: verification.auditChain, durationMs: verification.durationMs } : null,
    logErrors,
  };
  writeFileSync(path.join(dir, 'report.json'), JSON.stringify(report, null, 2));
  if (!kept) rmSync(dir, { recursive: true, force: true });
  return report;
}

async function waitHealthy(api: ApiClient, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.call<{ ok: boolean }>('GET', '/healthz').catch(() => null);
    if (res?.status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`the API did not become healthy in ${timeoutMs} ms (last: ${res?.status ?? 'no answer'} ${JSON.stringify(res?.body ?? {})})`);
    await sleep(500);
  }
}

/** The SDK's own logs only when something is wrong (the campaign kills its peers on purpose). */
function quietRuntime(): void {
  try {
    Runtime.install({
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (m, meta) => console.error(m, meta),
      },
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  } catch {
    // already installed (e.g. by another test in this process)
  }
}

function collectLogErrors(dir: string, files: string[]): string[] {
  const out: string[] = [];
  for (const file of files) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    for (const line of readFileSync(full, 'utf8').split('\n')) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level && Number(level) >= 50) out.push(`${file}: ${line.length > 800 ? `${line.slice(0, 800)}…` : line}`);
    }
  }
  return out.slice(0, 200);
}

/** The report as people read it. */
export function formatReport(r: CampaignReport): string {
  const lines: string[] = [];
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  lines.push('', `Chaos campaign ${r.ok ? 'PASSED' : 'FAILED'} (seed ${r.seed}; rerun with CHAOS_SEED=${r.seed})`);
  lines.push(
    `  attempts:  ${r.attempts.total} of ${r.options.attempts} (${Object.entries(r.attempts.byPath)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}); ended as scripted: ${r.attempts.asScripted}`,
  );
  lines.push(`  faults:    ${FAULT_KINDS.map((k) => `${k} ${r.faults.byKind[k]}/${r.options.faults[k]}`).join(', ')}`);
  const outages = FAULT_KINDS.map((k) => {
    const list = r.faults.records.filter((f) => f.kind === k).map((f) => f.outageMs);
    return list.length ? `${k} ${s(Math.min(...list))}–${s(Math.max(...list))}` : null;
  }).filter(Boolean);
  if (outages.length) lines.push(`  outages:   ${outages.join(', ')} (kill → ready again)`);
  lines.push(
    `  requests:  ${Object.entries(r.requests.byStatus)
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ')}`,
  );
  lines.push(
    `  durations: setup ${s(r.durations.setupMs)}, driving ${s(r.durations.driveMs)}, verification ${s(r.durations.verifyMs)}, total ${s(r.durations.totalMs)}; per attempt p50 ${s(r.durations.attemptP50Ms)}, p95 ${s(r.durations.attemptP95Ms)}, max ${s(r.durations.attemptMaxMs)}`,
  );
  if (r.verification)
    lines.push(
      `  verified:  ${r.verification.replayed} histories replayed; audit chain ${r.verification.auditChain?.ok ? `ok (${r.verification.auditChain.rows} rows)` : 'NOT ok'}`,
    );
  const lost = r.findings.filter((f) => f.kind === 'missing').length;
  const doubled = r.findings.filter((f) => f.kind === 'doubled').length;
  lines.push(`  lost:      ${lost}    doubled: ${doubled}    other findings: ${r.findings.length - lost - doubled}`);
  if (r.attempts.resolved.length) {
    lines.push(`  ambiguous answers resolved by reading state (${r.attempts.resolved.length}):`);
    for (const x of r.attempts.resolved.slice(0, 20)) lines.push(`    #${x.attempt}: ${x.note}`);
  }
  if (r.unexpectedExits.length) {
    lines.push(`  processes that exited on their own (${r.unexpectedExits.length}):`);
    for (const e of r.unexpectedExits.slice(0, 10))
      lines.push(`    ${e.process} while ${e.phase}, code ${e.code} signal ${e.signal}: ${e.tail.slice(-2).join(' | ').slice(0, 400)}`);
  }
  if (r.requests.serverErrors.length) {
    lines.push(`  server errors (${r.requests.serverErrors.length}):`);
    for (const e of r.requests.serverErrors.slice(0, 20))
      lines.push(`    ${e.status} ${e.request}${e.attempt ? ` (attempt ${e.attempt})` : ''} (${e.faults}): ${e.body.slice(0, 200)}`);
  }
  if (r.findings.length) {
    lines.push(`  findings (${r.findings.length}):`);
    for (const f of r.findings.slice(0, 60))
      lines.push(`    [${f.kind}]${f.attempt !== null ? ` #${f.attempt}` : ''}${f.attemptId ? ` ${f.attemptId}` : ''}: ${f.detail}`);
    if (r.findings.length > 60) lines.push(`    … and ${r.findings.length - 60} more in report.json`);
  }
  if (r.logErrors.length) {
    lines.push(`  error lines in the API and worker logs: ${r.logErrors.length}${r.logErrors.length ? ' (first 5 below)' : ''}`);
    for (const l of r.logErrors.slice(0, 5)) lines.push(`    ${l.slice(0, 400)}`);
  }
  for (const f of r.failures) lines.push(`  FAILURE: ${f}`);
  lines.push(`  ${r.kept ? `logs, data and report.json kept in ${r.dir}` : 'temp folder removed (CHAOS_KEEP=1 keeps it)'}`, '');
  return lines.join('\n');
}
