import { describe, expect, it } from "vitest";
import type { SimEvent } from "../../src/events";
import type { FailoverSpec, Scenario } from "../../src/scenario/types";
import { Simulation } from "../../src/sim/simulation";
import { summarize } from "../../src/metrics/summary";
import { Random } from "../../src/sim/random";
import type { Bug } from "../../src/sim/bugs";
import { cluster, run, seeds } from "../helpers/scenario";
import { overlappingReigns } from "../helpers/ack-overlap";

/** A run with a random mix of crashes, partitions and slow links, drawn from the seed. */
function stormy(seed: number, mode: Scenario["replication"]["mode"], failover: Partial<FailoverSpec> = {}): Scenario {
  const r = new Random(seed, "test/storm");
  const nodes = ["db1", "db2", "db3"];
  const faults: Scenario["faults"] = [];
  for (let t = 500; t < 6000; t += 400 + r.int(800)) {
    const pick = r.int(3);
    const node = nodes[r.int(3)];
    if (pick === 0) faults.push({ atMs: t, type: "crash", node, durationMs: 200 + r.int(1500) });
    else if (pick === 1) faults.push({ atMs: t, type: "partition", groups: [[node], nodes.filter((n) => n !== node)], durationMs: 300 + r.int(1500) });
    else faults.push({ atMs: t, type: "slow", from: node, to: nodes[(nodes.indexOf(node) + 1) % 3], latencyMs: { dist: "constant", value: 80 }, durationMs: 1000 });
  }
  return cluster({
    seed,
    durationMs: 8000,
    replication: { mode, ...(mode === "semi-sync" ? { acks: 1 } : {}), failover: { electionTimeoutMs: 150, ...failover } },
    workload: { clients: 8, readRatio: 0.2, keys: 20, thinkTimeMs: { dist: "exponential", mean: 5 }, timeoutMs: 300 },
    faults,
  });
}

function runWithEvents(s: Scenario, bugs: Bug[] = []) {
  const sim = new Simulation(s, { bugs });
  const events: SimEvent[] = [];
  sim.events$.subscribe((e) => {
    if (e.type === "ack" || e.type === "promote") events.push(e);
  });
  sim.run();
  return { summary: summarize(sim), events, sim };
}

/** Seeds (of the first n) on which a check fails. */
function failing(n: number, check: (seed: number) => boolean): number[] {
  return seeds(n).filter((seed) => !check(seed));
}

describe("failover by majority election", () => {
  it("elects a new primary after the old one crashes, and clients follow it", () => {
    const { summary, simulation } = run(
      cluster({ durationMs: 6000, replication: { mode: "async", failover: { electionTimeoutMs: 300 } }, faults: [{ atMs: 2000, type: "crash", node: "db1" }] }),
    );
    expect(summary.failovers).toBe(1);
    expect(summary.falseFailovers).toBe(0);
    expect(simulation.directoryPrimary()).not.toBe(0);
    expect(summary.detectionMs!).toBeGreaterThanOrEqual(300);
    expect(summary.detectionMs!).toBeLessThanOrEqual(650);
    expect(summary.downtimeMs).toBeLessThan(2000);
    expect(summary.writeAvailability!).toBeGreaterThan(0.7);
  });

  it("never lets two primaries acknowledge writes in overlapping intervals (leases and fencing; 60 seeds)", () => {
    for (const mode of ["async", "sync"] as const) {
      const bad = failing(30, (seed) => overlappingReigns(runWithEvents(stormy(seed, mode)).events).length === 0);
      expect(bad, `${mode}: seeds with two primaries at once`).toEqual([]);
    }
  });

  it("loses no acknowledged write with sync replication across failovers (40 seeds)", () => {
    const bad = failing(40, (seed) => runWithEvents(stormy(seed, "sync")).summary.lostAcknowledgedWrites === 0);
    expect(bad, "seeds that lost acknowledged writes").toEqual([]);
  });

  it("counts every write async loses across failovers as at risk (40 seeds)", () => {
    let lost = 0;
    const bad = failing(40, (seed) => {
      const { summary } = runWithEvents(stormy(seed, "async"));
      lost += summary.lostAcknowledgedWrites;
      return summary.lostAcknowledgedWrites <= summary.atRiskWrites;
    });
    expect(bad, "seeds with uncounted losses").toEqual([]);
    expect(lost).toBeGreaterThan(0);
  });

  it("elects at most one primary per epoch (60 seeds)", () => {
    const bad = failing(60, (seed) => {
      const promotions = runWithEvents(stormy(seed, "async")).events.filter((e) => e.type === "promote") as Extract<SimEvent, { type: "promote" }>[];
      return new Set(promotions.map((p) => p.epoch)).size === promotions.length;
    });
    expect(bad).toEqual([]);
  });
});

describe("the checks catch broken variants", () => {
  it("catches two primaries at once without leases", () => {
    const caught = seeds(30).find((seed) => overlappingReigns(runWithEvents(stormy(seed, "async", { leases: false })).events).length > 0);
    expect(caught, "no seed in 30 showed two primaries at once").toBeDefined();
  });

  it("catches a deposed primary that never steps down without fencing: two primaries remain", () => {
    const caught = seeds(30).find((seed) => {
      const { events, sim } = runWithEvents(stormy(seed, "async", { fencing: false }));
      return overlappingReigns(events).length > 0 || sim.nodes.filter((n) => n.role === "primary").length > 1;
    });
    expect(caught, "no seed in 30 left two primaries").toBeDefined();
  });

  it("keeps exactly one primary at the end of every stormy run with fencing (30 seeds)", () => {
    const bad = failing(30, (seed) => runWithEvents(stormy(seed, "async")).sim.nodes.filter((n) => n.role === "primary" && n.up).length <= 1);
    expect(bad).toEqual([]);
  });

  it("catches a sync primary that acknowledges before the replicas applied the write", () => {
    const caught = seeds(50).find((seed) => runWithEvents(stormy(seed, "sync"), ["ack-before-replicate"]).summary.lostAcknowledgedWrites > 0);
    expect(caught, "no seed in 50 lost a write").toBeDefined();
  });

  it("catches a crash that is not counted at risk", () => {
    const caught = seeds(50).find((seed) => {
      const { summary } = runWithEvents(stormy(seed, "async"), ["uncounted-risk"]);
      return summary.lostAcknowledgedWrites > summary.atRiskWrites;
    });
    expect(caught, "no seed in 50 showed an uncounted loss").toBeDefined();
  });
});

describe("false failovers", () => {
  it("happen when the election timeout is short for a slow network, and not with a sensible one", () => {
    const slowNetwork = (electionTimeoutMs: number) =>
      run(cluster({ durationMs: 10_000, replication: { mode: "async", failover: { electionTimeoutMs } }, network: { latencyMs: { dist: "lognormal", mu: 2, sigma: 1 } } })).summary;
    const hasty = slowNetwork(30);
    expect(hasty.falseFailovers).toBeGreaterThan(3);
    expect(hasty.falseFailovers).toBe(hasty.failovers);
    expect(slowNetwork(1000).failovers).toBe(0);
  });
});
