import { describe, it } from "vitest";
import { throughputPerWindow } from "../../../src/metrics/operators/throughput";
import { batch, fail, noise, ok, request, testScheduler, timeout } from "../batches";

describe("throughputPerWindow", () => {
  it("counts reads and writes answered ok, per second of virtual time", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b 9ms |", {
        a: batch(request(1, 1, "read"), request(1, 2, "write"), request(1, 3, "write"), ok(2, 1), ok(3, 2), fail(4, 3)),
        b: batch(request(600, 4, "read"), timeout(900, 4), noise(1250)),
      });
      expectObservable(source.pipe(throughputPerWindow(500))).toBe("--(xy) 6ms (z|)", {
        x: { startMs: 0, endMs: 500, reads: 1, writes: 1, perSec: 4 },
        y: { startMs: 500, endMs: 1000, reads: 0, writes: 0, perSec: 0 },
        z: { startMs: 1000, endMs: 1250, reads: 0, writes: 0, perSec: 0 },
      });
    });
  });

  it("divides a partial last window by its real length", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(request(1, 1), request(1, 2), ok(100, 1), ok(200, 2)) });
      expectObservable(source.pipe(throughputPerWindow(1000))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 200, reads: 0, writes: 2, perSec: 10 },
      });
    });
  });

  it("reports no rate for a zero-length last window", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(request(999, 1), ok(1000, 1)) });
      expectObservable(source.pipe(throughputPerWindow(1000))).toBe("x(y|)", {
        x: { startMs: 0, endMs: 1000, reads: 0, writes: 0, perSec: 0 },
        y: { startMs: 1000, endMs: 1000, reads: 0, writes: 1, perSec: null },
      });
    });
  });
});
