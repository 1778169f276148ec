import { Observable, type OperatorFunction } from "rxjs";
import type { EventBatch } from "../../events";

/**
 * What a windowed metric does with events: fold rows into per-window counters, then report and
 * reset them when the window ends. State that outlives one window (operations in flight, node
 * roles) stays in the fold between `close` calls; only the per-window counters are reset.
 */
export interface WindowFold<R> {
  /** Folds rows `from` (inclusive) to `to` (exclusive) of `batch`; all of them lie in the current window. */
  add(batch: EventBatch, from: number, to: number): void;
  /** Returns the record of the window [startMs, endMs) and resets the per-window counters. */
  close(startMs: number, endMs: number): R;
}

/** Every window record carries its span of virtual time, in ms: [startMs, endMs). */
export interface WindowSpan {
  startMs: number;
  endMs: number;
}

/**
 * Cuts a stream of event batches into fixed windows [k*w, (k+1)*w) of VIRTUAL time and emits one
 * record per window: the one place where windows open and close, shared by every windowed metric.
 *
 * Like a tachograph that stamps one line per hour of driving time, not of wall-clock time: a window
 * closes when the first event at or after its end arrives (never on a real timer, so a run gives the
 * same windows on every machine), and the quiet windows in between are emitted too, empty, so charts
 * have no gaps. When the stream completes, the last window is flushed as a partial window that ends at
 * the time of the last event seen (zero-length if that event falls exactly on a window start, as a
 * heartbeat at the very end of a run does). Windows start at virtual time 0; a stream without events
 * emits nothing.
 *
 * Batches are read as columns and usually handed to the fold whole: a batch is split only when it
 * straddles a window end, which costs one comparison per batch on the common path.
 *
 * @example
 * sim.batches$.pipe(perWindow(100, () => new MyFold())).subscribe((w) => rows.push(w));
 */
export function perWindow<R>(windowMs: number, makeFold: () => WindowFold<R>): OperatorFunction<EventBatch, R> {
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) throw new RangeError(`windowMs must be a positive number, got ${windowMs}`);
  const windowUs = windowMs * 1000;
  return (source) =>
    new Observable<R>((subscriber) => {
      // A fresh fold per subscription: two subscribers never share counters.
      const fold = makeFold();
      let index = 0; // the current window is [index * windowUs, (index + 1) * windowUs)
      let endUs = windowUs;
      let lastUs = -1; // time of the latest row; -1 until the first row arrives

      const startMsOf = (k: number) => (k * windowUs) / 1000;
      /** Emits every window that ends at or before `timeUs`, empty ones included. */
      const closeUntil = (timeUs: number) => {
        while (timeUs >= endUs && !subscriber.closed) {
          subscriber.next(fold.close(startMsOf(index), startMsOf(index + 1)));
          index++;
          endUs = (index + 1) * windowUs;
        }
      };

      return source.subscribe({
        next(batch) {
          try {
            const n = batch.length;
            const times = batch.timesUs;
            let from = 0;
            while (from < n && !subscriber.closed) {
              closeUntil(times[from]);
              const to = times[n - 1] < endUs ? n : firstAtOrAfter(times, endUs, from + 1, n);
              fold.add(batch, from, to);
              from = to;
            }
            if (n > 0) lastUs = times[n - 1];
          } catch (err) {
            // Errors in a fold would otherwise be reported asynchronously and lost: send them downstream.
            subscriber.error(err);
          }
        },
        error: (err) => subscriber.error(err),
        complete() {
          if (lastUs >= 0) subscriber.next(fold.close(startMsOf(index), Math.max(lastUs, index * windowUs) / 1000));
          subscriber.complete();
        },
      });
    });
}

/** Index of the first row in [from, n) at or after `timeUs` (rows are in time order), or n. */
function firstAtOrAfter(times: Float64Array, timeUs: number, from: number, n: number): number {
  let i = from;
  while (i < n && times[i] < timeUs) i++;
  return i;
}
