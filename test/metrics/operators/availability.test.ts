import { describe, it } from "vitest";
import { availabilityPerWindow, type AvailabilityWindow } from "../../../src/metrics/operators/availability";
import { batch, fail, noise, ok, request, testScheduler, timeout } from "../batches";

const win = (startMs: number, endMs: number, ok: number, failed: number): AvailabilityWindow => ({
  startMs,
  endMs,
  attempted: ok + failed,
  ok,
  failed,
  ratio: ok + failed === 0 ? null : ok / (ok + failed),
});

describe("availabilityPerWindow", () => {
  it("counts each operation once, in the window where it completes", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c 9ms |", {
        a: batch(request(1, 1), request(2, 2), ok(3, 1)),
        b: batch(ok(12, 2)), // op 2 was requested in [0, 10) but completes in [10, 20)
        c: batch(noise(21)),
      });
      expectObservable(source.pipe(availabilityPerWindow(10))).toBe("--x-y 9ms (z|)", {
        x: win(0, 10, 1, 0),
        y: win(10, 20, 1, 0),
        z: win(20, 21, 0, 0),
      });
    });
  });

  it("reports a ratio of null when nothing completed and 0 when everything failed", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c|", {
        a: batch(request(1, 1), request(2, 2)),
        b: batch(fail(11, 1), fail(12, 2, "overloaded")),
        c: batch(noise(20)),
      });
      expectObservable(source.pipe(availabilityPerWindow(10))).toBe("--x-y(z|)", {
        x: { startMs: 0, endMs: 10, attempted: 0, ok: 0, failed: 0, ratio: null },
        y: { startMs: 10, endMs: 20, attempted: 2, ok: 0, failed: 2, ratio: 0 },
        z: win(20, 20, 0, 0),
      });
    });
  });

  it("counts a timeout as a failure", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(request(1, 1), request(1, 2), request(1, 3), ok(2, 1), timeout(5, 2), ok(6, 3)) });
      expectObservable(source.pipe(availabilityPerWindow(10))).toBe("-(x|)", { x: win(0, 6, 2, 1) });
    });
  });

  it("emits empty windows while no operation completes, and flushes the partial last one", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b 9ms |", { a: batch(request(1, 1)), b: batch(ok(34, 1)) });
      expectObservable(source.pipe(availabilityPerWindow(10))).toBe("--(xyz) 5ms (l|)", {
        x: win(0, 10, 0, 0),
        y: win(10, 20, 0, 0),
        z: win(20, 30, 0, 0),
        l: win(30, 34, 1, 0),
      });
    });
  });

  it("counts only the requested kind, learning each operation's kind from its request", () => {
    const rows = batch(
      ok(0.5, 99), // requested before subscribing: kind unknown
      request(1, 1, "read"),
      request(1, 2, "write"),
      request(1, 3, "write"),
      ok(2, 1),
      fail(3, 2, "not-primary"),
      timeout(4, 3),
    );
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: rows });
      expectObservable(source.pipe(availabilityPerWindow(10, { kind: "read" }))).toBe("-(x|)", { x: win(0, 4, 1, 0) });
      expectObservable(source.pipe(availabilityPerWindow(10, { kind: "write" }))).toBe("-(x|)", { x: win(0, 4, 0, 2) });
      expectObservable(source.pipe(availabilityPerWindow(10, { kind: "all" }))).toBe("-(x|)", { x: win(0, 4, 2, 2) });
    });
  });
});
