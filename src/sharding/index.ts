/**
 * Sharding with a replica set per shard: the public API for notebooks (`import { sharding } from "replicalab"`).
 *
 * - `loadShardedScenarioFile`, `parseShardedScenario`: the `"kind": "sharded"` scenario format.
 * - `runShardedScenario`: run to a summary, per-shard chart windows and fault windows;
 *   `shardAvailabilitySeries`, `shardThroughputSeries` shape them for the chart builders.
 * - `ShardedCluster`: the lockstep engine itself (one cluster `Simulation` per shard), for live views
 *   and for subscribing to a shard's event stream before running.
 * - `partitioning`, `movedKeys`, `assignment`: the strategies as pure functions (keys moved by adding a shard).
 * - `checkShardInvariants`: at most one writable owner per key, no key without an owner, bounded
 *   no-writable-owner windows; a pure function of a snapshot (`ShardedCluster.invariantView()`).
 */
export type * from "./types";
export { loadShardedScenarioFile, parseShardedScenario, shardedScenarioSchema } from "./scenario";
export { runShardedScenario, shardAvailabilitySeries, shardThroughputSeries, summarizeSharded, type ShardedRunOptions, type ShardedRunResult, type ShardedSummary } from "./run";
export { ShardedCluster, SHARDING_BUGS, DEFAULT_SETTLE_MS, type Shard, type ShardedClusterOptions, type ShardingBug } from "./cluster";
export { partitioning, assignment, movedKeys, RangePartitioning, ModuloPartitioning, ConsistentHashRing, type Partitioning } from "./partitioning";
export { checkShardInvariants, type ShardInvariantOptions, type ShardInvariantView, type ShardViolation, type ShardViolationKind } from "./invariants";
export { ShardMap } from "./shard-map";
export { keyChooser, zipfCdf } from "./key-chooser";
export { shardScenario, shardNames, shardNodeIds } from "./shard-scenario";
export { commitScenario, planTransfers, type Transfer, type TransferDecision } from "./transfers";
export type { ShardSummary } from "./metrics";
export { ScenarioError } from "../scenario/errors";
