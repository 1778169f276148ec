import { describe, expect, it } from "vitest";
import type { SimEvent } from "../../src/events";
import type { Scenario } from "../../src/scenario/types";
import { Simulation } from "../../src/sim/simulation";
import { summarize } from "../../src/metrics/summary";
import { Random } from "../../src/sim/random";
import { run, seeds } from "../helpers/scenario";
import { checkLinearizability } from "../../src/checkers/linearizability";
import { replicalabKvModel } from "../../src/checkers/models";
import { witnessStory as lessonWitnessStory } from "../helpers/stories";

/** The lecture's scenario (masters A and B, witness C; A deducts $100, then B $50 twice), with these faults. */
function witnessStory(faults: Scenario["faults"]): Scenario {
  return { ...lessonWitnessStory(), faults };
}

function eventsOf(s: Scenario): { events: SimEvent[]; sim: Simulation } {
  const sim = new Simulation(s, { recordHistory: true });
  const events: SimEvent[] = [];
  sim.events$.subscribe((e) => events.push(e));
  sim.run();
  return { events, sim };
}

const responses = (events: SimEvent[], client: string) =>
  events.filter((e): e is Extract<SimEvent, { type: "response" }> => e.type === "response" && e.client === client).map((e) => e.error);

describe("quorum writes with a witness", () => {
  it("plays the lecture's story: A commits with C, B's stale deduction is rolled back, a retry is refused on $20", () => {
    const { events, sim } = eventsOf(witnessStory([{ atMs: 500, type: "cut", from: "A", to: "B", durationMs: 1500 }]));
    expect(responses(events, "client-1")).toEqual(["ok"]);
    expect(responses(events, "client-2")).toEqual(["stale", "floor"]);
    expect(events.some((e) => e.type === "rollback" && e.node === "B")).toBe(true);
    expect(sim.nodes.map((n) => n.store.toObject(sim.keys.names).balance)).toEqual([20, 20, 20]);
    expect(summarize(sim).conflicts).toBe(0);
  });

  it("refuses writes on both sides (read-only) when nobody can reach a majority", () => {
    const { events, sim } = eventsOf(witnessStory([{ atMs: 500, type: "partition", groups: [["A"], ["B"], ["C"]], durationMs: 1500 }]));
    expect(responses(events, "client-1")).toEqual(["no-quorum"]);
    expect(responses(events, "client-2")).toEqual(["no-quorum", "no-quorum"]);
    expect(sim.nodes.map((n) => n.store.toObject(sim.keys.names).balance)).toEqual([120, 120, 120]);
  });
});

/** Three data nodes under random partitions and crashes, with concurrent writers on every node. */
function storm(seed: number, ballots: boolean): Scenario {
  const r = new Random(seed, "test/quorum-storm");
  const nodes = ["A", "B", "C"];
  const faults: Scenario["faults"] = [];
  for (let t = 200; t < 2500; t += 200 + r.int(400)) {
    const node = nodes[r.int(3)];
    if (r.next() < 0.5) faults.push({ atMs: t, type: "crash", node, durationMs: 100 + r.int(600) });
    else faults.push({ atMs: t, type: "partition", groups: [[node], nodes.filter((n) => n !== node)], durationMs: 100 + r.int(600) });
  }
  return {
    format: 1,
    name: "quorum-storm",
    seed,
    durationMs: 4000,
    nodes: nodes.map((id) => ({ id, role: "primary" as const })),
    replication: { mode: "quorum", ballots, proposalTimeoutMs: 60 },
    network: { latencyMs: { dist: "exponential", mean: 8 } },
    workload: { opsPerSec: 300, readRatio: 0.3, keys: 3, writeOp: "add", stopAtMs: 3000, timeoutMs: 200 },
    faults,
  };
}

