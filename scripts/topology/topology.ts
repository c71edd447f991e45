import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Runtime } from '@temporalio/worker';
import { createPool } from '../../platform/db/pool';
import { migrate } from '../../platform/migrate';
import { seedDemo } from '../../server/seed';
import { WORKFLOWS_PATH } from '../../workflows/bundlePath';
import { asRoot, pgCtl, pgNativeDir } from '../pgctl';
import { freePort } from '../services';
import { RequestStats } from '../chaos/client';
import { ManagedProcess, type UnexpectedExit } from '../chaos/cluster';
import { driveAttempt, type AttemptRecord, type AttemptScript } from '../chaos/driver';
import { Prng } from '../chaos/prng';
import { chaosGraph, PATH_WEIGHTS, type PathName } from '../chaos/scenario';
import { verifyCampaign, type Finding } from '../chaos/verify';
import { ensureTemporalBinaries, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION, type TemporalBinaries } from './binaries';
import { countsOn, LiveStream, TopologyClient, type TabCounts } from './probes';
import { RoundRobinProxy, type Upstream } from './proxy';
import { startClusterDatabase, TemporalCluster, temporalPorts } from './services';

/**
 * `npm run topology`: the production topology on this machine (loopback only) and a bounded campaign
 * through both API replicas while a worker and an API replica are killed, then the checks that nothing
 * was lost or doubled. The attempts, their scripts and the PostgreSQL/Temporal verification are the
 * chaos campaign's (scripts/chaos); what is new here is the cluster, the two replicas behind a load
 * balancer, and the cross-replica checks (live streams, count cache, idempotent repeats).
 */

export interface TopologyOptions {
  attempts: number;
  concurrency: number;
  seed: number;
  /** Bound on everything after the build; past it the run stops and fails. */
  maxMinutes: number;
  shards: number;
  keep: boolean;
  say: (line: string) => void;
  signal?: AbortSignal;
}

export interface TopologyReport {
  ok: boolean;
  failures: string[];
  lines: string[];
  dir: string;
  kept: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const USERS = ['olga', 'rita', 'ravi', 'hana', 'kim', 'aude'] as const;
const PROBES = 4;

function killPostgresSync(pgCtlPath: string, dataDir: string): void {
  const args = ['stop', '-m', 'immediate', '-D', dataDir];
  try {
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', pgCtlPath, ...args], { stdio: 'ignore', timeout: 20_000 });
    else execFileSync(pgCtlPath, args, { stdio: 'ignore', timeout: 20_000 });
  } catch {
    // not running
  }
}

function quietRuntime(): void {
  try {
    Runtime.install({
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (m) => console.error(m),
      },
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
    });
  } catch {
    // installed already
  }
}

