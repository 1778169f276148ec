/**
 * The sharded scenario format (`"kind": "sharded"`): a router in front of several shards, each shard
 * a replica set (a primary with replicas and, optionally, automatic failover) of the ordinary cluster
 * engine. Plain JSON, validated by `schema.ts` like the other kinds (unknown fields rejected, one-line
 * errors naming the path). Times are milliseconds of VIRTUAL time.
 *
 * This is a public contract (instructors write their own files): extend it, never break it.
 */
import type { Distribution, FaultSpec, NetworkSpec, ReadRouting, ReplicationSpec } from "../scenario/types";

/** One contiguous range of user ids (inclusive at both ends), owned by one shard: the lecture's 0-100. */
export interface KeyRange {
  from: number;
  to: number;
}

/**
 * How keys map to shards.
 * - `range`: explicit ranges, one per shard, in order, covering 0 .. keys-1 without gaps or overlaps.
 *   Adding a shard splits the range with the most keys in two (the upper half moves).
 * - `hash`: hash(key) mod N. Adding a shard re-maps about N/(N+1) of the keys.
 * - `consistent-hash`: a ring with `virtualNodes` points per shard; a key belongs to the next point
 *   clockwise. Adding a shard moves about 1/(N+1) of the keys, all of them to the new shard.
 */
export type PartitioningSpec =
  | { strategy: "range"; ranges: KeyRange[] }
  | { strategy: "hash" }
  | { strategy: "consistent-hash"; virtualNodes: number };

export type PartitioningStrategy = PartitioningSpec["strategy"];

/** The replica set every shard runs: the same shape for each shard (node ids `s<i>-db<j>`). */
export interface ReplicaSetSpec {
  /** Replicas per shard besides the primary (`s<i>-db1` is the first primary). Default 0. */
  replicas?: number;
  /** The cluster scenario's replication settings: mode, acks, failover (elections), heartbeats... */
  replication: ReplicationSpec;
  /** Capacity of every node (see the cluster format's `nodes[].workers`). Absent: unlimited. */
  workers?: number;
  serviceTimeMs?: Distribution;
  queueLimit?: number;
}

export interface ShardsSpec {
  /** Shards at the start, named s1 .. sN. */
  count: number;
  partitioning: PartitioningSpec;
  replicaSet: ReplicaSetSpec;
}

/** Which keys clients pick: uniformly, or Zipf (rank r has weight 1/r^exponent; key 0 is the hottest). */
export type KeyDistribution = { type: "uniform" } | { type: "zipf"; exponent: number };

/** The clients, over the GLOBAL key space: an open-loop Poisson stream that the router spreads over the shards. */
export interface ShardedWorkloadSpec {
  opsPerSec: number;
  /** Fraction of reads, 0..1. */
  readRatio: number;
  /** Default uniform. */
  distribution?: KeyDistribution;
  /** Writes are `set` (a fresh value) or `add` (+1). Default "set". */
  writeOp?: "set" | "add";
  /** Where reads go inside a shard. Default "primary". */
  readFrom?: ReadRouting;
  /** Per attempt. Default 1000. */
  timeoutMs?: number;
  /** No new operations after this time. Default: the whole run. */
  stopAtMs?: number;
  /** How often the router retries an operation refused with "wrong-shard" (stale map, key moving). Default 5. */
  maxRetries?: number;
  /** Wait before such a retry. Default 5. */
  retryBackoffMs?: number;
}

/**
 * A fault of the sharded world: any cluster fault addressed to shard nodes (`"node": "s2-db1"`;
 * a partition's groups must lie inside one shard, and `heal` heals every shard), or a whole shard's
 * replica set down at once.
 */
export type ShardedFaultSpec = FaultSpec | { type: "shard-down"; shard: string; atMs: number; durationMs?: number };

/** Adding a shard while the cluster serves traffic. */
export interface RebalanceSpec {
  /** When the new shard (s<N+1>) joins and keys start to move. */
  addShardAtMs: number;
  /** Time to copy one key (besides the write that installs it on the new owner). Default 2. */
  moveMsPerKey?: number;
  /** Keys moved at the same time. Default 8. */
  parallelMoves?: number;
}

/** Money transfers between accounts (keys 0 .. accounts-1) that live on different shards, by 2PC. */
export interface TransfersSpec {
  /** Poisson arrivals per second. */
  perSec: number;
  /** Accounts are the keys 0 .. accounts-1 (default: every key). */
  accounts?: number;
  /** Each account starts with this balance (default 1000). Stores hold the change from it. */
  initialBalance?: number;
  /** Amount of each transfer (default 10). */
  amount?: number;
  /** "2pc": the atomic-commit engine (src/txn/commit) decides each transfer. */
  protocol: "2pc";
  /** No new transfers after this time. Default: the whole run. */
  stopAtMs?: number;
}

export interface ShardedScenario {
  format: 1;
  kind: "sharded";
  name: string;
  description?: string;
  seed: number;
  /** Traffic and faults happen in [0, durationMs); with transfers, a fault-free settle phase follows. */
  durationMs: number;
  /** The global key space: user ids 0 .. keys-1 (the shard engines name them "key-<id>"). */
  keys: number;
  shards: ShardsSpec;
  network: NetworkSpec;
  workload?: ShardedWorkloadSpec;
  faults?: ShardedFaultSpec[];
  rebalance?: RebalanceSpec;
  transfers?: TransfersSpec;
  /** Window of the per-shard chart series. Default 500. */
  windowMs?: number;
  /** Stop after this many events per shard (a guard). Default 100,000,000. */
  maxEvents?: number;
}
