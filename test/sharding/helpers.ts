import type { ShardedScenario } from "../../src/sharding/types";

/** A small sharded scenario for tests: `count` range-free shards, uniform keys, overridable. */
export function scenario(overrides: Partial<ShardedScenario> = {}): ShardedScenario {
  return {
    format: 1,
    kind: "sharded",
    name: "test",
    seed: 1,
    durationMs: 5000,
    keys: 300,
    shards: { count: 3, partitioning: { strategy: "hash" }, replicaSet: { replicas: 1, replication: { mode: "async" } } },
    network: { latencyMs: { dist: "exponential", mean: 2 }, clientLatencyMs: { dist: "constant", value: 5 } },
    workload: { opsPerSec: 400, readRatio: 0.5 },
    ...overrides,
  };
}

export const LECTURE_RANGES = [
  { from: 0, to: 100 },
  { from: 101, to: 200 },
  { from: 201, to: 300 },
];
