import { describe, expect, it } from "vitest";
import { Subject } from "rxjs";
import type { EventBatch } from "../../../src/events";
import { latencyPerWindow, type LatencyWindow } from "../../../src/metrics/operators/latency";
import { batch, fail, noise, ok, request, testScheduler, timeout } from "../batches";

const none = (startMs: number, endMs: number): LatencyWindow => ({ startMs, endMs, count: 0, meanMs: null, p50Ms: null, p99Ms: null, maxMs: null });

describe("latencyPerWindow", () => {
  it("measures from request to ok response, with mean, median, 99th percentile and max", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", {
        a: batch(request(0, 1), request(0, 2), request(0, 3), ok(1, 1), ok(2, 2), ok(6, 3)),
      });
      expectObservable(source.pipe(latencyPerWindow(10))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 6, count: 3, meanMs: 3, p50Ms: 2, p99Ms: 6, maxMs: 6 },
      });
    });
  });

  it("leaves out failed and timed-out operations", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(request(0, 1), request(0, 2), request(0, 3), fail(1, 1), timeout(5, 2), ok(8, 3)) });
      expectObservable(source.pipe(latencyPerWindow(10))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 8, count: 1, meanMs: 8, p50Ms: 8, p99Ms: 8, maxMs: 8 },
      });
    });
  });

  it("counts an operation that spans windows in the window of its answer, with its full latency", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a 9ms b 9ms c 9ms |", { a: batch(request(9, 1)), b: batch(ok(23, 1)), c: batch(noise(29)) });
      expectObservable(source.pipe(latencyPerWindow(10))).toBe("10ms (xy) 16ms (z|)", {
        x: none(0, 10),
        y: none(10, 20),
        z: { startMs: 20, endMs: 29, count: 1, meanMs: 14, p50Ms: 14, p99Ms: 14, maxMs: 14 },
      });
    });
  });

  it("measures only the requested kind", () => {
    const rows = batch(request(0, 1, "read"), request(0, 2, "write"), ok(1, 1), ok(4, 2));
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: rows });
      expectObservable(source.pipe(latencyPerWindow(10, { kind: "read" }))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 4, count: 1, meanMs: 1, p50Ms: 1, p99Ms: 1, maxMs: 1 },
      });
      expectObservable(source.pipe(latencyPerWindow(10, { kind: "write" }))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 4, count: 1, meanMs: 4, p50Ms: 4, p99Ms: 4, maxMs: 4 },
      });
    });
  });

  it("keeps percentiles within 0.1% and starts each window afresh", () => {
    const source = new Subject<EventBatch>();
    const out: LatencyWindow[] = [];
    source.pipe(latencyPerWindow(1000)).subscribe((w) => out.push(w));
    // window [0, 1000): latencies 1..100 ms; window [1000, 2000): one 500 ms operation
    for (let op = 1; op <= 100; op++) source.next(batch(request(op, op), ok(2 * op, op)));
    source.next(batch(request(1000, 500), ok(1500, 500)));
    source.complete();
    expect(out).toHaveLength(2);
    expect(out[0].count).toBe(100);
    expect(out[0].meanMs).toBe(50.5);
    expect(out[0].p50Ms).toBeCloseTo(50, 1);
    expect(out[0].p99Ms).toBeCloseTo(99, 1);
    expect(out[0].maxMs).toBe(100);
    expect(out[1]).toMatchObject({ count: 1, meanMs: 500, maxMs: 500 });
    expect(out[1].p50Ms).toBeCloseTo(500, 0);
  });
});
