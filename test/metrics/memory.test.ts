import { Subject } from "rxjs";
import { describe, expect, it } from "vitest";
import type { EventBatch } from "../../src/events";
import { AvailabilityFold, type AvailabilityWindow } from "../../src/metrics/operators/availability";
import { LagFold } from "../../src/metrics/operators/lag";
import { LatencyFold } from "../../src/metrics/operators/latency";
import { NodeStatesFold } from "../../src/metrics/operators/node-states";
import { ThroughputFold } from "../../src/metrics/operators/throughput";
import { perWindow, type WindowFold } from "../../src/metrics/operators/windows";
import { apply, batch, heartbeat, ok, promote, request, timeout } from "./batches";

const BATCHES = 200_000;
const WINDOW_MS = 100;

/**
 * A long synthetic run, one batch per virtual ms: every ms a request, the answer to the request of
 * 3 ms earlier (one in ten times out), an apply on a replica and a heartbeat. At most 3 operations
 * are in flight at any time.
 */
function* longRun(): Generator<EventBatch> {
  yield batch(promote(0, "db1", 1));
  for (let ms = 1; ms < BATCHES; ms++) {
    const answered = ms - 3;
    const answer = answered <= 0 ? [] : [answered % 10 === 0 ? timeout(ms + 0.5, answered) : ok(ms + 0.5, answered)];
    yield batch(request(ms, ms, ms % 2 === 0 ? "read" : "write"), ...answer, apply(ms + 0.25, ms % 2 === 0 ? "db2" : "db3", 1, 2), heartbeat(ms + 0.75, "db1", "db2"));
  }
}

/** A fold whose kept state can be measured. */
type Inspectable = WindowFold<unknown> & { debugState(): Record<string, number> };

describe("memory", () => {
  it("keeps per-operation state only while operations are in flight, over 200,000 batches", () => {
    const source = new Subject<EventBatch>();
    const folds: Record<string, Inspectable> = {};
    const windowCounts: Record<string, number> = {};
    const availability: AvailabilityWindow[] = [];
    const subscribe = (name: string, make: () => Inspectable) =>
      source.pipe(perWindow(WINDOW_MS, () => (folds[name] = make()))).subscribe((w) => {
        windowCounts[name] = (windowCounts[name] ?? 0) + 1;
        if (name === "availability(write)") availability.push(w as AvailabilityWindow);
      });
    subscribe("availability(write)", () => new AvailabilityFold("write"));
    subscribe("latency", () => new LatencyFold("all"));
    subscribe("throughput", () => new ThroughputFold());
    subscribe("lag", () => new LagFold());
    subscribe("node-states", () => new NodeStatesFold());

    let maxInFlight = 0;
    let n = 0;
    for (const b of longRun()) {
      source.next(b);
      if (++n % 1000 === 0) for (const fold of Object.values(folds)) maxInFlight = Math.max(maxInFlight, fold.debugState().inFlight ?? 0);
    }
    const stateAtEnd = Object.fromEntries(Object.entries(folds).map(([name, fold]) => [name, fold.debugState()]));
    source.complete();

    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(stateAtEnd).toEqual({
      // ops 199997..199999 are unanswered (two of them are writes); the tables never grew past their first 64 slots
      "availability(write)": { inFlight: 2, slots: 64 },
      latency: { inFlight: 3, slots: 64 },
      throughput: { inFlight: 3, slots: 64 },
      lag: { nodes: 3 }, // sized by actor index (db3 = 2), not by the number of applies
      "node-states": { nodes: 3 },
    });
    // One record per window, the partial last one included.
    for (const name of Object.keys(folds)) expect(windowCounts[name]).toBe(BATCHES / WINDOW_MS);
    // Every write that completed was counted once: ops 1..199996 were answered, the odd ones are writes.
    expect(availability.reduce((sum, w) => sum + w.attempted, 0)).toBe((BATCHES - 4) / 2);
  });
});
