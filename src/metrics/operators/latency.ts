import type { OperatorFunction } from "rxjs";
import { EV, type EventBatch } from "../../events";
import { round3 } from "../latency-histogram";
import { LatencySketch } from "./latency-sketch";
import { InFlightOps, NOT_TRACKED, type OpKindFilter } from "./in-flight-ops";
import { perWindow, type WindowFold, type WindowSpan } from "./windows";

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

const REQUEST = EV.request;
const RESPONSE = EV.response;
const TIMEOUT = EV.timeout;
const OK = 0; // ERROR_CODES[0]
/** Rows with a higher type code are none of ours: most rows are dismissed with this one comparison. */
const LAST_OP_EVENT = Math.max(REQUEST, RESPONSE, TIMEOUT);

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
export class LatencyFold implements WindowFold<LatencyWindow> {
  private readonly inFlight: InFlightOps;
  private readonly sketch = new LatencySketch();
  private sumUs = 0;
  private maxUs = 0;

  constructor(kind: OpKindFilter) {
    this.inFlight = new InFlightOps(kind);
  }

  add(batch: EventBatch, from: number, to: number): void {
    const { types, timesUs, b, c } = batch;
    const inFlight = this.inFlight;
    for (let i = from; i < to; i++) {
      const type = types[i];
      if (type > LAST_OP_EVENT) continue;
      switch (type) {
        case REQUEST:
          inFlight.start(b[i], c[i], timesUs[i]);
          break;
        case RESPONSE: {
          const entry = inFlight.finish(b[i]);
          if (entry !== NOT_TRACKED && c[i] === OK) this.record(timesUs[i] - InFlightOps.invokeUs(entry));
          break;
        }
        case TIMEOUT:
          inFlight.finish(b[i]);
          break;
      }
    }
  }

  private record(us: number): void {
    this.sketch.recordUs(us);
    this.sumUs += us;
    if (us > this.maxUs) this.maxUs = us;
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

  /** Sizes of the state kept between windows (for memory tests). */
  debugState(): { inFlight: number; slots: number } {
    return { inFlight: this.inFlight.size, slots: this.inFlight.capacity };
  }
}
