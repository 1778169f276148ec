import type { OperatorFunction } from "rxjs";
import type { EventBatch } from "../../events";
import { round3 } from "../latency-histogram";
import { LatencySketch } from "./latency-sketch";
import { InFlightOps, type OpKindFilter } from "./in-flight-ops";
import { OutcomeFold } from "./outcome-fold";
import { perWindow, type WindowSpan } from "./windows";

/** Client-observed latency of the operations answered ok in one window; the ms fields are null when count is 0. */
export interface LatencyWindow extends WindowSpan {
  /** Operations answered ok in this window (counted at their answer). */
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export interface LatencyOptions {
  /** Measure reads, writes, or both (default "all"). */
  kind?: OpKindFilter;
}

/**
 * Latency per window of virtual time: from each operation's `request` to its ok `response`, with
 * mean, median, 99th percentile and maximum. Failed and timed-out operations are left out (their
 * "latency" is the timeout setting, not the system's speed); they show up in availability instead.
 *
 * Like a stopwatch per customer, read out every hour: the clock starts at the order and stops at the
 * delivery, and the hour's report covers the customers served in it, however long ago they ordered.
 *
 * Memory is bounded: percentiles come from one fixed-size sketch (within 0.1%, see `LatencySketch`)
 * that is reset at each window end; count, mean and max are exact.
 *
 * @example
 * sim.batches$.pipe(latencyPerWindow(1000, { kind: "write" })).subscribe((w) => rows.push(w));
 * // { startMs: 0, endMs: 1000, count: 251, meanMs: 10.2, p50Ms: 9.9, p99Ms: 19.7, maxMs: 23.4 }
 */
export function latencyPerWindow(windowMs: number, options: LatencyOptions = {}): OperatorFunction<EventBatch, LatencyWindow> {
  return perWindow(windowMs, () => new LatencyFold(options.kind ?? "all"));
}

/** The measuring behind `latencyPerWindow` (exported for tests that inspect its memory). */
export class LatencyFold extends OutcomeFold<LatencyWindow> {
  private readonly sketch = new LatencySketch();
  private sumUs = 0;
  private maxUs = 0;

  protected answeredOk(entry: number, atUs: number): void {
    const us = atUs - InFlightOps.invokeUs(entry);
    this.sketch.recordUs(us);
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
  }

  protected answeredFailed(): void {
    // Left out: a failure's "latency" is the timeout setting, not the system's speed.
  }

  close(startMs: number, endMs: number): LatencyWindow {
    const s = this.sketch;
    const count = s.count;
    if (count === 0) return { startMs, endMs, count: 0, meanMs: null, p50Ms: null, p99Ms: null, maxMs: null };
    const out: LatencyWindow = {
      startMs,
      endMs,
      count,
      meanMs: round3(this.sumUs / count / 1000),
      // A bucket reports its upper edge: clamp so a percentile never exceeds the exact max.
      p50Ms: Math.min(s.percentileUs(50), this.maxUs) / 1000,
      p99Ms: Math.min(s.percentileUs(99), this.maxUs) / 1000,
      maxMs: this.maxUs / 1000,
    };
    s.reset();
    this.sumUs = 0;
    this.maxUs = 0;
    return out;
  }
}
