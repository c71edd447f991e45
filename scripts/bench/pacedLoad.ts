import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { printLoadSummary } from './loadSummary';

// autocannon ships no types; this is the slice of its programmatic API used here.
const autocannon = createRequire(__filename)('autocannon') as (opts: {
  url: string;
  connections: number;
  overallRate: number;
  duration: number;
  headers: Record<string, string>;
}) => EventEmitter;

/**
 * A constant arrival rate built from autocannon. autocannon's own `-R` limiter lets each connection
 * send its quota back to back at the top of every second, so `-c 10 -R 200` is 200 requests in a
 * burst with 10 in flight, then silence: a burst test, not 200 requests/s. Here `slots` autocannon
 * instances of one connection each, started 1000/rate ms apart, each send `rate/slots` requests a
 * second; with slots = rate a request leaves every 5 ms, as users spread over a second would send
 * them. Latencies are taken per response (autocannon's coordinated-omission correction divides by
 * the per-connection rate in the wrong unit, so its own percentiles are skewed under -R).
 *
 * Usage: tsx pacedLoad.ts <url> <bearer tokens, comma-separated: slot i uses token i mod n> <rate> <seconds> [slots];
 * prints one JSON line.
 */
async function main() {
  const [url, tokenList, rateArg, secondsArg, slotsArg] = process.argv.slice(2);
  const tokens = (tokenList ?? '').split(',').filter(Boolean);
  const rate = Number(rateArg);
  const seconds = Number(secondsArg);
  const slots = Number(slotsArg ?? rate);
  if (!url || tokens.length === 0 || !(rate > 0) || !(seconds > 0) || !(slots > 0) || rate % slots !== 0) {
    throw new Error('usage: pacedLoad <url> <token> <rate> <seconds> [slots dividing rate]');
  }
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = Date.now();
  const runs: Promise<unknown>[] = [];
  for (let i = 0; i < slots; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 1000 / slots));
    const instance = autocannon({
      url,
      connections: 1,
      overallRate: rate / slots,
      duration: seconds,
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
    });
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else non2xx++;
    });
    instance.on('reqError', () => errors++);
    runs.push(new Promise((resolve) => instance.on('done', resolve)));
  }
  await Promise.all(runs);
  // Every slot runs for `seconds`; the last one started (slots - 1)/slots s after the first.
  const wall = (Date.now() - started) / 1000 - (slots - 1) / slots;
  printLoadSummary(latencies, wall, latencies.length + non2xx, non2xx, errors);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
