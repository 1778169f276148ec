import type { OperatorFunction } from "rxjs";
import type { EventBatch } from "../../events";
import { InFlightOps } from "./in-flight-ops";
import { OutcomeFold } from "./outcome-fold";
import { perWindow, type WindowSpan } from "./windows";

/** Operations answered ok in one window, and their rate. */
export interface ThroughputWindow extends WindowSpan {
  reads: number;
  writes: number;
  /**
   * (reads + writes) per second of virtual time over the window's span. Null only for a zero-length
   * window (a run whose last event falls exactly on a window start leaves one as its final window).
   */
  perSec: number | null;
}

/**
 * Throughput per window of virtual time: operations answered ok, split into reads and writes, and
 * their rate per second. An operation counts in the window of its ok answer; its kind comes from its
 * `request` event, so operations requested before subscribing are not counted.
 *
 * Like the turnstile count of a stadium gate, read every quarter of an hour: people through the gate,
 * divided by the minutes the count covered (a partial last quarter is divided by its real length).
 *
 * @example
 * sim.batches$.pipe(throughputPerWindow(1000)).subscribe((w) => rows.push(w));
 * // { startMs: 0, endMs: 1000, reads: 248, writes: 251, perSec: 499 }
 */
export function throughputPerWindow(windowMs: number): OperatorFunction<EventBatch, ThroughputWindow> {
  return perWindow(windowMs, () => new ThroughputFold());
}

/** The counting behind `throughputPerWindow` (exported for tests that inspect its memory). */
export class ThroughputFold extends OutcomeFold<ThroughputWindow> {
  private reads = 0;
  private writes = 0;

  constructor() {
    super("all");
  }

  protected answeredOk(entry: number): void {
    if (InFlightOps.isWrite(entry)) this.writes++;
    else this.reads++;
  }

  protected answeredFailed(): void {
    // Throughput counts only work done: failures show up in availability.
  }

  close(startMs: number, endMs: number): ThroughputWindow {
    const { reads, writes } = this;
    this.reads = 0;
    this.writes = 0;
    const spanMs = endMs - startMs;
    return { startMs, endMs, reads, writes, perSec: spanMs > 0 ? ((reads + writes) * 1000) / spanMs : null };
  }
}
