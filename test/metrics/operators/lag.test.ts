import { describe, it } from "vitest";
import { lagPerWindow, type NodeLag } from "../../../src/metrics/operators/lag";
import { apply, batch, noise, testScheduler } from "../batches";

const lag = (meanMs: number, maxMs: number, count: number, behindMax: number): NodeLag => ({ meanMs, maxMs, count, behindMax });
const idle: NodeLag = { meanMs: null, maxMs: null, count: 0, behindMax: null };

describe("lagPerWindow", () => {
  it("reports mean and max lag, applies and entries behind, per replica by name", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", {
        a: batch(apply(1, "db2", 2, 3), apply(2, "db3", 10, 0), apply(3, "db2", 4, 1), noise(4)),
      });
      expectObservable(source.pipe(lagPerWindow(10))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 4, byNode: { db2: lag(3, 4, 2, 3), db3: lag(10, 10, 1, 0) } },
      });
    });
  });

  it("keeps a replica that applied nothing in later windows, with a count of 0 and no lag", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c|", {
        a: batch(noise(1)),
        b: batch(apply(12, "db3", 5)),
        c: batch(apply(25, "db2", 1)),
      });
      expectObservable(source.pipe(lagPerWindow(10))).toBe("--x-y(z|)", {
        x: { startMs: 0, endMs: 10, byNode: {} },
        y: { startMs: 10, endMs: 20, byNode: { db3: lag(5, 5, 1, 0) } },
        // node order, not order of appearance
        z: { startMs: 20, endMs: 25, byNode: { db2: lag(1, 1, 1, 0), db3: idle } },
      });
    });
  });

  it("emits empty windows while replicas are silent", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b 9ms |", { a: batch(apply(1, "db2", 1)), b: batch(apply(31, "db2", 7)) });
      expectObservable(source.pipe(lagPerWindow(10))).toBe("--(xyz) 5ms (l|)", {
        x: { startMs: 0, endMs: 10, byNode: { db2: lag(1, 1, 1, 0) } },
        y: { startMs: 10, endMs: 20, byNode: { db2: idle } },
        z: { startMs: 20, endMs: 30, byNode: { db2: idle } },
        l: { startMs: 30, endMs: 31, byNode: { db2: lag(7, 7, 1, 0) } },
      });
    });
  });
});
