/**
 * Summaries of latency samples small enough to draw: a histogram (counts per bin) and an empirical
 * CDF thinned to a few hundred points. Both are computed here rather than by plotly.js so that a
 * million samples never reach the browser and log-spaced bins are possible.
 */

export interface Histogram {
  /** bins + 1 ascending bin edges. */
  edges: number[];
  /** counts[i] = samples in [edges[i], edges[i+1]) (the last bin includes its upper edge). */
  counts: number[];
}

/**
 * Counts of `values` in `bins` equal-width bins, or equal-ratio bins when `log` (latencies span
 * orders of magnitude). With `log`, samples at or below zero are counted in the first bin.
 */
export function histogram(values: readonly number[], bins = 40, log = false): Histogram {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { edges: [], counts: [] };
  const positive = finite.filter((v) => v > 0);
  const lo = log ? minOf(positive.length > 0 ? positive : [1]) : minOf(finite);
  const hi = Math.max(maxOf(finite), lo);
  const edges = binEdges(lo, hi, bins, log);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) counts[binIndex(v, edges, log)]++;
  return { edges, counts };
}

function binEdges(lo: number, hi: number, bins: number, log: boolean): number[] {
  if (hi === lo) hi = log ? lo * 2 : lo + 1;
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const f = i / bins;
    edges.push(log ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f);
  }
  edges[bins] = hi; // exact, so the maximum lands in the last bin despite rounding
  return edges;
}

function binIndex(v: number, edges: readonly number[], log: boolean): number {
  const bins = edges.length - 1;
  const lo = edges[0];
  const hi = edges[bins];
  if (v <= lo) return 0;
  if (v >= hi) return bins - 1;
  const f = log ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
  return Math.min(bins - 1, Math.floor(f * bins));
}

export interface Cdf {
  /** Sample values, ascending. */
  x: number[];
  /** Share of samples at or below x (0..1]. */
  p: number[];
}

/**
 * Empirical CDF through at most `maxPoints` points: half spread evenly over the samples, half
 * crowded geometrically towards the maximum, because the tail (p99, p99.9) is what latency charts
 * are read for.
 */
export function cdf(values: readonly number[], maxPoints = 500): Cdf {
  const sorted = Float64Array.from(values.filter((v) => Number.isFinite(v))).sort();
  const n = sorted.length;
  const ranks = n <= maxPoints ? allRanks(n) : thinnedRanks(n, maxPoints);
  return { x: ranks.map((r) => sorted[r]), p: ranks.map((r) => (r + 1) / n) };
}

function allRanks(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function thinnedRanks(n: number, maxPoints: number): number[] {
  const ranks = new Set<number>();
  const even = Math.floor(maxPoints / 2);
  for (let i = 0; i < even; i++) ranks.add(Math.floor((i * (n - 1)) / (even - 1)));
  for (let gap = 1; gap < n && ranks.size < maxPoints; gap = Math.ceil(gap * 1.15)) ranks.add(n - gap);
  return Array.from(ranks).sort((a, b) => a - b);
}

function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m;
}

function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}
