import { describe, expect, it } from "vitest";
import { availabilityPerWindow, type AvailabilityWindow } from "../../src/metrics";
import { ShardedCluster } from "../../src/sharding/cluster";
import { runShardedScenario, shardAvailabilitySeries } from "../../src/sharding/run";
import type { ShardedScenario } from "../../src/sharding/types";
import { scenario } from "./helpers";

function blast(count: number, overrides: Partial<ShardedScenario>): ShardedScenario {
  return scenario({
    durationMs: 6000,
    keys: 3000,
    shards: {
      count,
      partitioning: { strategy: "range", ranges: Array.from({ length: count }, (_, i) => ({ from: (i * 3000) / count, to: ((i + 1) * 3000) / count - 1 })) },
      replicaSet: { replicas: 2, replication: { mode: "semi-sync", acks: 1, failover: { electionTimeoutMs: 300, clientRefreshMs: 100 } } },
    },
    workload: { opsPerSec: 1000, readRatio: 0.5, timeoutMs: 300 },
    windowMs: 250,
    ...overrides,
  });
}

describe("blast radius", () => {
  for (const n of [3, 4]) {
    it(`with one of ${n} shards' whole replica set down and uniform keys, about 1/${n} of requests fail, all on that shard`, () => {
      const { summary } = runShardedScenario(blast(n, { faults: [{ type: "shard-down", shard: "s2", atMs: 0 }] }));
      const failed = summary.operations.failed / summary.operations.attempted;
      expect(Math.abs(failed - 1 / n)).toBeLessThan(0.04);
      expect(summary.perShard[1].availability).toBe(0);
      for (const s of summary.perShard.filter((x) => x.shard !== "s2")) expect(s.availability).toBe(1);
    });
  }

  it("with a replica to fail over to, a primary crash is only a short dip on its own shard", () => {
    const run = runShardedScenario(blast(3, { faults: [{ type: "crash", node: "s2-db1", atMs: 2000 }] }));
    const [s1, s2, s3] = shardAvailabilitySeries(run);
    const dipMs = s2.values.filter((v) => v < 0.99).length * run.windows.windowMs;
    expect(dipMs).toBeGreaterThan(0);
    expect(dipMs).toBeLessThanOrEqual(1500);
    expect(s2.values.slice(-4).every((v) => v === 1)).toBe(true); // recovered: the new primary serves
    for (const other of [s1, s3]) expect(other.values.every((v) => v === 1 || Number.isNaN(v))).toBe(true);
    expect(run.summary.engine.s2.failovers).toBe(1);
    expect(run.summary.operations.failed / run.summary.operations.attempted).toBeLessThan(0.05);
  });

  it("fault windows of every shard come with the run, named by shard node, for shading charts", () => {
    const run = runShardedScenario(blast(3, { durationMs: 2000, faults: [{ type: "shard-down", shard: "s3", atMs: 500, durationMs: 500 }] }));
    expect(run.faults.map((f) => [f.label, f.startMs, f.endMs])).toEqual([
      ["crash s3-db1", 500, 1000],
      ["crash s3-db2", 500, 1000],
      ["crash s3-db3", 500, 1000],
    ]);
  });

  it("each shard's own event stream feeds the cluster metric operators (subscribe before running)", () => {
    const cluster = new ShardedCluster(blast(3, { durationMs: 3000, faults: [{ type: "shard-down", shard: "s3", atMs: 1000, durationMs: 1000 }] }));
    const s3: AvailabilityWindow[] = [];
    const s1: AvailabilityWindow[] = [];
    cluster.shards[2].simulation.batches$.pipe(availabilityPerWindow(500)).subscribe((w) => s3.push(w));
    cluster.shards[0].simulation.batches$.pipe(availabilityPerWindow(500)).subscribe((w) => s1.push(w));
    cluster.run();
    // s3 down over [1000, 2000): its engine sees every operation fail there; the other shards never notice.
    expect(s3.slice(0, 4).map((w) => w.ratio)).toEqual([1, 1, 0, 0]);
    expect(s3.slice(2, 4).every((w) => w.attempted > 0)).toBe(true);
    expect(s1.every((w) => w.ratio === 1 || w.attempted === 0)).toBe(true);
  });
});
