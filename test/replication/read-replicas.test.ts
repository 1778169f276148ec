import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/types";
import { run } from "../helpers/scenario";

const capacity = { workers: 2, serviceTimeMs: { dist: "exponential" as const, mean: 2 } };

/** Closed-loop clients, 90% reads, on nodes of finite capacity: reads go to the least loaded replica. */
function readScaling(replicas: number): Scenario {
  return {
    format: 1,
    name: "read-scaling",
    seed: 1,
    durationMs: 4000,
    nodes: [
      { id: "db1", role: "primary", ...capacity },
      ...Array.from({ length: replicas }, (_, i) => ({ id: `db${i + 2}`, role: "replica" as const, ...capacity })),
    ],
    replication: { mode: "async" },
    network: { latencyMs: { dist: "exponential", mean: 1 } },
    workload: { clients: 200, readRatio: 0.9, keys: 100, readFrom: replicas > 0 ? "least-loaded" : "primary", timeoutMs: 5000 },
  };
}

/** Analytics queries (500 ms each, 5 per second) on the primary or on the replica. */
function analytics(on: "primary" | "replicas", mode: "async" | "sync"): Scenario {
  const node = { workers: 4, serviceTimeMs: { dist: "exponential" as const, mean: 1 } };
  return {
    format: 1,
    name: "analytics",
    seed: 1,
    durationMs: 8000,
    nodes: [
      { id: "db1", role: "primary", ...node },
      { id: "db2", role: "replica", ...node },
    ],
    replication: { mode },
    network: { latencyMs: { dist: "exponential", mean: 1 } },
    workload: { opsPerSec: 1500, readRatio: 0.5, keys: 100, readFrom: "replicas", analytics: { queriesPerSec: 5, serviceTimeMs: { dist: "constant", value: 500 }, on } },
  };
}

describe("read replicas", () => {
  it("scale read throughput with more replicas until the primary saturates on writes", () => {
    const readsPerSec = [0, 1, 2, 4, 8, 16, 24].map((n) => run(readScaling(n)).summary.reads.ok / 4);
    // Grows almost linearly at first...
    expect(readsPerSec[2]).toBeGreaterThan(1.6 * readsPerSec[1]);
    expect(readsPerSec[3]).toBeGreaterThan(1.6 * readsPerSec[2]);
    // ...then flattens: the primary, which takes every write, is the bottleneck.
    expect(readsPerSec[6]).toBeLessThan(1.25 * readsPerSec[5]); // 1.5x the replicas, far less than 1.5x the reads
  });

  it("serve stale reads when they lag, and none when reads go to the primary", () => {
    expect(run(readScaling(0)).summary.staleReads).toBe(0);
    const { summary } = run(readScaling(2));
    expect(summary.staleReads).toBeGreaterThan(0);
    expect(summary.staleness.entriesBehindMax).toBeGreaterThan(0);
    expect(summary.staleness.msBehindMax).toBeGreaterThan(0);
  });
});

describe("analytics offload", () => {
  it("slows the primary's writes when reports run on the primary", () => {
    const onPrimary = run(analytics("primary", "async")).summary;
    const onReplica = run(analytics("replicas", "async")).summary;
    expect(onPrimary.writeLatencyMs.p99!).toBeGreaterThan(10 * onReplica.writeLatencyMs.p99!);
  });

  it("raises the async replica's lag and its read latency instead when reports run there", () => {
    const onPrimary = run(analytics("primary", "async")).summary;
    const onReplica = run(analytics("replicas", "async")).summary;
    expect(onReplica.lagMs.db2.p99!).toBeGreaterThan(2.5 * onPrimary.lagMs.db2.p99!);
    expect(onReplica.readLatencyMs.p99!).toBeGreaterThan(2 * onPrimary.readLatencyMs.p99!);
  });

  it("slows the primary's writes under sync replication even when reports run on the replica", () => {
    const asyncWrites = run(analytics("replicas", "async")).summary.writeLatencyMs.p50!;
    const syncWrites = run(analytics("replicas", "sync")).summary.writeLatencyMs.p50!;
    expect(syncWrites).toBeGreaterThan(10 * asyncWrites);
  });
});
