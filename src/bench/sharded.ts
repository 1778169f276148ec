import { runShardedScenario } from "../sharding/run";
import type { ShardedScenario } from "../sharding/types";

/**
 * The sharding benchmark: 4 shards (primary + 2 async replicas each) behind a consistent-hash router
 * (64 virtual nodes), 10,000 operations per second of virtual time (half writes), 10,000 keys. The
 * router advances the four shard engines in lockstep 1 ms slices, so this measures the cost of the
 * lockstep on top of the engines themselves. Runs in its own process (see index.ts) for peak memory.
 */
export function shardedBenchScenario(operations: number): ShardedScenario {
  return {
    format: 1,
    kind: "sharded",
    name: "bench-sharded-4",
    seed: 1,
    durationMs: (operations / 10_000) * 1000,
    keys: 10_000,
    maxEvents: 1_000_000_000,
    shards: {
      count: 4,
      partitioning: { strategy: "consistent-hash", virtualNodes: 64 },
      replicaSet: { replicas: 2, replication: { mode: "async" } },
    },
    network: { latencyMs: { dist: "exponential", mean: 2 } },
    workload: { opsPerSec: 10_000, readRatio: 0.5 },
  };
}

export interface ShardedMeasurement {
  operations: number;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  nsPerOperation: number;
  peakRssMb: number;
  eventHash: string;
}

export function measureSharded(operations: number): ShardedMeasurement {
  const scenario = shardedBenchScenario(operations);
  const start = process.hrtime.bigint();
  const { summary } = runShardedScenario(scenario);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  return {
    operations: summary.operations.attempted,
    events: summary.events,
    wallMs: Math.round(wallMs),
    eventsPerSec: Math.round((summary.events / wallMs) * 1000),
    nsPerOperation: Math.round((wallMs * 1e6) / Math.max(1, summary.operations.attempted)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    eventHash: summary.eventHash,
  };
}

if (require.main === module) {
  process.stdout.write(JSON.stringify(measureSharded(Number(process.argv[2] ?? 100_000))) + "\n");
}
