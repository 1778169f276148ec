import { describe, expect, it } from "vitest";
import type { AvailabilityWindow } from "../../src/metrics/operators/availability";
import type { LagWindow } from "../../src/metrics/operators/lag";
import type { LatencyWindow } from "../../src/metrics/operators/latency";
import type { NodeStatesWindow } from "../../src/metrics/operators/node-states";
import type { ThroughputWindow } from "../../src/metrics/operators/throughput";
import {
  availabilitySeries,
  lagSeries,
  latencySeries,
  nodeUpSeries,
  throughputByKindSeries,
  throughputSeries,
} from "../../src/metrics/series";

const avail = (startMs: number, endMs: number, ratio: number | null): AvailabilityWindow => ({ startMs, endMs, attempted: 0, ok: 0, failed: 0, ratio });

describe("series", () => {
  it("places each value at its window's end and turns a missing ratio into a gap", () => {
    const windows = [avail(0, 500, 1), avail(500, 1000, null), avail(1000, 1200, 0)];
    expect(availabilitySeries(windows)).toEqual({ name: "availability", tMs: [500, 1000, 1200], values: [1, NaN, 0] });
  });

  it("makes one lag series per replica, with gaps where a replica applied nothing or was not yet seen", () => {
    const idle = { meanMs: null, maxMs: null, count: 0, behindMax: null };
    const windows: LagWindow[] = [
      { startMs: 0, endMs: 100, byNode: { db2: { meanMs: 2, maxMs: 5, count: 3, behindMax: 1 } } },
      { startMs: 100, endMs: 200, byNode: { db2: idle, db3: { meanMs: 7, maxMs: 9, count: 1, behindMax: 0 } } },
    ];
    expect(lagSeries(windows)).toEqual([
      { name: "db2", tMs: [100, 200], values: [2, NaN] },
      { name: "db3", tMs: [100, 200], values: [NaN, 7] },
    ]);
    expect(lagSeries(windows, "maxMs").map((s) => s.values)).toEqual([[5, NaN], [NaN, 9]]);
  });

  it("makes one latency series per statistic, named without the unit", () => {
    const windows: LatencyWindow[] = [
      { startMs: 0, endMs: 10, count: 2, meanMs: 3, p50Ms: 2, p99Ms: 4, maxMs: 4 },
      { startMs: 10, endMs: 20, count: 0, meanMs: null, p50Ms: null, p99Ms: null, maxMs: null },
    ];
    expect(latencySeries(windows)).toEqual([
      { name: "p50", tMs: [10, 20], values: [2, NaN] },
      { name: "p99", tMs: [10, 20], values: [4, NaN] },
    ]);
    expect(latencySeries(windows, ["maxMs"])).toEqual([{ name: "max", tMs: [10, 20], values: [4, NaN] }]);
  });

  it("gives throughput in operations per second, in total and per kind", () => {
    const windows: ThroughputWindow[] = [
      { startMs: 0, endMs: 500, reads: 10, writes: 40, perSec: 100 },
      { startMs: 500, endMs: 500, reads: 0, writes: 1, perSec: null },
    ];
    expect(throughputSeries(windows)).toEqual({ name: "throughput", tMs: [500, 500], values: [100, NaN] });
    expect(throughputByKindSeries(windows)).toEqual([
      { name: "reads", tMs: [500, 500], values: [20, NaN] },
      { name: "writes", tMs: [500, 500], values: [80, NaN] },
    ]);
  });

  it("draws each node as 1 while up and 0 while down", () => {
    const windows: NodeStatesWindow[] = [
      { startMs: 0, endMs: 10, epoch: 1, byNode: { db1: { state: "up", role: "primary", epoch: 1 } } },
      { startMs: 10, endMs: 20, epoch: 1, byNode: { db1: { state: "down", role: "primary", epoch: 1 }, db2: { state: "up", role: "replica", epoch: 0 } } },
    ];
    expect(nodeUpSeries(windows)).toEqual([
      { name: "db1", tMs: [10, 20], values: [1, 0] },
      { name: "db2", tMs: [10, 20], values: [NaN, 1] },
    ]);
  });

  it("returns empty series for no windows", () => {
    expect(availabilitySeries([])).toEqual({ name: "availability", tMs: [], values: [] });
    expect(lagSeries([])).toEqual([]);
  });
});
