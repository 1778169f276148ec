import type { OperatorFunction } from "rxjs";
import { EV, type EventBatch } from "../../events";
import { InFlightOps, NOT_TRACKED } from "./in-flight-ops";
import { perWindow, type WindowFold, type WindowSpan } from "./windows";

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

const REQUEST = EV.request;
const RESPONSE = EV.response;
const TIMEOUT = EV.timeout;
const OK = 0; // ERROR_CODES[0]
/** Rows with a higher type code are none of ours: most rows are dismissed with this one comparison. */
const LAST_OP_EVENT = Math.max(REQUEST, RESPONSE, TIMEOUT);

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
export class ThroughputFold implements WindowFold<ThroughputWindow> {
  private readonly inFlight = new InFlightOps("all");
  private reads = 0;
  private writes = 0;

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
          if (entry === NOT_TRACKED || c[i] !== OK) break;
          if (InFlightOps.isWrite(entry)) this.writes++;
          else this.reads++;
          break;
        }
        case TIMEOUT:
          inFlight.finish(b[i]);
          break;
      }
    }
  }

  close(startMs: number, endMs: number): ThroughputWindow {
    const { reads, writes } = this;
    this.reads = 0;
    this.writes = 0;
    const spanMs = endMs - startMs;
    return { startMs, endMs, reads, writes, perSec: spanMs > 0 ? ((reads + writes) * 1000) / spanMs : null };
  }

  /** Sizes of the state kept between windows (for memory tests). */
  debugState(): { inFlight: number; slots: number } {
    return { inFlight: this.inFlight.size, slots: this.inFlight.capacity };
  }
}
