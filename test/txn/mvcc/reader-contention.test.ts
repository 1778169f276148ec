import { describe, expect, it } from "vitest";
import { readerContention } from "../../../src/txn/mvcc/reader-contention";

describe("readers under concurrent writers", () => {
  const result = readerContention({ seed: 7, durationMs: 5000 });
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

  it("never blocks a reader under MVCC, and blocks readers behind writers' locks in the lock-based store", () => {
    expect(result.runs.mvcc.readers.blockedOps).toBe(0);
    expect(result.runs.locking.readers.blockedOps).toBeGreaterThan(100);
  });

  it("gives MVCC readers more throughput and lower latency in every window", () => {
    expect(result.mvcc).toHaveLength(10);
    result.mvcc.forEach((p, i) => {
      const l = result.locking[i];
      expect(p.time).toBe(l.time);
      expect(p.readersPerSec, `window ending ${p.time} ms`).toBeGreaterThan(l.readersPerSec);
      expect(p.readerLatencyMs, `window ending ${p.time} ms`).toBeLessThan(l.readerLatencyMs);
    });
    expect(mean(result.mvcc.map((p) => p.readerLatencyMs))).toBeLessThan(0.7 * mean(result.locking.map((p) => p.readerLatencyMs)));
  });

  it("makes locking readers' latency grow with the number of writers, and leaves MVCC readers' flat", () => {
    const at = (writers: number) => readerContention({ seed: 7, durationMs: 3000, writers }).runs;
    const few = at(1);
    const many = at(8);
    expect(many.locking.readers.latencyMs.mean!).toBeGreaterThan(1.5 * few.locking.readers.latencyMs.mean!);
    expect(Math.abs(many.mvcc.readers.latencyMs.mean! - few.mvcc.readers.latencyMs.mean!)).toBeLessThan(0.1 * few.mvcc.readers.latencyMs.mean!);
  });

  it("is deterministic: the same seed gives the same series", () => {
    const again = readerContention({ seed: 7, durationMs: 5000 });
    expect(again.mvcc).toEqual(result.mvcc);
    expect(again.locking).toEqual(result.locking);
  });
});
