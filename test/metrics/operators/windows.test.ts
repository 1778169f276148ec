import { Subject, take } from "rxjs";
import { describe, expect, it } from "vitest";
import type { EventBatch } from "../../../src/events";
import { perWindow, type WindowFold } from "../../../src/metrics/operators/windows";
import { batch, noise, testScheduler } from "../batches";

interface Counted {
  startMs: number;
  endMs: number;
  rows: number;
  /** Sizes of the slices the fold was handed, to see where batches were split. */
  slices: number[];
}

/** Counts rows per window. */
class CountFold implements WindowFold<Counted> {
  private rows = 0;
  private slices: number[] = [];
  add(_batch: EventBatch, from: number, to: number): void {
    this.rows += to - from;
    this.slices.push(to - from);
  }
  close(startMs: number, endMs: number): Counted {
    const out = { startMs, endMs, rows: this.rows, slices: this.slices };
    this.rows = 0;
    this.slices = [];
    return out;
  }
}

const count = (windowMs: number) => perWindow(windowMs, () => new CountFold());
const w = (startMs: number, endMs: number, rows: number, slices: number[] = rows > 0 ? [rows] : []): Counted => ({ startMs, endMs, rows, slices });

describe("perWindow", () => {
  it("closes a window only when a batch reaches its end", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c-|", {
        a: batch(noise(0.2), noise(0.9)),
        b: batch(noise(9.999)), // still inside [0, 10)
        c: batch(noise(10)), // exactly at the end: belongs to [10, 20) and closes [0, 10)
      });
      expectObservable(source.pipe(count(10))).toBe("----x-(y|)", {
        x: { startMs: 0, endMs: 10, rows: 3, slices: [2, 1] },
        y: w(10, 10, 1),
      });
    });
  });

  it("emits the empty windows between two batches, in one burst", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b 9ms |", { a: batch(noise(1)), b: batch(noise(35)) });
      expectObservable(source.pipe(count(10))).toBe("--(xyz) 5ms (l|)", {
        x: w(0, 10, 1),
        y: w(10, 20, 0),
        z: w(20, 30, 0),
        l: w(30, 35, 1),
      });
    });
  });

  it("starts at virtual time zero even when the first event comes later", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a 9ms |", { a: batch(noise(25)) });
      expectObservable(source.pipe(count(10))).toBe("(xy) 6ms (z|)", { x: w(0, 10, 0), y: w(10, 20, 0), z: w(20, 25, 1) });
    });
  });

  it("flushes the last partial window on completion, ending at the last event", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a--|", { a: batch(noise(3), noise(7.25)) });
      expectObservable(source.pipe(count(10))).toBe("---(x|)", { x: w(0, 7.25, 2) });
    });
  });

  it("splits a batch that straddles window ends, and hands each window its own rows", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a 9ms |", { a: batch(noise(0.1), noise(0.4), noise(0.5), noise(1.7), noise(1.9)) });
      expectObservable(source.pipe(count(0.5))).toBe("(wxy) 5ms (z|)", {
        w: w(0, 0.5, 2),
        x: w(0.5, 1, 1),
        y: w(1, 1.5, 0),
        z: w(1.5, 1.9, 2),
      });
    });
  });

  it("emits nothing for a stream without events", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a-|", { a: batch() }).pipe(count(10))).toBe("--|");
    });
  });

  it("passes errors through", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a-#", { a: batch(noise(1)) }).pipe(count(10))).toBe("--#");
    });
  });

  it("sends an error thrown by a fold downstream instead of losing it", () => {
    const broken = perWindow<never>(10, () => ({
      add: () => {
        throw new Error("fold bug");
      },
      close: () => {
        throw new Error("unreachable");
      },
    }));
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold("a|", { a: batch(noise(1)) }).pipe(broken)).toBe("#", undefined, new Error("fold bug"));
    });
  });

  it("stops closing windows when the subscriber unsubscribes", () => {
    const source = new Subject<EventBatch>();
    const seen: Counted[] = [];
    const sub = source.pipe(count(1), take(2)).subscribe((x) => seen.push(x));
    source.next(batch(noise(0.5)));
    source.next(batch(noise(1_000_000))); // would otherwise close a million empty windows
    expect(seen.map((x) => x.startMs)).toEqual([0, 1]);
    expect(sub.closed).toBe(true);
    expect(source.observed).toBe(false);
  });

  it("gives each subscription its own counters", () => {
    const source = new Subject<EventBatch>();
    const op = count(10);
    const first: Counted[] = [];
    const second: Counted[] = [];
    source.pipe(op).subscribe((x) => first.push(x));
    source.next(batch(noise(1)));
    source.pipe(op).subscribe((x) => second.push(x));
    source.next(batch(noise(2)));
    source.complete();
    expect(first).toEqual([w(0, 2, 2, [1, 1])]);
    expect(second).toEqual([w(0, 2, 1)]);
  });

  it("rejects a window length that is not a positive number", () => {
    expect(() => count(0)).toThrow(RangeError);
    expect(() => count(-5)).toThrow(RangeError);
    expect(() => count(NaN)).toThrow(RangeError);
  });
});
