import { simulateContention, type ContentionOptions, type ContentionRun } from "./contention-sim";

/**
 * Readers under concurrent writers, two ways, on the same workload and seed:
 * - "mvcc": snapshot isolation. Readers read old versions and never wait; writers wait only for writers.
 * - "locking": the lock-based store (repeatable read with shared read locks). A reader that wants a
 *   row a writer holds waits until the writer commits, so reader latency follows writer transaction
 *   length, and throughput drops as writers grow.
 *
 * Returns the series a notebook charts: per window, `{time, readersPerSec, readerLatencyMs}` per store.
 */
export interface ReaderPoint {
  /** Window end, ms of virtual time. */
  time: number;
  readersPerSec: number;
  /** Mean reader latency in the window (NaN, a gap in a chart, when no reader finished). */
  readerLatencyMs: number;
}

export interface ReaderContention {
  seed: number;
  mvcc: ReaderPoint[];
  locking: ReaderPoint[];
  /** The full runs behind the series (counts, blocked operations, latency percentiles, versions). */
  runs: { mvcc: ContentionRun; locking: ContentionRun };
}

export function readerContention(options: ContentionOptions = {}): ReaderContention {
  const mvcc = simulateContention("SI", options);
  const locking = simulateContention("RR", options);
  return { seed: options.seed ?? 1, mvcc: points(mvcc), locking: points(locking), runs: { mvcc, locking } };
}

function points(run: ContentionRun): ReaderPoint[] {
  return run.windows.map((w) => ({ time: w.time, readersPerSec: w.readersPerSec, readerLatencyMs: w.readerLatencyMs }));
}
