import { formatReport, optionsFromEnv, runCampaign } from './chaos/campaign';

/**
 * `npm run chaos`: the fault campaign (scripts/chaos/campaign.ts) on loopback only, bounded.
 *
 * Environment (or `--name=value` flags of the same names without the CHAOS_ prefix, e.g. --attempts=20):
 *   CHAOS_ATTEMPTS (200)           recovery attempts, each with a scripted outcome
 *   CHAOS_SEED (random, printed)   the same seed gives the same scripts and fault schedule
 *   CHAOS_WORKER_KILLS (12)        kill -9 of a worker process, then a restart
 *   CHAOS_PG_RESTARTS (3)          pg_ctl stop -m immediate, then pg_ctl start
 *   CHAOS_TEMPORAL_RESTARTS (3)    SIGKILL of the Temporal dev server, then a restart on its port and SQLite file
 *   CHAOS_API_KILLS (3)            kill -9 of the API, then a restart on its port
 *   CHAOS_WORKERS (2)              worker processes
 *   CHAOS_CONCURRENCY (24)         attempts in flight at once
 *   CHAOS_MAX_MINUTES (15)         hard bound: everything is stopped and the campaign fails past it
 *   CHAOS_KEEP (0)                 keep the temp folder (logs, data, report.json) even on success
 * Exit code 0 only when nothing was lost or doubled, no answer was a 500 and every outcome was as scripted.
 */
function flagsToEnv(argv: string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!m) throw new Error(`unknown argument ${arg} (use --attempts=20, --seed=7, --worker-kills=3, …)`);
    env[`CHAOS_${m[1].replace(/-/g, '_').toUpperCase()}`] = m[2];
  }
  return env;
}

async function main() {
  const options = optionsFromEnv(flagsToEnv(process.argv.slice(2)));
  const interrupt = new AbortController();
  let interrupted = 0;
  const onSignal = () => {
    // tsx relays the terminal's SIGINT too: the same Ctrl-C arrives twice within a moment.
    if (interrupted && Date.now() - interrupted > 1000) process.exit(130); // a second Ctrl-C: the exit hook still kills what we started
    if (interrupted) return;
    interrupted = Date.now();
    console.log('\n[chaos] interrupted: stopping every service (Ctrl-C again to exit at once)');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const report = await runCampaign({ ...options, signal: interrupt.signal });
  console.log(formatReport(report));
  process.exit(interrupted ? 130 : report.ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
