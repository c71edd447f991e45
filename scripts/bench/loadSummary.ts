/** The one JSON line the load generators (pacedLoad.ts, openLoad.ts) print for bench:inbox to read. */
export function printLoadSummary(latencies: number[], wallSeconds: number, total: number, non2xx: number, errors: number): void {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
  const round = (n: number) => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify({
      latency: { p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(latencies[latencies.length - 1] ?? NaN) },
      requests: { average: latencies.length / wallSeconds, total },
      non2xx,
      errors,
    }),
  );
}
