/** Small statistics for measured samples (exact, on sorted copies: lab runs have thousands, not millions). */

export interface Stats {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** The p-th percentile (0..100) by linear interpolation between closest ranks; null for no samples. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return percentileSorted(s, p);
}

function percentileSorted(s: readonly number[], p: number): number {
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

export function stats(values: readonly number[]): Stats {
  if (values.length === 0) return { count: 0, mean: null, p50: null, p90: null, p99: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  const sum = s.reduce((x, y) => x + y, 0);
  return {
    count: s.length,
    mean: round(sum / s.length),
    p50: round(percentileSorted(s, 50)),
    p90: round(percentileSorted(s, 90)),
    p99: round(percentileSorted(s, 99)),
    max: round(s[s.length - 1]),
  };
}

/** The median of several runs' values (nulls ignored). */
export function median(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === 0 ? null : round(percentile(v, 50) as number);
}

/** Three decimals: µs resolution for values in ms. */
export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * A lognormal fitted to samples by their quantiles (robust to the odd outlier): ln(x) has median
 * ln(p50) and its 90th percentile sits 1.2816 standard deviations above.
 */
export function fitLognormal(values: readonly number[]): { mu: number; sigma: number } {
  const positive = values.filter((x) => x > 0);
  if (positive.length === 0) return { mu: Math.log(0.01), sigma: 0.1 };
  const p50 = percentile(positive, 50) as number;
  const p90 = percentile(positive, 90) as number;
  const sigma = Math.max(0.05, (Math.log(p90) - Math.log(p50)) / 1.2816);
  return { mu: round(Math.log(p50), 4), sigma: round(sigma, 4) };
}

/** "2.14 ms" or "n/a". */
export function ms(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "n/a" : `${x.toFixed(digits)} ms`;
}
