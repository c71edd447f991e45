import { Agent, request } from 'node:http';
import { printLoadSummary } from './loadSummary';

/**
 * Open-loop load: requests arrive as a Poisson process at `rate` per second whether or not earlier
 * ones have been answered, as independent users do. A closed loop (pacedLoad.ts, autocannon) has
 * each connection wait for its answer before sending the next, so a slow moment delays the next
 * requests instead of queueing them, and the slow moment hides from the percentiles (coordinated
 * omission). Here each latency runs from the request's scheduled arrival to its last byte, so time
 * spent queued behind a slow request is counted.
 *
 * Usage: tsx openLoad.ts <url> <bearer tokens, comma-separated, used in turn> <rate> <seconds> [seed];
 * prints one JSON line in pacedLoad.ts's shape.
 */
async function main() {
  const [url, tokenList, rateArg, secondsArg, seedArg] = process.argv.slice(2);
  const tokens = (tokenList ?? '').split(',').filter(Boolean);
  const rate = Number(rateArg);
  const seconds = Number(secondsArg);
  if (!url || tokens.length === 0 || !(rate > 0) || !(seconds > 0)) throw new Error('usage: openLoad <url> <tokens> <rate> <seconds> [seed]');
  const random = mulberry32(Number(seedArg ?? 1));
  // Enough sockets that the generator never becomes the queue; the server's own queue is measured.
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const end = start + seconds * 1000;
  let next = start;
  while (next < end) {
    next += (-Math.log(1 - random()) / rate) * 1000;
    const wait = next - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const scheduled = next;
    const token = tokens[sent++ % tokens.length];
    const done = new Promise<void>((resolve) => {
      const req = request(
        { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, headers: { authorization: `Bearer ${token}` } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - scheduled);
            else non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  }
  await Promise.all(inFlight);
  const wall = (performance.now() - start) / 1000;
  agent.destroy();
  printLoadSummary(latencies, wall, sent, non2xx, errors);
}

/** A small seeded generator, so two runs send the same arrival pattern. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
