import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/types";
import { cluster, run, seeds } from "../helpers/scenario";
import { replicasDifferingFromPrimary } from "../helpers/convergence";

/** Under load, the primary crashes; the most up-to-date replica is promoted a little later. */
function crashThenPromote(mode: Scenario["replication"]["mode"], seed: number, acks?: number): Scenario {
  return cluster({
    seed,
    durationMs: 4000,
    replication: { mode, ...(acks ? { acks } : {}) },
    network: { latencyMs: { dist: "exponential", mean: 5 }, links: [{ from: "db1", to: "db3", latencyMs: { dist: "exponential", mean: 30 } }] },
    workload: { opsPerSec: 2000, readRatio: 0.2, keys: 50, stopAtMs: 3000 },
    faults: [{ atMs: 1500, type: "crash", node: "db1" }],
    script: [{ atMs: 1600, op: "promote", node: "db2" }],
  });
}

describe("replication modes", () => {
  it("sync never loses an acknowledged write across a crash and a promote (30 seeds)", () => {
    for (const seed of seeds(30)) {
      const { summary } = run(crashThenPromote("sync", seed));
      expect(summary.lostAcknowledgedWrites, `seed ${seed}`).toBe(0);
      expect(summary.writes.acknowledged, `seed ${seed}`).toBeGreaterThan(1000);
    }
  });

  it("async under load loses acknowledged writes, and every lost write was counted at risk (30 seeds)", () => {
    let lostTotal = 0;
    for (const seed of seeds(30)) {
      const { summary } = run(crashThenPromote("async", seed));
      expect(summary.lostAcknowledgedWrites, `seed ${seed}`).toBeLessThanOrEqual(summary.atRiskWrites);
      lostTotal += summary.lostAcknowledgedWrites;
    }
    expect(lostTotal).toBeGreaterThan(0);
  });

  it("semi-sync with one ack loses nothing when the promoted replica is the one that acknowledged", () => {
    // db3 is slow, so db2 is the one acknowledging; promoting db2 keeps every acknowledged write.
    for (const seed of seeds(10)) expect(run(crashThenPromote("semi-sync", seed, 1)).summary.lostAcknowledgedWrites, `seed ${seed}`).toBe(0);
  });

  it("orders write latency: async < semi-sync < sync", () => {
    const p50 = (mode: Scenario["replication"]["mode"], acks?: number) =>
      run(cluster({ replication: { mode, ...(acks ? { acks } : {}) }, durationMs: 3000 })).summary.writeLatencyMs.p50!;
    const asyncP50 = p50("async");
    const semiP50 = p50("semi-sync", 1);
    const syncP50 = p50("sync");
    expect(asyncP50).toBeLessThan(semiP50);
    expect(semiP50).toBeLessThan(syncP50);
  });

  it("sync blocks writes while a replica is down, until the client times out", () => {
    const { summary } = run(cluster({ replication: { mode: "sync" }, faults: [{ atMs: 1000, type: "crash", node: "db3" }] }));
    expect(summary.errors.timeout).toBeGreaterThan(100);
    expect(summary.writeAvailability!).toBeLessThan(0.4);
  });

  it("sync with fallbackToAsyncAfterMs keeps accepting writes when a replica is down", () => {
    const { summary } = run(
      cluster({ replication: { mode: "sync", fallbackToAsyncAfterMs: 200 }, faults: [{ atMs: 1000, type: "crash", node: "db3" }] }),
    );
    expect(summary.writeAvailability!).toBeGreaterThan(0.9);
  });

  it("rejects writes sent straight to a replica, and applies nothing", () => {
    const { summary, simulation } = run(
      cluster({ workload: undefined, script: [{ atMs: 10, op: "set", key: "x", value: 1, node: "db2" }], durationMs: 500 }),
      { state: true },
    );
    expect(summary.errors["read-only"]).toBe(1);
    expect(Object.values(summary.state!).every((store) => !("x" in store))).toBe(true);
    expect(simulation.nodes[1].log.lastIndex).toBe(0);
  });

  it("refuses an add that would go below its floor", () => {
    const { summary } = run(
      cluster({
        workload: undefined,
        durationMs: 500,
        script: [
          { atMs: 10, op: "set", key: "balance", value: 120 },
          { atMs: 50, op: "add", key: "balance", amount: -100, floor: 0 },
          { atMs: 100, op: "add", key: "balance", amount: -50, floor: 0 },
        ],
      }),
      { state: true },
    );
    expect(summary.errors.floor).toBe(1);
    expect(summary.state!.db1.balance).toBe(20);
    expect(summary.state!.db2.balance).toBe(20);
  });
});

