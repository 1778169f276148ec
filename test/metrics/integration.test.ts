import type { Subscription } from "rxjs";
import { describe, expect, it } from "vitest";
import {
  availabilityPerWindow,
  faultWindows,
  lagPerWindow,
  latencyPerWindow,
  nodeStatesPerWindow,
  throughputPerWindow,
  type AvailabilityWindow,
  type FaultWindowRecord,
  type LagWindow,
  type LatencyWindow,
  type NodeStatesWindow,
  type ThroughputWindow,
} from "../../src/metrics";
import { summarize } from "../../src/metrics/summary";
import type { Scenario } from "../../src/scenario/types";
import { Simulation } from "../../src/sim/simulation";

/** 1 primary + 2 async replicas at 500 ops/s for 10 s; the primary crashes at 4 s and restarts at 6 s. */
const scenario: Scenario = {
  format: 1,
  name: "metrics-primary-crash",
  seed: 42,
  durationMs: 10_000,
  nodes: [
    { id: "db1", role: "primary" },
    { id: "db2", role: "replica" },
    { id: "db3", role: "replica" },
  ],
  replication: { mode: "async" },
  network: { latencyMs: { dist: "exponential", mean: 2 } },
  workload: { opsPerSec: 500, readRatio: 0.5, keys: 20 },
  faults: [{ type: "crash", node: "db1", atMs: 4000, durationMs: 2000 }],
};

const WINDOW_MS = 500;

describe("metric operators on a real run", () => {
  it("show the primary's crash in availability, lag, throughput, node states and fault windows", () => {
    const sim = new Simulation(scenario);
    const availability: AvailabilityWindow[] = [];
    const lag: LagWindow[] = [];
    const latency: LatencyWindow[] = [];
    const throughput: ThroughputWindow[] = [];
    const states: NodeStatesWindow[] = [];
    let faults: FaultWindowRecord[] = [];
    // Subscribed before the run: the event stream is hot.
    const subscriptions: Subscription[] = [
      sim.batches$.pipe(availabilityPerWindow(WINDOW_MS)).subscribe((w) => availability.push(w)),
      sim.batches$.pipe(lagPerWindow(WINDOW_MS)).subscribe((w) => lag.push(w)),
      sim.batches$.pipe(latencyPerWindow(WINDOW_MS)).subscribe((w) => latency.push(w)),
      sim.batches$.pipe(throughputPerWindow(WINDOW_MS)).subscribe((w) => throughput.push(w)),
      sim.batches$.pipe(nodeStatesPerWindow(WINDOW_MS)).subscribe((w) => states.push(w)),
      sim.batches$.pipe(faultWindows()).subscribe((f) => (faults = f)),
    ];
    sim.run();
    const summary = summarize(sim);

    // Fault windows: exactly the crash, 4000..6000.
    expect(faults).toEqual([{ id: 0, type: "crash", target: "db1", label: "crash db1", startMs: 4000, endMs: 6000 }]);

    // Windows cover the whole run without gaps.
    for (const series of [availability, lag, latency, throughput, states]) {
      expect(series[0].startMs).toBe(0);
      series.slice(1).forEach((w, i) => expect(w.startMs).toBe(series[i].endMs));
      expect(series[series.length - 1].endMs).toBeLessThanOrEqual(scenario.durationMs);
      expect(series[series.length - 1].endMs).toBeGreaterThan(scenario.durationMs - WINDOW_MS);
    }

    // Availability: full before the crash, dips while the primary is down, full again after.
    const ratioAt = (startMs: number) => availability.find((w) => w.startMs === startMs)!.ratio;
    for (const w of availability.filter((w) => w.endMs <= 4000)) expect(w.ratio).toBe(1);
    const during = availability.filter((w) => w.startMs >= 4000 && w.endMs <= 7000);
    expect(Math.min(...during.map((w) => w.ratio ?? 1))).toBeLessThan(0.1);
    expect(ratioAt(5000)).toBe(0); // only timeouts complete while the primary is down
    for (const w of availability.filter((w) => w.startMs >= 7000 && w.attempted > 0)) expect(w.ratio).toBe(1);

    // Every completed operation is counted exactly once.
    const completed = summary.writes.acknowledged + summary.writes.failed + summary.reads.ok + summary.reads.failed;
    expect(availability.reduce((sum, w) => sum + w.attempted, 0)).toBe(completed);
    expect(throughput.reduce((sum, w) => sum + w.reads + w.writes, 0)).toBe(summary.writes.acknowledged + summary.reads.ok);
    expect(latency.reduce((sum, w) => sum + w.count, 0)).toBe(summary.writes.acknowledged + summary.reads.ok);

    // Lag windows exist for both replicas (and not for the primary), with data before the crash.
    for (const w of lag.filter((w) => w.startMs >= WINDOW_MS)) expect(Object.keys(w.byNode)).toEqual(["db2", "db3"]);
    for (const node of ["db2", "db3"]) expect(lag.find((w) => w.startMs === 1000)!.byNode[node].count).toBeGreaterThan(0);
    // While the primary is down nothing is shipped, so the replicas apply nothing.
    expect(lag.find((w) => w.startMs === 5000)!.byNode.db2.count).toBe(0);

    // Node states: db1 is the primary throughout, down only in the crash windows.
    for (const w of states) expect(w.byNode.db1.role).toBe("primary");
    // (the restart at 6000 belongs to the window that starts at 6000, so db1 is still down at the end of [5500, 6000))
    expect(states.filter((w) => w.byNode.db1.state === "down").map((w) => w.endMs)).toEqual([4500, 5000, 5500, 6000]);

    // Throughput drops to zero while down and recovers to about the offered load.
    expect(throughput.find((w) => w.startMs === 5000)!.perSec).toBe(0);
    expect(throughput.find((w) => w.startMs === 8000)!.perSec).toBeGreaterThan(350);

    // The run completed every stream, which released every subscription.
    for (const s of subscriptions) expect(s.closed).toBe(true);
  });
});
