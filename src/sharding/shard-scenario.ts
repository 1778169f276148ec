import type { FaultSpec, NodeSpec, Scenario } from "../scenario/types";
import { deriveSeed } from "../sim/random";
import type { ShardedFaultSpec, ShardedScenario } from "./types";

/**
 * Each shard is an ordinary cluster scenario, derived from the sharded one, so a shard IS the
 * replication engine of the earlier lessons (same replication modes, elections, faults) and nothing
 * about replication is re-implemented here. Node ids are prefixed with the shard's name (`s2-db1`),
 * and each shard gets its own seed sub-stream, so shards are independent yet the run is deterministic.
 */

/** Shards of a run: s1 .. sN, plus s<N+1> when a shard is added by rebalancing. */
export function shardNames(s: ShardedScenario): string[] {
  const total = s.shards.count + (s.rebalance ? 1 : 0);
  return Array.from({ length: total }, (_, i) => `s${i + 1}`);
}

/** The database nodes of one shard: `<shard>-db1` (the first primary) .. `<shard>-db<replicas+1>`. */
export function shardNodeIds(s: ShardedScenario, shard: string): string[] {
  const size = 1 + (s.shards.replicaSet.replicas ?? 0);
  return Array.from({ length: size }, (_, j) => `${shard}-db${j + 1}`);
}

/** The shard a node id belongs to ("s2" for "s2-db1"), or undefined. */
export function shardOfNode(nodeId: string): string | undefined {
  const match = /^(s\d+)-db\d+$/.exec(nodeId);
  return match ? match[1] : undefined;
}

/** The seed of one shard's engine: derived from the scenario seed and the shard name. */
export function shardSeed(seed: number, shard: string): number {
  return deriveSeed(seed, `shard/${shard}`) >>> 0;
}

/**
 * The cluster scenario of one shard. It has a workload with no traffic of its own (the key space
 * only: every shard can hold every key, so keys can move between shards); the router sends the
 * operations. `runMs` is how long the shard engines run (the sharded run plus any settle phase).
 */
export function shardScenario(s: ShardedScenario, shard: string, runMs: number): Scenario {
  const rs = s.shards.replicaSet;
  const nodes: NodeSpec[] = shardNodeIds(s, shard).map((id, j) => ({
    id,
    role: j === 0 ? "primary" : "replica",
    ...(rs.workers !== undefined ? { workers: rs.workers } : {}),
    ...(rs.serviceTimeMs !== undefined ? { serviceTimeMs: rs.serviceTimeMs } : {}),
    ...(rs.queueLimit !== undefined ? { queueLimit: rs.queueLimit } : {}),
  }));
  const mine = new Set(nodes.map((n) => n.id));
  const links = (s.network.links ?? []).filter((l) => mine.has(l.from) && mine.has(l.to));
  return {
    format: 1,
    name: `${s.name}/${shard}`,
    seed: shardSeed(s.seed, shard),
    durationMs: runMs,
    ...(s.maxEvents !== undefined ? { maxEvents: s.maxEvents } : {}),
    nodes,
    replication: rs.replication,
    network: { ...s.network, links },
    workload: {
      readRatio: 0,
      keys: s.keys,
      ...(s.workload?.readFrom ? { readFrom: s.workload.readFrom } : {}),
    },
    faults: (s.faults ?? []).flatMap((f) => faultsForShard(f, shard, mine)),
  };
}

/** The part of one sharded fault that concerns one shard (nothing, the fault, or its expansion). */
function faultsForShard(f: ShardedFaultSpec, shard: string, mine: ReadonlySet<string>): FaultSpec[] {
  switch (f.type) {
    case "shard-down":
      if (f.shard !== shard) return [];
      return [...mine].map((node) => ({ type: "crash", node, atMs: f.atMs, ...(f.durationMs !== undefined ? { durationMs: f.durationMs } : {}) }));
    case "heal":
      return [f];
    case "partition":
      return f.groups.some((g) => g.some((n) => mine.has(n))) ? [f] : [];
    case "random-crashes": {
      const nodes = f.nodes.filter((n) => mine.has(n));
      return nodes.length > 0 ? [{ ...f, nodes }] : [];
    }
    case "cut":
    case "restore":
    case "slow":
      return mine.has(f.from) ? [f] : [];
    case "domain-failure":
      return []; // rejected by validation: shard nodes have no failure domains
    default:
      return mine.has(f.node) ? [f] : [];
  }
}
