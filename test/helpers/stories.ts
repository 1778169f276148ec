/** The lessons' stories as small scenarios for the view tests (the notebooks' own files may differ). */
import type { Scenario } from "../../src/scenario/types";
import { cluster } from "./scenario";

/** Lesson 06: masters A and B with witness C; the A-B link is cut; A takes $100, then B tries $50 twice. */
export function witnessStory(): Scenario {
  return {
    format: 1,
    name: "quorum-witness",
    seed: 1,
    durationMs: 3000,
    nodes: [
      { id: "A", role: "primary" },
      { id: "B", role: "primary" },
      { id: "C", role: "witness" },
    ],
    replication: { mode: "quorum" },
    network: { latencyMs: { dist: "constant", value: 5 } },
    script: [
      { atMs: 10, op: "set", key: "balance", value: 120, node: "A" },
      { atMs: 1000, op: "add", key: "balance", amount: -100, floor: 0, node: "A", client: "client-1" },
      // B proposes before it has learned of A's commit (the witness passes it on within a heartbeat).
      { atMs: 1020, op: "add", key: "balance", amount: -50, floor: 0, node: "B", client: "client-2" },
      { atMs: 1500, op: "add", key: "balance", amount: -50, floor: 0, node: "B", client: "client-2" },
    ],
    faults: [{ atMs: 500, type: "cut", from: "A", to: "B", durationMs: 1500 }],
  };
}

/** Lesson 05: the $120 split-brain with two masters and last-writer-wins. */
export function splitBrain(): Scenario {
  return {
    format: 1,
    name: "split-brain-120",
    seed: 1,
    durationMs: 3000,
    nodes: [
      { id: "A", role: "primary" },
      { id: "B", role: "primary" },
    ],
    replication: { mode: "multi-master", resolution: "lww" },
    network: { latencyMs: { dist: "constant", value: 5 } },
    script: [
      { atMs: 10, op: "set", key: "balance", value: 120, node: "A" },
      { atMs: 1000, op: "add", key: "balance", amount: -100, floor: 0, node: "A", client: "client-1" },
      { atMs: 1100, op: "add", key: "balance", amount: -50, floor: 0, node: "B", client: "client-2" },
    ],
    faults: [{ atMs: 500, type: "cut", from: "A", to: "B", durationMs: 1500 }],
  };
}

/** Lesson 04: async replication with majority failover; db1 crashes at 2 s and comes back at 4 s. */
export function failover(): Scenario {
  return cluster({
    name: "failover",
    durationMs: 6000,
    replication: { mode: "async", failover: { electionTimeoutMs: 300 } },
    workload: { opsPerSec: 200, readRatio: 0.3, keys: 20 },
    faults: [{ atMs: 2000, type: "crash", node: "db1", durationMs: 2000 }],
  });
}

/** Lesson 02: lag under async, db3 behind a slow link, a partition of db3 in the middle. */
export function asyncLag(): Scenario {
  return cluster({
    name: "async-lag",
    durationMs: 4000,
    network: { latencyMs: { dist: "exponential", mean: 3 }, links: [{ from: "db1", to: "db3", latencyMs: { dist: "exponential", mean: 30 } }] },
    workload: { opsPerSec: 300, readRatio: 0.2, keys: 50 },
    faults: [{ atMs: 1500, type: "partition", groups: [["db1", "db2"], ["db3"]], durationMs: 1000 }],
  });
}
