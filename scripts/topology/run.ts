import { runTopology } from './topology';

/**
 * `npm run topology`: builds Temporal's server, its SQL tool and the UI server from their Go modules
 * (once per version, into .tools/), starts the production topology on loopback in a temp folder, drives
 * a bounded campaign through both API replicas while one worker and one API replica are SIGKILLed, and
 * checks that nothing was lost or doubled. Not part of `npm test` (the first build takes minutes).
 *
 * Environment:
 *   TOPOLOGY_ATTEMPTS (60)       recovery attempts, each with a scripted outcome (the chaos campaign's paths)
 *   TOPOLOGY_CONCURRENCY (12)    attempts in flight at once
 *   TOPOLOGY_SEED (random)       the same seed gives the same scripts
 *   TOPOLOGY_SHARDS (4)          Temporal history shards of the new cluster
 *   TOPOLOGY_MAX_MINUTES (8)     bound on everything after the build
 *   TOPOLOGY_KEEP (0)            keep the temp folder (logs, data, report.txt) even when it passes
 * Exit code 0 only when every check passed.
 */
function num(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, not "${raw}"`);
  return n;
}

async function main() {
  const interrupt = new AbortController();
  let interrupted = 0;
  const onSignal = () => {
    // tsx relays the terminal's SIGINT too: the same Ctrl-C arrives twice within a moment.
    if (interrupted && Date.now() - interrupted > 1000) process.exit(130); // the exit hook still kills what we started
    if (interrupted) return;
    interrupted = Date.now();
    console.log('\n[topology] interrupted: stopping every process (Ctrl-C again to exit at once)');
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const report = await runTopology({
    attempts: Math.max(1, num('TOPOLOGY_ATTEMPTS', 60)),
    concurrency: Math.max(1, num('TOPOLOGY_CONCURRENCY', 12)),
    seed: num('TOPOLOGY_SEED', Math.floor(Math.random() * 2 ** 31)),
    shards: Math.max(1, num('TOPOLOGY_SHARDS', 4)),
    maxMinutes: num('TOPOLOGY_MAX_MINUTES', 8),
    keep: !!process.env.TOPOLOGY_KEEP && process.env.TOPOLOGY_KEEP !== '0' && process.env.TOPOLOGY_KEEP !== 'false',
    say: (line) => console.log(line),
    signal: interrupt.signal,
  });
  console.log(report.lines.join('\n'));
  process.exit(interrupted ? 130 : report.ok ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
