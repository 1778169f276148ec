import { build, type Histogram } from "hdr-histogram-js";

/** Mean and percentiles of a latency distribution, in milliseconds (null when nothing was recorded). */
export interface LatencySummary {
  mean: number | null;
  p50: number | null;
  p99: number | null;
}

/**
 * A latency distribution in bounded memory: an HDR histogram (3 significant digits) of microseconds,
 * so percentiles stay accurate to 0.1% however many values are recorded and however long the run.
 */
export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2 * 3600 * 1_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  private sumUs = 0;
  private maxUs = 0;

  recordUs(us: number): void {
    const v = Math.max(1, Math.round(us));
    this.histogram.recordValue(v);
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Value at a percentile (0..100), in ms. */
  percentileMs(p: number): number {
    return this.histogram.getValueAtPercentile(p) / 1000;
  }

  get maxMs(): number {
    return this.maxUs / 1000;
  }

  get meanMs(): number {
    return this.count === 0 ? 0 : this.sumUs / this.count / 1000;
  }

  summary(): LatencySummary {
    if (this.count === 0) return { mean: null, p50: null, p99: null };
    return { mean: round3(this.meanMs), p50: round3(this.percentileMs(50)), p99: round3(this.percentileMs(99)) };
  }
}

/** Rounds to 3 decimals (µs precision for ms values), so summaries print cleanly. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