describe("quorum safety", () => {
  it("never commits two values for one key and version, and loses no acknowledged write (ballots; 60 seeds)", () => {
    const bad = seeds(60).filter((seed) => {
      const { summary } = run(storm(seed, true));
      return summary.divergentCommits > 0 || summary.lostAcknowledgedWrites > 0;
    });
    expect(bad, "seeds that committed a version twice").toEqual([]);
  });

  it("catches the naive version check (no ballots) committing two values for one version", () => {
    const caught = seeds(60).find((seed) => run(storm(seed, false)).summary.divergentCommits > 0);
    expect(caught, "no seed in 60 committed a version twice").toBeDefined();
  });

  it("reports a write whose proposer heard no majority in time as indeterminate, not failed", () => {
    const { summary } = run(storm(3, true));
    expect(summary.indeterminateWrites).toBeGreaterThan(0);
    expect(summary.errors.indeterminate).toBe(summary.indeterminateWrites);
  });
});

describe("quorum reads", () => {
  const reads = (readQuorum: number, writeBack: boolean, seed = 1): Scenario => ({
    format: 1,
    name: "quorum-reads",
    seed,
    durationMs: 1500,
    nodes: ["A", "B", "C"].map((id) => ({ id, role: "primary" as const })),
    replication: { mode: "quorum", readQuorum, writeBack },
    // C is far away: the majority commits without it, and C learns late.
    network: {
      latencyMs: { dist: "exponential", mean: 5 },
      links: [
        { from: "A", to: "C", latencyMs: { dist: "constant", value: 40 } },
        { from: "B", to: "C", latencyMs: { dist: "constant", value: 40 } },
      ],
    },
    workload: { opsPerSec: 400, readRatio: 0.5, keys: 2 },
  });

  it("are stale with W + R <= N, and never stale with W + R > N (5 seeds)", () => {
    expect(run(reads(1, false)).summary.staleReads).toBeGreaterThan(0);
    for (const seed of seeds(5)) expect(run(reads(2, true, seed)).summary.staleReads, `seed ${seed}`).toBe(0);
  });
});

describe("availability of a majority quorum", () => {
  it("matches p^3 + 3p^2(1-p) for three nodes with per-node availability p", () => {
    const mtbfMs = 1000;
    const mttrMs = 250;
    const s: Scenario = {
      format: 1,
      name: "quorum-availability",
      seed: 7,
      durationMs: 600_000,
      nodes: ["A", "B", "C"].map((id) => ({ id, role: "primary" as const })),
      replication: { mode: "quorum" },
      network: { latencyMs: { dist: "constant", value: 1 } },
      workload: { opsPerSec: 1, readRatio: 0, keys: 1 },
      faults: [{ type: "random-crashes", nodes: ["A", "B", "C"], mtbfMs, mttrMs }],
    };
    // Time with at least two of three nodes up, from the crash and recover events.
    const sim = new Simulation(s);
    let up = 3;
    let since = 0;
    let majorityUs = 0;
    sim.events$.subscribe((e) => {
      if (e.type !== "crash" && e.type !== "recover") return;
      if (up >= 2) majorityUs += e.timeMs * 1000 - since;
      since = e.timeMs * 1000;
      up += e.type === "crash" ? -1 : 1;
    });
    sim.run();
    if (up >= 2) majorityUs += 600_000_000 - since;
    const p = mtbfMs / (mtbfMs + mttrMs);
    const expected = p ** 3 + 3 * p ** 2 * (1 - p);
    expect(Math.abs(majorityUs / 600_000_000 - expected)).toBeLessThan(0.01);
  });
});

describe("quorum histories", () => {
  const history = (writeBack: boolean, seed: number) => {
    const s: Scenario = {
      format: 1,
      name: "quorum-linearizable",
      seed,
      durationMs: 1500,
      nodes: ["A", "B", "C"].map((id) => ({ id, role: "primary" as const })),
      replication: { mode: "quorum", readQuorum: 2, writeBack },
      network: { latencyMs: { dist: "exponential", mean: 5 } },
      workload: { clients: 4, readRatio: 0.6, keys: 2, thinkTimeMs: { dist: "exponential", mean: 5 } },
    };
    const { simulation } = run(s, { recordHistory: true });
    return [...simulation.history!, ...simulation.unfinishedHistory()];
  };

  it("are linearizable with write-back (8 seeds)", () => {
    for (const seed of seeds(8)) {
      expect(checkLinearizability(history(true, seed), replicalabKvModel).valid, `seed ${seed}`).toBe(true);
    }
  });
});
