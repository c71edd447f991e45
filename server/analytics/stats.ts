/**
 * The statistics the experiment table needs, as small pure functions: a Wilson score interval for a
 * proportion (it stays inside [0, 1] and behaves with few attempts, unlike the normal approximation)
 * and a two-proportion z-test against the baseline arm.
 */

/** z for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export function wilsonInterval(successes: number, trials: number, z = Z_95): { low: number; high: number } | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two-sided p-value of a pooled two-proportion z-test; null when either side has no trials or nothing varies. */
export function twoProportionPValue(s1: number, n1: number, s2: number, n2: number): number | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (s1 + s2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return s1 / n1 === s2 / n2 ? 1 : 0;
  const z = Math.abs(s1 / n1 - s2 / n2) / se;
  return 2 * (1 - normalCdf(z));
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 for erf; error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** A share divided safely: null when there is nothing to divide by. */
export const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export const percent = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)} %`);
