/** Sub-buckets per power of two: values are kept to 1 part in 1024 (HDR's "3 significant digits"). */
const SUB_BITS = 10;
const SUB = 1 << SUB_BITS;
/** Values below this are counted exactly, one bucket per µs. */
const EXACT_BELOW = 2 * SUB;
/** Latencies are clamped here (about 35 minutes), far beyond any client timeout; the exact max is kept aside. */
const MAX_US = 2 ** 31 - 1;
const BUCKETS = bucketOf(MAX_US) + 1;
/** Buckets come in groups of SUB (one group per power of two), each with a running total, so a percentile skips whole groups. */
const GROUPS = (BUCKETS >>> SUB_BITS) + 1;

/**
 * A latency distribution of one window in fixed memory: a log-linear histogram of whole
 * microseconds (the layout of an HDR histogram: exact below 2048 µs, then 1024 buckets per power of
 * two, so a percentile is within 0.1%). Recording is a few integer operations; a percentile walks
 * the per-group totals, then at most one group; `reset` clears only the buckets the window touched,
 * so empty and small windows cost next to nothing.
 *
 * Like a tally sheet with a column per speed band, finer where speeds are close together: it forgets
 * the individual runners but can tell the median and the slowest percent at a glance.
 *
 * @example
 * const s = new LatencySketch();
 * s.recordUs(1200); s.recordUs(3400);
 * s.percentileUs(50); // 1200
 * s.reset();
 */
export class LatencySketch {
  private readonly counts = new Uint32Array(BUCKETS);
  private readonly groupCounts = new Uint32Array(GROUPS);
  private lowest = BUCKETS; // range of touched buckets, to reset and scan only that
  private highest = -1;
  private total = 0;

  get count(): number {
    return this.total;
  }

  recordUs(us: number): void {
    const i = bucketOf(us < 0 ? 0 : us > MAX_US ? MAX_US : us);
    this.counts[i]++;
    this.groupCounts[i >>> SUB_BITS]++;
    this.total++;
    if (i < this.lowest) this.lowest = i;
    if (i > this.highest) this.highest = i;
  }

  /** The value at percentile p (0..100): the upper edge of the bucket holding it, in whole µs (NaN if empty). */
  percentileUs(p: number): number {
    if (this.total === 0) return NaN;
    // The rank-th smallest value (1-based), as HDR histograms count it; clamped so any p terminates.
    const rank = Math.min(this.total, Math.max(1, Math.ceil((p / 100) * this.total)));
    let seen = 0;
    let group = this.lowest >>> SUB_BITS;
    while (seen + this.groupCounts[group] < rank) seen += this.groupCounts[group++];
    for (let i = group << SUB_BITS; ; i++) {
      seen += this.counts[i];
      if (seen >= rank) return upperEdgeOf(i);
    }
  }

  reset(): void {
    if (this.total === 0) return;
    this.counts.fill(0, this.lowest, this.highest + 1);
    this.groupCounts.fill(0, this.lowest >>> SUB_BITS, (this.highest >>> SUB_BITS) + 1);
    this.lowest = BUCKETS;
    this.highest = -1;
    this.total = 0;
  }
}

/** Bucket of a value in µs (0 .. MAX_US): its whole µs below EXACT_BELOW, then its top SUB_BITS + 1 bits. */
function bucketOf(us: number): number {
  const v = us >>> 0; // whole µs; MAX_US keeps it within 31 bits
  if (v < EXACT_BELOW) return v;
  const shift = 31 - Math.clz32(v) - SUB_BITS; // >= 1: how many low bits the bucket ignores
  return shift * SUB + (v >>> shift);
}

/** The largest value that falls in bucket i. */
function upperEdgeOf(i: number): number {
  if (i < EXACT_BELOW) return i;
  const shift = Math.floor(i / SUB) - 1;
  const top = i - shift * SUB; // the value's top bits, SUB .. 2 * SUB - 1
  return (top + 1) * 2 ** shift - 1;
}
