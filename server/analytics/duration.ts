/**
 * Times in step from a duration histogram (step_day_counts, platform/migrations/…_steps-arms-reach-rollup.sql)
 * instead of sorting every step row on each request. A step that took s > 0 seconds counts in bucket
 * k = ⌊10·log10 s⌋, i.e. [10^(k/10), 10^((k+1)/10)): ten buckets per decade, each 1.259× the last; no
 * time at all (0 s) has a bucket of its own. A percentile is computed as percentile_cont computes it
 * (the two order statistics around rank q·(n − 1), interpolated), each order statistic read as its
 * bucket's geometric middle, clamped to the shortest and longest duration the bucket has counted.
 *
 * Each estimate is within a factor √1.259 = 10^(1/20) of its order statistic (the middle of a bucket is
 * that close to anything in it; clamping only moves it towards the values), and so is the
 * interpolation of two of them: a median or a p90 is within −10.9 % … +12.2 % of the exact value,
 * and exact when each order statistic's bucket held one duration (or only zeros).
 */

/** The bucket of a step that took no time (the SQL function step_duration_bucket's value). */
export const ZERO_BUCKET = -1000;
export const BUCKETS_PER_DECADE = 10;
/** How far a median or p90 may be from the exact percentile, as fractions (below, above). */
export const DURATION_ERROR = { below: 1 - 10 ** (-1 / (2 * BUCKETS_PER_DECADE)), above: 10 ** (1 / (2 * BUCKETS_PER_DECADE)) - 1 } as const;
/** The same in words, for the API's description and the README. */
export const DURATION_ERROR_TEXT = `from a duration histogram (${BUCKETS_PER_DECADE} buckets per decade): within −${(DURATION_ERROR.below * 100).toFixed(1)} % … +${(DURATION_ERROR.above * 100).toFixed(1)} % of the exact percentile`;

export interface DurationBucket {
  bucket: number;
  steps: number;
  /** Shortest and longest duration the bucket has counted (seconds); null when unknown. */
  min: number | null;
  max: number | null;
}

function estimate(b: DurationBucket): number {
  const middle = b.bucket === ZERO_BUCKET ? 0 : 10 ** ((b.bucket + 0.5) / BUCKETS_PER_DECADE);
  let v = middle;
  if (b.min !== null && v < b.min) v = b.min;
  if (b.max !== null && v > b.max) v = b.max;
  return v;
}

/** percentile_cont(q) of the durations the buckets hold, within DURATION_ERROR; null when they hold none. */
export function bucketPercentile(buckets: readonly DurationBucket[], q: number): number | null {
  const held = buckets.filter((b) => b.steps > 0).sort((a, b) => a.bucket - b.bucket);
  const n = held.reduce((sum, b) => sum + b.steps, 0);
  if (n === 0) return null;
  const rank = q * (n - 1);
  const lower = Math.floor(rank);
  const fraction = rank - lower;
  // The i-th smallest duration (from 0) lies in the bucket where the running count first passes i.
  const orderStatistic = (i: number): number => {
    let seen = 0;
    for (const b of held) {
      seen += b.steps;
      if (seen > i) return estimate(b);
    }
    return estimate(held[held.length - 1]);
  };
  const low = orderStatistic(lower);
  return fraction === 0 ? low : low + fraction * (orderStatistic(lower + 1) - low);
}
