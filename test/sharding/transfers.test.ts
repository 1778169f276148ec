import { describe, expect, it } from "vitest";
import { runShardedScenario, summarizeSharded } from "../../src/sharding/run";
import { commitScenario, planTransfers } from "../../src/sharding/transfers";
import { parseAtomicCommitScenario } from "../../src/txn/commit";
import type { ShardedFaultSpec, ShardedScenario } from "../../src/sharding/types";
import { scenario } from "./helpers";

function transfers(seed: number, faults: ShardedFaultSpec[]): ShardedScenario {
  return scenario({
    seed,
    durationMs: 3000,
    keys: 90,
    shards: {
      count: 3,
      partitioning: { strategy: "range", ranges: [{ from: 0, to: 29 }, { from: 30, to: 59 }, { from: 60, to: 89 }] },
      replicaSet: { replicas: 2, replication: { mode: "sync", failover: { electionTimeoutMs: 200, clientRefreshMs: 100 } } },
    },
    workload: undefined,
    transfers: { perSec: 60, initialBalance: 500, amount: 7, protocol: "2pc" },
    faults,
  });
}

/** Faults that differ per seed: a whole shard down for a while, and another shard's primary crashing. */
function faultsFor(seed: number): ShardedFaultSpec[] {
  const down = `s${(seed % 3) + 1}`;
  const crashed = `s${((seed + 1) % 3) + 1}-db1`;
  return [
    { type: "shard-down", shard: down, atMs: 300 + ((seed * 137) % 1500), durationMs: 200 + ((seed * 61) % 800) },
    { type: "crash", node: crashed, atMs: 500 + ((seed * 89) % 2000), durationMs: 1000 },
  ];
}

describe("cross-shard transfers by 2PC", () => {
  it("conserve the total balance under faults, over many seeds", () => {
    for (let seed = 1; seed <= 16; seed++) {
      const { summary } = runShardedScenario(transfers(seed, faultsFor(seed)));
      const t = summary.transfers!;
      expect(t.planned, `seed ${seed}: no transfers planned`).toBeGreaterThan(100);
      expect(t.partsUnapplied, `seed ${seed}: committed parts left unapplied`).toBe(0);
      expect(t.money.final, `seed ${seed}: total balance ${t.money.final} != ${t.money.initial}`).toBe(t.money.initial);
      expect(t.conserved, `seed ${seed}: not conserved`).toBe(true);
      expect(t.committed + t.aborted + t.inDoubt, `seed ${seed}: fates do not add up`).toBe(t.planned);
      expect(t.partsApplied, `seed ${seed}: each committed transfer applies two parts`).toBe(2 * t.committed);
    }
  });

  it("a shard that is down makes the transfers that touch it abort, not half-happen", () => {
    const faulty = runShardedScenario(transfers(3, [{ type: "shard-down", shard: "s2", atMs: 500, durationMs: 1500 }])).summary.transfers!;
    const clean = runShardedScenario(transfers(3, [])).summary.transfers!;
    expect(clean.aborted).toBeLessThan(faulty.aborted);
    expect(faulty.aborted).toBeGreaterThan(0.2 * faulty.planned);
    expect(faulty.conserved).toBe(true);
  });

  it("the conservation check can fail: a balance changed behind the protocol's back is caught", () => {
    const run = runShardedScenario(transfers(5, []));
    expect(run.summary.transfers!.conserved).toBe(true);
    const owner = run.cluster.shards[run.cluster.map.owner[0]].simulation;
    const primary = owner.nodes[owner.directoryPrimary()];
    primary.store.set(0, primary.store.valueOrZero(0) + 1, primary.store.versions[0]);
    const tampered = summarizeSharded(run.cluster).transfers!;
    expect(tampered.conserved).toBe(false);
    expect(tampered.money.final).toBe(tampered.money.initial + 1);
  });

  it("builds a valid atomic-commit scenario whose participants are the shards", () => {
    const s = transfers(1, [{ type: "shard-down", shard: "s2", atMs: 100, durationMs: 100 }]);
    const owners = Int32Array.from({ length: 90 }, (_, k) => Math.floor(k / 30));
    const planned = planTransfers(s, owners);
    const commit = parseAtomicCommitScenario(commitScenario(s, planned, 3, 5000));
    expect(commit.participants).toBe(3);
    expect(commit.faults).toEqual([{ type: "crash", node: "p2", atMs: 100, durationMs: 100 }]);
    const first = planned[0];
    expect(commit.workload.transactions![0].keys).toEqual([`k${first.fromShard + 3 * first.from}`, `k${first.toShard + 3 * first.to}`]);
    expect(planned.every((t) => t.fromShard !== t.toShard)).toBe(true);
  });
});
