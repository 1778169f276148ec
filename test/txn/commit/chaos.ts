import type { Distribution } from "../../../src/scenario/types";
import type { AtomicCommitScenario } from "../../../src/txn/commit";
import { allNodes, commitScenario } from "./helpers";

/** Scenario generators for the many-seed tests: each takes a seed and is named in failure messages. */

/**
 * 2PC under everything the engine can throw at it: the coordinator and every participant crash and
 * restart at random, the network splits at random, messages are lost and unboundedly delayed; 2 to 5
 * participants, with and without cooperative termination, both lock policies.
 */
export function chaos2pc(seed: number): AtomicCommitScenario {
  const participants = 2 + (seed % 4);
  return commitScenario({
    name: "2pc-chaos",
    seed,
    durationMs: 2000,
    protocol: "2pc",
    participants,
    cooperativeTermination: seed % 2 === 0,
    network: { latencyMs: { dist: "exponential", mean: 3 }, lossRate: 0.01 },
    workload: { txPerSec: 60, keys: 12, keysPerTx: 3, voteNoProbability: 0.05, onLockConflict: seed % 3 === 0 ? "wait" : "vote-no" },
    faults: [
      { type: "random-crashes", nodes: allNodes(participants), mtbfMs: 400, mttrMs: 150 },
      { type: "random-partitions", mtbfMs: 500, mttrMs: 150 },
    ],
  });
}

/** 3PC within Skeen's assumptions: crash-stop faults (never a restart), a latency bounded below the timeouts. */
export function crashStop3pc(latencyMs: Distribution): (seed: number) => AtomicCommitScenario {
  return (seed) => {
    const participants = 3 + (seed % 2);
    return commitScenario({
      name: "3pc-crash-stop",
      seed,
      protocol: "3pc",
      participants,
      network: { latencyMs },
      workload: { txPerSec: 40, keys: 30, keysPerTx: 3 },
      // No mttrMs: a crashed node never comes back.
      faults: [
        { type: "random-crashes", nodes: ["coordinator"], mtbfMs: 700 },
        { type: "random-crashes", nodes: allNodes(participants).slice(1), mtbfMs: 2500 },
      ],
    });
  };
}

export function partitioned3pc(seed: number): AtomicCommitScenario {
  return commitScenario({ name: "3pc-partitions", seed, protocol: "3pc", faults: [{ type: "random-partitions", mtbfMs: 300, mttrMs: 200 }] });
}

/** Exponential delays (mean 10 ms) against timeouts of a few tens of ms: a slow coordinator looks crashed. */
export function unbounded3pc(seed: number): AtomicCommitScenario {
  return commitScenario({
    name: "3pc-exponential",
    seed,
    protocol: "3pc",
    network: { latencyMs: { dist: "exponential", mean: 10 } },
    timeouts: { voteMs: 40, preCommitAckMs: 40, decisionMs: 60, terminationRoundMs: 30 },
  });
}