export async function runTopology(opts: TopologyOptions): Promise<TopologyReport> {
  const t0 = Date.now();
  const say = (line: string) => opts.say(`[topology ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  const failures: string[] = [];
  const lines: string[] = [];
  const fail = (line: string) => failures.push(line);

  // The build comes first and is not bounded: it runs once per version.
  const bins: TemporalBinaries = await ensureTemporalBinaries(say);
  const buildDone = Date.now();
  say(
    bins.buildSeconds.server || bins.buildSeconds.ui
      ? `built: Temporal server ${bins.buildSeconds.server} s, UI ${bins.buildSeconds.ui} s`
      : `Temporal ${TEMPORAL_SERVER_VERSION} and UI ${TEMPORAL_UI_VERSION} binaries cached in .tools/`,
  );

  const abort = new AbortController();
  const bound = setTimeout(() => {
    fail(`the run passed its bound of ${opts.maxMinutes} minutes (after the build) and was stopped`);
    abort.abort();
  }, opts.maxMinutes * 60_000);
  const onCallerAbort = () => {
    fail('interrupted');
    abort.abort();
  };
  opts.signal?.addEventListener('abort', onCallerAbort, { once: true });

  const dir = mkdtempSync(path.join(os.tmpdir(), 'retention-topology-'));
  say(`folder ${dir}; seed ${opts.seed}; ${opts.attempts} attempts, ${opts.concurrency} at once; ${opts.shards} history shards`);
  const linkSecret = randomBytes(36).toString('base64');
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  const pgPort = await freePort();
  const replicas: Upstream[] = [
    { name: 'api-a', port: await freePort() },
    { name: 'api-b', port: await freePort() },
  ];
  const [A, B] = replicas;
  const proxy = new RoundRobinProxy(replicas);
  await proxy.listen();
  let temporal: TemporalCluster | null = null;
  let db: { dataDir: string; ownerUrl: string; appUrl: string } | null = null;
  const unexpectedExits: UnexpectedExit[] = [];
  const apis: ManagedProcess[] = [];
  const workers: ManagedProcess[] = [];
  const streams: LiveStream[] = [];
  const pgCtlPath = path.join(await pgNativeDir(), 'bin', 'pg_ctl');
  const killAllNow = () => {
    for (const p of [...apis, ...workers]) p.killNow();
    temporal?.killNow();
    // process 'exit' allows no promises: pg_ctl synchronously (as root through runuser, like pgctl.ts).
    if (db) killPostgresSync(pgCtlPath, db.dataDir);
  };
  process.on('exit', killAllNow);
  let stopping: Promise<void> | null = null;
  const stopAll = () =>
    (stopping ??= (async () => {
      for (const s of streams) s.close();
      const guard = (what: string, p: Promise<unknown>) => p.catch((err) => say(`${what} did not stop cleanly: ${String(err)}`));
      await Promise.all(apis.map((p) => guard(p.name, p.stop())));
      await Promise.all(workers.map((p) => guard(p.name, p.stop())));
      await guard('proxy', proxy.close());
      if (temporal) await guard('temporal', temporal.stop());
      if (db) {
        const dataDir = db.dataDir;
        await guard(
          'postgres',
          pgCtl(dataDir, ['stop', '-m', 'fast', '-w']).catch(() => killPostgresSync(pgCtlPath, dataDir)),
        );
      }
    })());
  abort.signal.addEventListener('abort', () => void stopAll(), { once: true });

  const stats = new RequestStats();
  const client = new TopologyClient(proxy, stats, replicas, { faultsNow: () => faultNow, signal: abort.signal });
  let faultNow = 'no fault yet';
  const records: AttemptRecord[] = [];
  const timings: Record<string, number> = {};
  let peakConnections: { total: number; byDb: Record<string, number> } = { total: 0, byDb: {} };

  try {
    // --- The cluster ------------------------------------------------------------------------------
    quietRuntime();
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
    db = await startClusterDatabase(dir, pgPort);
    say(`PostgreSQL on 127.0.0.1:${pgPort} (max_connections 250)`);
    temporal = new TemporalCluster(
      bins,
      await temporalPorts(!!bins.ui),
      { host: '127.0.0.1', port: pgPort, user: 'retention', password: 'retention' },
      dir,
      opts.shards,
    );
    await temporal.start(say);
    say(`Temporal ${TEMPORAL_SERVER_VERSION}: frontend ${temporal.address}, history, matching and worker as 4 processes`);
    if (bins.ui) {
      await temporal.startUi();
      say(`Temporal UI ${TEMPORAL_UI_VERSION} on http://127.0.0.1:${temporal.ports.ui}`);
    }

    // --- The product: schema, demo data, the campaign's customers, then the processes ---------------
    await (migrate as (ownerUrl: string, appUrl?: string) => Promise<void>)(db.ownerUrl, db.appUrl);
    const prng = new Prng(opts.seed);
    const scripts: AttemptScript[] = [];
    const setupPool = createPool(db.ownerUrl);
    try {
      await seedDemo(setupPool);
      const customer = (id: string, name: string) =>
        setupPool.query(
          `INSERT INTO customers (id, name, grade, value, department_id, status) VALUES ($1, $2, 'ordinary', 1000, 'after_sales', 'at_risk') ON CONFLICT (id) DO NOTHING`,
          [id, name],
        );
      for (let i = 0; i < opts.attempts; i++) {
        const pathName = prng.weighted(PATH_WEIGHTS) as PathName;
        const rep = prng.next() < 0.5 ? { id: 'u-rita', username: 'rita' } : { id: 'u-ravi', username: 'ravi' };
        scripts.push({ index: i, customerId: `TOPO-${opts.seed}-${i}`, path: pathName, rep });
        await customer(`TOPO-${opts.seed}-${i}`, `Topology customer ${i}`);
      }
      for (let i = 0; i < PROBES; i++) await customer(`TOPO-${opts.seed}-probe-${i}`, `Topology probe ${i}`);
    } finally {
      await setupPool.end();
    }
    const app = db;
    const common = (): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: app.appUrl,
      MIGRATION_DATABASE_URL: app.ownerUrl,
      TEMPORAL_ADDRESS: temporal!.address,
      LINK_SECRET: linkSecret,
      PUBLIC_URL: proxy.url,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'info',
      DATA_DIR: dir,
      // One anchor file for both replicas: docker-compose.yml mounts one volume into every API.
      AUDIT_ANCHOR_FILE: path.join(dir, 'audit-anchor.jsonl'),
      AUDIT_CHECKPOINT_SECONDS: '5',
      WORKFLOW_BUNDLE: bundlePath,
    });
    const onExit = (exit: UnexpectedExit) => unexpectedExits.push(exit);
    for (const r of replicas)
      apis.push(
        new ManagedProcess(
          r.name,
          'server/main.ts',
          () => ({ ...common(), PORT: String(r.port), HOST: '127.0.0.1', TRUST_PROXY: '1' }),
          path.join(dir, `${r.name}.log`),
          (line) => line.includes('API listening'),
          onExit,
          say,
        ),
      );
    for (let i = 1; i <= 2; i++)
      workers.push(
        new ManagedProcess(`worker-${i}`, 'workers/main.ts', common, path.join(dir, `worker-${i}.log`), (l) => l.includes('worker running'), onExit, say),
      );
    // Both replicas start at once, as replicas do: both migrate (node-pg-migrate's lock) and register search attributes.
    await Promise.all(apis.map((p) => p.start()));
    await Promise.all(workers.map((p) => p.start()));
    await waitHealthy(replicas, 120_000);
    say(`API replicas ${A.name} :${A.port} and ${B.name} :${B.port} behind the load balancer ${proxy.url}; 2 worker processes`);

    const tokens: Record<string, string> = {};
    for (const username of USERS) {
      const res = await client.call<{ token: string }>('POST', '/api/auth/login', { body: { username, password: 'demo' } });
      if (res.status !== 200) throw new Error(`login ${username} answered ${res.status}`);
      tokens[username] = res.body.token;
    }
    const playbookKey = `topology-${opts.seed}-${Date.now().toString(36)}`;
    const saved = await client.call('PUT', `/api/playbooks/${playbookKey}/draft`, {
      token: tokens.olga,
      body: { name: `Topology ${opts.seed}`, graph: chaosGraph },
    });
    if (saved.status !== 200) throw new Error(`saving the playbook answered ${saved.status}: ${JSON.stringify(saved.body)}`);
    const published = await client.call('POST', `/api/playbooks/${playbookKey}/publish`, { token: tokens.olga });
    if (published.status !== 201) throw new Error(`publishing the playbook answered ${published.status}: ${JSON.stringify(published.body)}`);
    // Live inboxes held open on each replica, as an ops manager (who sees every task).
    for (const r of replicas) streams.push(new LiveStream(r, tokens.olga));
    await Promise.all(streams.map((s) => s.open()));
    const [streamA, streamB] = streams;
    timings.setup = Date.now() - buildDone;
    say(`setup done in ${seconds(timings.setup)}; playbook ${playbookKey}`);

    // --- The campaign, with a worker and an API replica killed on the way -----------------------------
    const driveStart = Date.now();
    // The connection budget in practice: PostgreSQL's client connections per database, sampled during the campaign.
    const monitor = createPool(db.ownerUrl, 1);
    const sampleConnections = async () => {
      const { rows } = await monitor
        .query<{ datname: string; n: number }>(
          `SELECT datname, count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend' GROUP BY datname`,
        )
        .catch(() => ({ rows: [] as { datname: string; n: number }[] }));
      const total = rows.reduce((sum, r) => sum + r.n, 0);
      if (total > peakConnections.total) peakConnections = { total, byDb: Object.fromEntries(rows.map((r) => [r.datname, r.n])) };
    };
    const sampler = setInterval(() => void sampleConnections(), 1000);
    let launched = 0;
    const waitUntil = async (cond: () => boolean) => {
      while (!cond() && !abort.signal.aborted) await sleep(100);
    };
    const faults: string[] = [];
    // Two faults, each at its own moment while attempts are in flight: a worker at a quarter of the
    // attempts done, an API replica at half.
    const workerFault = (async () => {
      await waitUntil(() => records.length >= Math.floor(opts.attempts / 4));
      if (abort.signal.aborted) return;
      const worker = workers[0];
      const killedAt = Date.now();
      faultNow = `${worker.name} killed`;
      const inFlight = launched - records.length;
      await worker.kill();
      say(`SIGKILL ${worker.name} (${records.length} attempts done, ${inFlight} in flight); left down 10 s while ${workers[1].name} carries on`);
      await sleep(10_000);
      await worker.start();
      faults.push(
        `${worker.name} SIGKILLed ${seconds(killedAt - driveStart)} into the campaign with ${inFlight} attempts in flight, restarted after 10 s, serving again ${seconds(Date.now() - killedAt)} after the kill`,
      );
      faultNow = `${worker.name} restarted`;
    })();
    const apiFault = (async () => {
      await waitUntil(() => records.length >= Math.floor(opts.attempts / 2));
      if (abort.signal.aborted) return;
      const api = apis[0];
      const killedAt = Date.now();
      faultNow = `${api.name} killed`;
      const inFlight = launched - records.length;
      await api.kill();
      say(`SIGKILL ${api.name} (${records.length} attempts done, ${inFlight} in flight); the load balancer sends everything to ${B.name}; restart in 5 s`);
      await sleep(5_000);
      await api.start();
      await streamA.open();
      faults.push(
        `${api.name} SIGKILLed ${seconds(killedAt - driveStart)} into the campaign with ${inFlight} attempts in flight, restarted after 5 s, serving again ${seconds(Date.now() - killedAt)} after the kill (its live stream reopened)`,
      );
      faultNow = `${api.name} restarted`;
    })();
    const faultRun = Promise.all([workerFault, apiFault]);
    const ctx = { client, tokens, playbookKey, signal: abort.signal, waitTimeoutMs: 180_000 };
    const running = new Set<Promise<void>>();
    for (const script of scripts) {
      await waitUntil(() => running.size < opts.concurrency);
      if (abort.signal.aborted) break;
      launched += 1;
      const p: Promise<void> = driveAttempt(ctx, script).then((record) => {
        records.push(record);
        if (records.length % 20 === 0 || records.length === scripts.length) say(`${records.length}/${scripts.length} attempts done`);
        running.delete(p);
      });
      running.add(p);
      await sleep(150);
    }
    await Promise.all(running);
    await faultRun;
    timings.drive = Date.now() - driveStart;
    clearInterval(sampler);
    await sampleConnections();
    await monitor.end();
    say(`campaign done in ${seconds(timings.drive)}`);
    if (abort.signal.aborted) throw new Error('aborted');

    // --- The count cache across replicas: a change made through one replica, read on the other -------
    const probeStart = Date.now();
    const probePool = createPool(db.ownerUrl);
    const probeLines = await probeCountCache({ client, tokens, playbookKey, seed: opts.seed, replicas, streams, records, fail, pool: probePool }).finally(() =>
      probePool.end(),
    );
    timings.probe = Date.now() - probeStart;

    // --- Verification -------------------------------------------------------------------------------
    const verifyStart = Date.now();
    records.sort((a, b) => a.script.index - b.script.index);
    const pool = createPool(db.ownerUrl);
    const connection = await Connection.connect({ address: temporal.address });
    let findings: Finding[] = [];
    try {
      const temporalClient = new Client({ connection });
      await waitVisible(temporalClient, playbookKey, records.length, 60_000).catch((err: Error) => fail(err.message));
      const verification = await verifyCampaign({
        pool,
        temporal: temporalClient,
        workflowBundle: bundlePath,
        api: client,
        auditorToken: tokens.aude,
        playbookKey,
        records,
      });
      findings = verification.findings;
      const lost = findings.filter((f) => f.kind === 'missing').length;
      const doubled = findings.filter((f) => f.kind === 'doubled').length;
      lines.push(
        `  attempts:   ${records.length} (${Object.entries(countBy(records.map((r) => r.script.path)))
          .map(([k, v]) => `${k} ${v}`)
          .join(
            ', ',
          )}); each exactly once in PostgreSQL and Temporal, ended as scripted: ${records.length - new Set(findings.filter((f) => f.attempt !== null).map((f) => f.attempt)).size}`,
      );
      lines.push(`  lost: ${lost}   doubled: ${doubled}   other findings: ${findings.length - lost - doubled}`);
      lines.push(
        `  Temporal:   ${verification.replayed} histories replayed against today's workflow code; audit chain ${verification.auditChain?.ok ? `verifies (${verification.auditChain.rows} rows)` : 'does NOT verify'}`,
      );
      for (const f of findings.slice(0, 40)) lines.push(`    [${f.kind}]${f.attempt !== null ? ` #${f.attempt}` : ''} ${f.attemptId ?? ''}: ${f.detail}`);
      if (findings.length) fail(`${findings.length} finding(s) from the PostgreSQL/Temporal verification`);

      // Live streams: every task change reached the replica that did not serve the request.
      const tasks = await pool.query<{ id: string; status: string }>(
        `SELECT t.id, t.status FROM tasks t JOIN recovery_attempts a ON a.id = t.attempt_id WHERE a.playbook_key = $1`,
        [playbookKey],
      );
      await sleep(1000);
      const missedInsertB = tasks.rows.filter((t) => !streamB.events.some((e) => e.id === t.id && e.op === 'insert'));
      const completedTasks = new Set(tasks.rows.filter((t) => t.status === 'completed').map((t) => t.id));
      const checks = { a: 0, b: 0, missedA: [] as string[], missedB: [] as string[] };
      for (const c of client.completions.filter((x) => x.status === 200 && completedTasks.has(x.taskId))) {
        for (const [stream, key] of [
          [streamA, 'a'],
          [streamB, 'b'],
        ] as const) {
          if (!stream.coveredThroughout(c.sentAt, c.answeredAt)) continue;
          if (key === 'a') checks.a += 1;
          else checks.b += 1;
          if (!stream.saw(c.taskId, 'completed')) (key === 'a' ? checks.missedA : checks.missedB).push(c.taskId);
        }
      }
      const viaA = client.completions.filter((c) => c.status === 200).length;
      lines.push(
        `  live:       ${B.name}'s stream (open throughout) carried ${tasks.rows.length - missedInsertB.length}/${tasks.rows.length} new tasks; completions seen live: ${checks.b - checks.missedB.length}/${checks.b} on ${B.name}, ${checks.a - checks.missedA.length}/${checks.a} on ${A.name} (while its stream was open); ${viaA} completions answered`,
      );
      if (missedInsertB.length)
        fail(
          `${missedInsertB.length} new task(s) never reached ${B.name}'s live stream: ${missedInsertB
            .slice(0, 5)
            .map((t) => t.id)
            .join(', ')}`,
        );
      if (checks.missedA.length || checks.missedB.length)
        fail(`completions missing from a live stream: ${A.name} ${checks.missedA.length}, ${B.name} ${checks.missedB.length}`);
      const crossed = client.completions.filter((c) => c.status === 200).length;
      if (crossed === 0) fail('no completion was answered, so nothing crossed replicas');

      lines.push(...probeLines);
      lines.push(await compareCounts(replicas, tokens, pool, fail, 'at the end'));

      // Idempotent repeats on the other replica.
      const repeats = client.repeats;
      const crossReplica = repeats.filter((r) => r.firstBy !== r.repeatBy).length;
      const badRepeats = repeats.filter((r) => !r.ok);
      lines.push(
        `  idempotent: ${repeats.length} accepted requests (starts, completions, answers) sent again with their Idempotency-Key, ${crossReplica} of them to the other replica: ${repeats.length - badRepeats.length} got the first answer back (Idempotent-Replayed), ${badRepeats.length} did not`,
      );
      for (const r of badRepeats.slice(0, 10)) lines.push(`    ${r.request} (first ${r.firstBy}, repeat ${r.repeatBy}): ${r.detail}`);
      if (badRepeats.length) fail(`${badRepeats.length} idempotent repeat(s) did not get the first answer`);

      // Temporal's own state is in PostgreSQL: its shards, its four services' membership, the visibility rows.
      const temporalDb = createPool(db.ownerUrl.replace(/\/retention$/, '/temporal'), 1);
      const visibilityDb = createPool(db.ownerUrl.replace(/\/retention$/, '/temporal_visibility'), 1);
      try {
        const shards = await temporalDb.query<{ n: number }>('SELECT count(*)::int AS n FROM shards');
        const roles = await temporalDb.query<{ n: number; hosts: number }>(
          `SELECT count(DISTINCT role)::int AS n, count(DISTINCT rpc_port)::int AS hosts FROM cluster_membership WHERE record_expiry > now() AT TIME ZONE 'UTC'`,
        );
        const visible = await visibilityDb.query<{ n: number }>(`SELECT count(*)::int AS n FROM executions_visibility WHERE status <> 1`);
        lines.push(
          `  Temporal:   PostgreSQL holds ${shards.rows[0].n} history shards, ${roles.rows[0].n} service roles on ${roles.rows[0].hosts} hosts in cluster_membership, ${visible.rows[0].n} closed executions in temporal_visibility`,
        );
        if (shards.rows[0].n !== opts.shards) fail(`Temporal has ${shards.rows[0].n} shards in PostgreSQL, not ${opts.shards}`);
        if (roles.rows[0].n !== 4) fail(`cluster_membership lists ${roles.rows[0].n} service roles, not 4`);
      } finally {
        await temporalDb.end();
        await visibilityDb.end();
      }

      // The UI server reads the same cluster.
      if (temporal.ports.ui) {
        const ui = await fetch(
          `http://127.0.0.1:${temporal.ports.ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`PlaybookKey="${playbookKey}"`)}`,
        ).catch((err: Error) => ({ status: 0, json: async () => ({ error: err.message }) }));
        const body = (await ui.json()) as { executions?: unknown[] };
        const page = await fetch(`http://127.0.0.1:${temporal.ports.ui}/`).then(
          (r) => r.status,
          () => 0,
        );
        lines.push(`  UI:         page ${page}; its API lists ${body.executions?.length ?? 0} of this run's executions (first page)`);
        if (page !== 200 || !body.executions?.length) fail(`the Temporal UI server did not show the run (page ${page}, API ${ui.status})`);
      } else lines.push('  UI:         not built, left out of the run');
    } finally {
      await pool.end();
      await connection.close();
    }
    timings.verify = Date.now() - verifyStart;

    const server500 = stats.serverErrors.filter((e) => e.status >= 500);
    if (server500.length)
      fail(
        `${server500.length} answer(s) with status 500/502/504: ${server500
          .slice(0, 3)
          .map((e) => `${e.request} ${e.status} ${e.body.slice(0, 120)}`)
          .join(' | ')}`,
      );
    const temporalExits = temporal.unexpectedExits();
    if (temporalExits.length) fail(`Temporal services exited: ${temporalExits.join('; ')}`);
    lines.push(
      `  PostgreSQL: at most ${peakConnections.total} client connections during the campaign (${Object.entries(peakConnections.byDb)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}) of max_connections 250`,
    );
    lines.unshift(
      ...(faults.length ? faults.map((f) => `  fault:      ${f}`) : ['  faults:     none ran']),
      `  requests:   ${[...stats.byStatus.entries()]
        .sort()
        .map(([k, v]) => `${k} ×${v}`)
        .join(
          ', ',
        )}; by replica ${[...proxy.byUpstream.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}; ${proxy.failovers.length} refused connections moved to the other replica`,
    );
    if (faults.length < 2) fail('not every planned fault ran');
    const crashes = unexpectedExits.filter((e) => !(e.signal === 'SIGKILL'));
    if (crashes.length)
      lines.push(
        `  processes that exited on their own: ${crashes.map((e) => `${e.process} (${e.phase}, code ${e.code}): ${e.tail.slice(-1)[0]?.slice(0, 200)}`).join('; ')}`,
      );
  } catch (err) {
    // Interrupted or past the bound: that is the failure already; what broke because of it is not news.
    if (!abort.signal.aborted) fail(`the run itself failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    clearTimeout(bound);
    opts.signal?.removeEventListener('abort', onCallerAbort);
    say('stopping every process');
    await stopAll();
    process.off('exit', killAllNow);
  }

  const total = Date.now() - t0;
  const ok = failures.length === 0;
  const header = [
    '',
    `Production topology ${ok ? 'PASSED' : 'FAILED'} (seed ${opts.seed}; rerun with TOPOLOGY_SEED=${opts.seed})`,
    `  cluster:    PostgreSQL; Temporal ${TEMPORAL_SERVER_VERSION} as 4 services (frontend, history, matching, worker) on PostgreSQL persistence + SQL visibility, ${opts.shards} history shards; UI ${bins.ui ? TEMPORAL_UI_VERSION : 'not built'}; 2 API replicas behind a round-robin load balancer; 2 worker processes`,
    `  timings:    build ${bins.buildSeconds.server + bins.buildSeconds.ui ? `${bins.buildSeconds.server + bins.buildSeconds.ui} s` : 'cached'}, setup ${seconds(timings.setup ?? 0)}, campaign ${seconds(timings.drive ?? 0)}, count-cache probes ${seconds(timings.probe ?? 0)}, verification ${seconds(timings.verify ?? 0)}; total after the build ${seconds(total - (buildDone - t0))}`,
  ];
  const kept = opts.keep || !ok;
  const all = [
    ...header,
    ...lines,
    ...failures.map((f) => `  FAILURE: ${f}`),
    `  ${kept ? `logs and data kept in ${dir}` : 'temp folder removed (TOPOLOGY_KEEP=1 keeps it)'}`,
    '',
  ];
  writeFileSync(path.join(dir, 'report.txt'), all.join('\n'));
  if (!kept) rmSync(dir, { recursive: true, force: true });
  return { ok, failures, lines: all, dir, kept };
}

async function compareCounts(replicas: Upstream[], tokens: Record<string, string>, pool: Pool, fail: (line: string) => void, when: string): Promise<string> {
  const [A, B] = replicas;
  const shown: string[] = [];
  for (const u of USERS) {
    const [a, b] = await Promise.all([countsOn(A, tokens[u]), countsOn(B, tokens[u])]);
    if (!isDeepStrictEqual(a, b)) fail(`inbox counts ${when} differ between replicas for ${u}: ${A.name} ${JSON.stringify(a)}, ${B.name} ${JSON.stringify(b)}`);
    shown.push(`${u} ${a.all}/${a.queue}`);
  }
  const open = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM tasks WHERE status = 'open'`);
  const olga = await countsOn(B, tokens.olga);
  if (olga.all !== open.rows[0].n) fail(`the ops manager's inbox counts ${olga.all} open tasks ${when}, the tasks table has ${open.rows[0].n}`);
  return `  counts:     ${when}, equal on both replicas for ${USERS.length} users (all/queue: ${shown.join(', ')}); open tasks in PostgreSQL: ${open.rows[0].n}`;
}

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Raw fetches (the campaign client would retry a 503 for minutes): healthy once every replica says so. */
async function waitHealthy(replicas: Upstream[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const r of replicas) {
    for (;;) {
      const last = await fetch(`http://127.0.0.1:${r.port}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
        async (res) => ({ status: res.status, body: await res.text() }),
        (err: Error) => ({ status: 0, body: err.message }),
      );
      if (last.status === 200) break;
      if (Date.now() > deadline) throw new Error(`${r.name} did not become healthy in ${timeoutMs} ms (last: ${last.status} ${last.body.slice(0, 300)})`);
      await sleep(500);
    }
  }
}

/** SQL visibility is written after the fact: wait until every attempt's execution is listed as closed. */
async function waitVisible(temporal: Client, playbookKey: string, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let closed = 0;
    for await (const wf of temporal.workflow.list({ query: `PlaybookKey = "${playbookKey}"` })) if (wf.status.name !== 'RUNNING') closed += 1;
    if (closed >= expected) return;
    if (Date.now() > deadline) throw new Error(`Temporal's visibility lists ${closed} closed executions of ${expected} after ${timeoutMs} ms`);
    await sleep(1000);
  }
}

/**
 * A task completed through one replica while the other is read in a loop: once the reading replica
 * has delivered the change on its live stream, every count it serves must show it, although its
 * shared counts are cached for a second. Driven through the API like an attempt, and verified with them.
 */
async function probeCountCache(p: {
  client: TopologyClient;
  tokens: Record<string, string>;
  playbookKey: string;
  seed: number;
  replicas: Upstream[];
  streams: LiveStream[];
  records: AttemptRecord[];
  fail: (line: string) => void;
  pool: Pool;
}): Promise<string[]> {
  const { client, tokens } = p;
  const started: { record: AttemptRecord; taskId: string }[] = [];
  for (let i = 0; i < PROBES; i++) {
    const script: AttemptScript = {
      index: 10_000 + i,
      customerId: `TOPO-${p.seed}-probe-${i}`,
      path: 'callback_reached',
      rep: { id: 'u-rita', username: 'rita' },
    };
    const record: AttemptRecord = {
      script,
      attemptId: null,
      workflowId: null,
      observedOutcome: null,
      problems: [],
      resolved: [],
      startedAt: Date.now(),
      endedAt: null,
    };
    const res = await client.call<{ id: string; workflowId: string }>('POST', '/api/runs', {
      token: tokens.olga,
      body: { playbookKey: p.playbookKey, customerId: script.customerId, variables: { path: script.path } },
      idempotencyKey: randomUUID(),
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`probe start answered ${res.status}: ${JSON.stringify(res.body)}`);
    record.attemptId = res.body.id;
    record.workflowId = res.body.workflowId;
    p.records.push(record);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const inbox = await client.call<{ tasks: { id: string; attemptId: string }[] }>('GET', `/api/inbox?customerId=${encodeURIComponent(script.customerId)}`, {
        token: tokens.rita,
      });
      const task = inbox.body.tasks?.find((t) => t.attemptId === record.attemptId);
      if (task) {
        started.push({ record, taskId: task.id });
        break;
      }
      if (Date.now() > deadline) throw new Error(`probe ${i}: no task in rita's inbox after 60 s`);
      await sleep(300);
    }
  }
  const lines: string[] = [];
  // With the probe tasks open: both replicas give every user the same counts, and the ops manager's are the tasks table's.
  lines.push(await compareCounts(p.replicas, p.tokens, p.pool, p.fail, 'with the probe tasks open'));
  let freshReads = 0;
  let cachedWindowReads = 0;
  for (let i = 0; i < started.length; i++) {
    const { record, taskId } = started[i];
    const writer = p.replicas[i % 2];
    const reader = p.replicas[(i + 1) % 2];
    const readerStream = p.streams[(i + 1) % 2];
    const before = await countsOn(reader, tokens.rita);
    // Read on the other replica in a loop while the completion goes through this one.
    const reads: { at: number; counts: TabCounts }[] = [];
    let done = false;
    const loop = (async () => {
      while (!done) {
        const at = Date.now();
        reads.push({ at, counts: await countsOn(reader, tokens.rita) });
        await sleep(40);
      }
    })();
    const res = await fetch(`http://127.0.0.1:${writer.port}/api/tasks/${taskId}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.rita}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ outcome: 'reached', form: { notes: `probe ${i}` } }),
    });
    if (res.status !== 200) p.fail(`probe ${i}: completing through ${writer.name} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const seenDeadline = Date.now() + 10_000;
    while (!readerStream.saw(taskId, 'completed') && Date.now() < seenDeadline) await sleep(20);
    const seenAt = readerStream.events.find((e) => e.id === taskId && e.status === 'completed')?.at;
    await sleep(1500);
    done = true;
    await loop;
    if (!seenAt) {
      p.fail(`probe ${i}: ${reader.name} never delivered the completion made through ${writer.name} on its live stream`);
      continue;
    }
    const after = reads.filter((r) => r.at > seenAt);
    const stale = after.filter((r) => r.counts.all !== before.all - 1 || r.counts.queue !== before.queue - 1);
    freshReads += after.length - stale.length;
    // Reads within a second of an earlier read would have been served from the cache, had nothing dropped it.
    cachedWindowReads += after.filter((r) => r.at - seenAt < 1000).length;
    if (stale.length)
      p.fail(
        `probe ${i}: after ${reader.name} delivered the completion made through ${writer.name}, ${stale.length} of its count reads were stale (first: ${JSON.stringify(stale[0].counts)}, before ${JSON.stringify(before)})`,
      );
    if (!after.length) p.fail(`probe ${i}: no count read on ${reader.name} after the change arrived`);
    // Let the attempt end, as the verification expects of every record.
    const endDeadline = Date.now() + 60_000;
    for (;;) {
      const runs = await client.call<{ runs: { id: string; status: string; outcome: string | null; workflowId: string }[] }>(
        'GET',
        `/api/runs?customerId=${encodeURIComponent(record.script.customerId)}`,
        { token: tokens.olga },
      );
      const run = runs.body.runs?.find((r) => r.id === record.attemptId);
      if (run && run.status !== 'running') {
        record.observedOutcome = run.outcome;
        record.endedAt = Date.now();
        break;
      }
      if (Date.now() > endDeadline) {
        record.problems.push('probe attempt did not end within 60 s');
        break;
      }
      await sleep(300);
    }
  }
  lines.push(
    `  count cache: ${started.length} completions through one replica while the other was read every 40 ms: ${freshReads} reads after the change reached the reading replica, all fresh (${cachedWindowReads} within the 1 s cache window)`,
  );
  return lines;
}