describe("convergence", () => {
  it("brings every replica to the primary's state once faults heal (lossy links, crashes, partitions; 20 seeds)", () => {
    for (const seed of seeds(20)) {
      const s = cluster({
        seed,
        durationMs: 6000,
        network: { latencyMs: { dist: "exponential", mean: 5 }, lossRate: 0.05 },
        workload: { opsPerSec: 500, readRatio: 0.2, keys: 30, writeOp: "add", stopAtMs: 4000 },
        faults: [
          { atMs: 500, type: "crash", node: "db2", durationMs: 1500 },
          { atMs: 1000, type: "partition", groups: [["db1", "db2"], ["db3"]], durationMs: 1000 },
          { atMs: 2500, type: "cut", from: "db1", to: "db3", oneWay: true, durationMs: 500 },
        ],
      });
      const { simulation } = run(s);
      expect(replicasDifferingFromPrimary(simulation), `seed ${seed}`).toEqual([]);
      expect(simulation.nodes.every((n) => n.appliedIndex <= simulation.nodes[0].log.lastIndex), `seed ${seed}`).toBe(true);
    }
  });

  it("re-seeds a replica from a snapshot when it fell behind the retained log", () => {
    const s = cluster({
      durationMs: 4000,
      replication: { mode: "async", logRetentionEntries: 100 },
      workload: { opsPerSec: 1000, readRatio: 0, keys: 30, stopAtMs: 3000 },
      faults: [{ atMs: 500, type: "crash", node: "db3", durationMs: 1500 }],
    });
    const { simulation } = run(s);
    expect(replicasDifferingFromPrimary(simulation)).toEqual([]);
    expect(simulation.nodes[0].log.retained).toBeLessThanOrEqual(200);
  });

  it("takes an old primary back as a replica and discards its unreplicated writes", () => {
    const s = cluster({
      durationMs: 5000,
      workload: { opsPerSec: 1000, readRatio: 0, keys: 30, stopAtMs: 4000 },
      network: { latencyMs: { dist: "exponential", mean: 5 }, links: [{ from: "db1", to: "db3", latencyMs: { dist: "constant", value: 40 } }] },
      faults: [{ atMs: 1000, type: "crash", node: "db1", durationMs: 1000 }],
      script: [{ atMs: 1100, op: "promote", node: "db2" }],
    });
    const { simulation } = run(s);
    expect(simulation.nodes[0].role).toBe("replica");
    expect(replicasDifferingFromPrimary(simulation)).toEqual([]);
  });
});

describe("replaying commands", () => {
  const stamped = (log: "statement" | "row") =>
    cluster({
      workload: undefined,
      durationMs: 1000,
      replication: { mode: "async", log },
      script: [
        { atMs: 10, op: "set-now", key: "last_login" },
        { atMs: 20, op: "set-random", key: "coupon" },
        { atMs: 30, op: "add", key: "balance", amount: 100 },
      ],
    });

  it("diverges when a statement log ships commands that read the clock or a random number", () => {
    const { summary } = run(stamped("statement"), { state: true });
    expect(summary.divergentKeys).toBe(2);
    expect(summary.state!.db2.last_login).not.toBe(summary.state!.db1.last_login);
    expect(summary.state!.db2.balance).toBe(summary.state!.db1.balance);
  });

  it("stays identical when a row log ships the values the primary computed", () => {
    const { summary } = run(stamped("row"), { state: true });
    expect(summary.divergentKeys).toBe(0);
    expect(summary.state!.db2).toEqual(summary.state!.db1);
  });
});
