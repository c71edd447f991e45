/** How bench:scale writes its figures, shared by its modules so every line reads alike. */
export const rate = (n: number, ms: number) => `${((n * 1000) / ms).toFixed(1)}/s`;
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
export const ms = (v: number) => `${v.toFixed(0)} ms`.padStart(7);
/** A percentile of ascending latencies (NaN when there are none). */
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
/** Bytes spread over `count` things, per 1,000 of them. */
export const perThousand = (bytes: number, count: number) => `${mib((bytes / count) * 1000)} per 1,000`;

/** Each latency of `calls` run one after another, sorted. */
export async function sequentialLatencies(count: number, call: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await call(i);
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b);
}
