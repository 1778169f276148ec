import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/sim/simulation";
import { cluster, run, seeds } from "../helpers/scenario";
import type { Scenario } from "../../src/scenario/types";

/** A scenario with every source of randomness and every kind of fault. */
function busy(seed: number): Scenario {
  return cluster({
    seed,
    durationMs: 3000,
    network: { latencyMs: { dist: "lognormal", mu: 1, sigma: 0.6 }, lossRate: 0.02 },
    workload: { opsPerSec: 400, readRatio: 0.4, keys: 10, writeOp: "add" },
    faults: [
      { type: "random-crashes", nodes: ["db2", "db3"], mtbfMs: 800, mttrMs: 200 },
      { atMs: 1000, type: "partition", groups: [["db1"], ["db2", "db3"]], durationMs: 300 },
      { atMs: 1500, type: "slow", from: "db1", to: "db2", latencyMs: { dist: "constant", value: 50 }, durationMs: 400 },
    ],
  });
}

describe("determinism", () => {
  it("gives identical event hashes when the same seed runs twice (50 seeds)", () => {
    const mismatches: number[] = [];
    for (const seed of seeds(50)) {
      const a = run(busy(seed)).summary;
      const b = run(busy(seed)).summary;
      if (a.eventHash !== b.eventHash || a.events !== b.events) mismatches.push(seed);
    }
    expect(mismatches, `seeds whose two runs differed: ${mismatches.join(", ")}`).toEqual([]);
  });

  it("gives different hashes to different seeds", () => {
    const hashes = new Set(seeds(20).map((seed) => run(busy(seed)).summary.eventHash));
    expect(hashes.size).toBe(20);
  });

  it("does not reshuffle the workload when a fault is added", () => {
    const requests = (s: Scenario) => {
      const sim = new Simulation(s);
      const out: string[] = [];
      sim.events$.subscribe((e) => {
        if (e.type === "request") out.push(`${e.timeMs}:${e.op}:${e.kind}:${e.key}`);
      });
      sim.run();
      return out;
    };
    const calm = cluster({ seed: 5, durationMs: 2000 });
    const stormy = { ...calm, faults: [{ atMs: 500, type: "crash" as const, node: "db2", durationMs: 500 }] };
    expect(requests(stormy)).toEqual(requests(calm));
  });

  it("gives the same events to a run paused in slices as to one uninterrupted run", () => {
    const whole = run(busy(9)).summary.eventHash;
    const sim = new Simulation(busy(9));
    for (let t = 0; t <= 3000; t += 37) sim.runUntil(t);
    sim.run();
    expect(sim.eventHash).toBe(whole);
  });
});
