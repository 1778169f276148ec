import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import type { EventBatch } from "../../../src/events";
import { faultWindows, faultWindowsSoFar, type FaultWindowRecord } from "../../../src/metrics/operators/faults";
import { batch, crash, faultEnd, faultStart, noise, recover, testScheduler } from "../batches";

const crashDb1: FaultWindowRecord = { id: 0, type: "crash", target: "db1", label: "crash db1", startMs: 4000, endMs: 6000 };

describe("faultWindows", () => {
  it("emits every fault window once, at completion, with its start and end", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c|", {
        a: batch(faultStart(4000, 0, "crash", "db1"), crash(4000, "db1")),
        b: batch(recover(6000, "db1"), faultEnd(6000, 0, "crash", "db1")),
        c: batch(noise(7000)),
      });
      expectObservable(source.pipe(faultWindows())).toBe("-----(x|)", { x: [crashDb1] });
    });
  });

  it("leaves a fault that never ends open, with endMs null", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(faultStart(100, 1, "partition", null), noise(200)) });
      expectObservable(source.pipe(faultWindows())).toBe("-(x|)", {
        x: [{ id: 1, type: "partition", target: null, label: "partition", startMs: 100, endMs: null }],
      });
    });
  });

  it("emits an empty list when no fault happened", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a|", { a: batch(noise(1)) }).pipe(faultWindows())).toBe("-(x|)", { x: [] });
    });
  });

  it("tells apart windows that share a fault id but hit different nodes, and ignores an end without a start", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", {
        a: batch(
          faultEnd(50, 7, "slow", "db1"), // started before subscribing
          faultStart(100, 3, "random-crash", "db2"),
          faultStart(150, 3, "random-crash", "db3"),
          faultEnd(300, 3, "random-crash", "db3"),
          faultEnd(400, 3, "random-crash", "db2"),
          faultStart(500, 3, "random-crash", "db2"),
        ),
      });
      expectObservable(source.pipe(faultWindows())).toBe("-(x|)", {
        x: [
          { id: 3, type: "random-crash", target: "db2", label: "random-crash db2", startMs: 100, endMs: 400 },
          { id: 3, type: "random-crash", target: "db3", label: "random-crash db3", startMs: 150, endMs: 300 },
          { id: 3, type: "random-crash", target: "db2", label: "random-crash db2", startMs: 500, endMs: null },
        ],
      });
    });
  });
});

describe("faultWindowsSoFar", () => {
  it("emits the list so far after each batch that starts or ends a fault", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c-d|", {
        a: batch(noise(1000)),
        b: batch(faultStart(4000, 0, "crash", "db1")),
        c: batch(noise(5000)),
        d: batch(faultEnd(6000, 0, "crash", "db1")),
      });
      expectObservable(source.pipe(faultWindowsSoFar())).toBe("--x---y|", {
        x: [{ ...crashDb1, endMs: null }],
        y: [crashDb1],
      });
    });
  });

  it("hands out copies, so an emitted list never changes afterwards", () => {
    const source = new Subject<EventBatch>();
    const lists: FaultWindowRecord[][] = [];
    source.pipe(faultWindowsSoFar()).subscribe((l) => lists.push(l));
    source.next(batch(faultStart(4000, 0, "crash", "db1")));
    source.next(batch(faultEnd(6000, 0, "crash", "db1")));
    expect(lists[0][0].endMs).toBeNull();
    expect(lists[1][0].endMs).toBe(6000);
  });
});
