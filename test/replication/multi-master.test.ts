import { describe, expect, it } from "vitest";
import type { ConflictResolution, Scenario } from "../../src/scenario/types";
import { Random } from "../../src/sim/random";
import { compareVectors, winnerOf } from "../../src/replication/conflicts";
import { run, seeds } from "../helpers/scenario";

/** The lecture's account: $120; the A-B link breaks; client 1 takes $100 on A, client 2 takes $50 on B. */
function splitBrain(resolution: ConflictResolution, skewMs = 0): Scenario {
  return {
    format: 1,
    name: "split-brain-120",
    seed: 1,
    durationMs: 3000,
    nodes: [
      { id: "A", role: "primary" },
      { id: "B", role: "primary", clockSkewMs: skewMs },
    ],
    replication: { mode: "multi-master", resolution },
    network: { latencyMs: { dist: "constant", value: 5 } },
    script: [
      { atMs: 10, op: "set", key: "balance", value: 120, node: "A" },
      { atMs: 1000, op: "add", key: "balance", amount: -100, floor: 0, node: "A", client: "client-1" },
      { atMs: 1100, op: "add", key: "balance", amount: -50, floor: 0, node: "B", client: "client-2" },
      { atMs: 1500, op: "get", key: "balance", node: "A", client: "reader-a" },
      { atMs: 1500, op: "get", key: "balance", node: "B", client: "reader-b" },
    ],
    faults: [{ atMs: 500, type: "cut", from: "A", to: "B", durationMs: 1500 }],
  };
}

function reads(s: Scenario) {
  const r = run(s, { state: true, recordHistory: true });
  const during = Object.fromEntries(r.simulation.history!.filter((h) => h.kind === "read").map((h) => [h.process === r.simulation.topology.indexOf("reader-a") ? "A" : "B", h.output]));
  return { summary: r.summary, during };
}

describe("master-master and split-brain", () => {
  it("shows $20 on A and $70 on B while the link is cut", () => {
    expect(reads(splitBrain("lww")).during).toEqual({ A: 20, B: 70 });
  });

  it("last-writer-wins keeps the later deduction and silently loses the other", () => {
    const { summary } = reads(splitBrain("lww"));
    expect(summary.state).toEqual({ A: { balance: 70 }, B: { balance: 70 } });
    expect(summary.conflicts).toBe(1);
    expect(summary.lostAcknowledgedWrites).toBe(1);
  });

  it("with a skewed clock, last-writer-wins keeps the write that really came first", () => {
    // A's clock runs 500 ms ahead: its deduction at 1000 ms looks later than B's at 1100 ms.
    const s = splitBrain("lww");
    s.nodes[0].clockSkewMs = 500;
    expect(reads(s).summary.state).toEqual({ A: { balance: 20 }, B: { balance: 20 } });
  });

  it("reject keeps the earlier deduction and discards the later one", () => {
    const { summary } = reads(splitBrain("reject"));
    expect(summary.state).toEqual({ A: { balance: 20 }, B: { balance: 20 } });
    expect(summary.lostAcknowledgedWrites).toBe(1);
  });

  it("merge applies both deductions: -$30, an invariant broken, nothing lost", () => {
    const { summary } = reads(splitBrain("merge"));
    expect(summary.state).toEqual({ A: { balance: -30 }, B: { balance: -30 } });
    expect(summary.lostAcknowledgedWrites).toBe(0);
    expect(summary.floorViolations).toBe(1);
  });

  it("converges after the partition heals, under load, for every resolution (20 seeds each)", () => {
    for (const resolution of ["lww", "reject", "merge"] as const) {
      for (const seed of seeds(20)) {
        const r = new Random(seed, "test/mm");
        const s: Scenario = {
          format: 1,
          name: "mm-load",
          seed,
          durationMs: 4000,
          nodes: ["A", "B", "C"].map((id) => ({ id, role: "primary" as const, clockSkewMs: r.int(20) - 10 })),
          replication: { mode: "multi-master", resolution },
          network: { latencyMs: { dist: "exponential", mean: 3 }, lossRate: 0.02 },
          workload: { opsPerSec: 300, readRatio: 0.2, keys: 10, writeOp: "add", stopAtMs: 3000 },
          faults: [{ atMs: 500 + r.int(500), type: "partition", groups: [["A"], ["B", "C"]], durationMs: 1000 }],
        };
        const { summary } = run(s);
        expect(summary.divergentKeys, `${resolution} seed ${seed}`).toBe(0);
        expect(summary.conflicts, `${resolution} seed ${seed}`).toBeGreaterThan(0);
      }
    }
  });
});

describe("conflict detection and resolution", () => {
  it("tells ordered writes from concurrent ones by their version vectors", () => {
    expect(compareVectors([1, 0], [1, 1])).toBe("before");
    expect(compareVectors([2, 1], [1, 1])).toBe("after");
    expect(compareVectors([1, 0], [0, 1])).toBe("concurrent");
    expect(compareVectors([1, 1], [1, 1])).toBe("equal");
  });

  it("picks the same winner whatever order the concurrent writes arrived in", () => {
    const a = { clockMs: 10, node: 0, op: 1, value: 20, delta: -100 };
    const b = { clockMs: 12, node: 1, op: 2, value: 70, delta: -50 };
    const c = { clockMs: 12, node: 2, op: 3, value: 5, delta: NaN };
    for (const rule of ["lww", "reject"] as const) {
      expect(winnerOf(rule, [a, b, c]), rule).toEqual(winnerOf(rule, [c, a, b]));
    }
    expect(winnerOf("lww", [a, b, c]).op).toBe(3); // the latest clock; a tie goes to the higher node
    expect(winnerOf("reject", [a, b, c]).op).toBe(1); // the earliest
  });
});
