import { describe, expect, test } from "vitest";
import { ArchitectureError, buildScenario, card, designLabel, validateArchitecture } from "../../src/capstone";

const bank = card("bank-ledger");
const food = card("food-delivery");

/** The one-line message a design is refused with. */
function refusal(design: unknown, c = bank): string {
  try {
    validateArchitecture(design, c);
  } catch (e) {
    expect(e).toBeInstanceOf(ArchitectureError);
    const message = (e as Error).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error("the design was accepted");
}

describe("validateArchitecture", () => {
  test.each([
    [{ replication: "async", replicas: 9 }, "architecture.replicas: must be 0-6, got 9"],
    [{ replication: "raft", replicas: 2 }, 'architecture.replication: must be one of none, async, sync, semi-sync, quorum, got "raft"'],
    [{ replication: "async", replica: 2 }, "architecture.replica: unknown field"],
    [{ replication: "semi-sync", replicas: 2 }, "architecture.acks: must be 1-2"],
    [{ replication: "semi-sync", replicas: 2, acks: 3 }, "architecture.acks: must be 1-2 (at most the number of replicas), got 3"],
    [{ replication: "async", replicas: 2, acks: 1 }, "architecture.acks: only semi-sync counts acks"],
    [{ replication: "none", replicas: 2 }, "architecture.replicas: must be 0 with replication \"none\""],
    [{ replication: "async", replicas: 0 }, "architecture.replicas: must be at least 1"],
    [{ replication: "quorum", replicas: 1 }, "architecture.replicas: a quorum needs at least 3 voters"],
    [{ replication: "async", replicas: 2, witness: true }, "architecture.witness: a witness only votes in quorum replication"],
    [{ replication: "quorum", replicas: 2, failover: { electionTimeoutMs: 300 } }, "architecture.failover: quorum replication has no primary to replace"],
    [{ replication: "async", replicas: 2, failover: { electionTimeoutMs: 5 } }, "architecture.failover.electionTimeoutMs: must be 10-60000 ms, got 5"],
    [{ replication: "async", replicas: 2, failover: { electionTimeoutMs: 300, lease: true } }, "architecture.failover.lease: unknown field"],
    [{ replication: "async", replicas: 1, failover: { electionTimeoutMs: 300 } }, "architecture.failover: with 1 replica"],
    [{ replication: "none", replicas: 0, reads: "replicas" }, "architecture.reads: \"replicas\" needs at least one replica"],
    [{ replication: "async", replicas: 2, reads: "nearest" }, "architecture.reads: must be one of primary, replicas, least-loaded"],
    [{ replication: "none", replicas: 0, analytics: "replicas" }, "architecture.analytics: \"replicas\" needs a primary with at least one replica"],
    [{ replication: "async", replicas: 2, shards: 3 }, "architecture.shards: the bank-ledger card fits one replica set: must be 1"],
    [[1, 2], "architecture: must be an object"],
  ])("%j is refused with one line naming the field", (design, expected) => {
    expect(refusal(design)).toContain(expected);
  });

  test("shards are allowed where the card takes them, up to 8", () => {
    expect(validateArchitecture({ replication: "async", replicas: 1, shards: 4 }, food).shards).toBe(4);
    expect(refusal({ replication: "async", replicas: 1, shards: 9 }, food)).toContain("architecture.shards: must be 1-8, got 9");
    expect(refusal({ replication: "quorum", replicas: 2, shards: 2 }, food)).toContain("architecture.shards: each shard here is a primary with replicas");
  });
});

describe("buildScenario", () => {
  test("one replica set becomes a cluster scenario with the card's traffic, hardware and faults", () => {
    const built = buildScenario(card("social-feed"), { replication: "async", replicas: 3, reads: "least-loaded" });
    expect(built.kind).toBe("cluster");
    if (built.kind !== "cluster") return;
    const s = built.scenario;
    expect(s.nodes.map((n) => `${n.id}:${n.role}:${n.workers}`)).toEqual(["db1:primary:2", "db2:replica:2", "db3:replica:2", "db4:replica:2"]);
    expect(s.workload).toMatchObject({ opsPerSec: 3000, readRatio: 0.95, readFrom: "least-loaded" });
    expect(s.faults).toEqual([{ type: "crash", node: "db2", atMs: 3000, durationMs: 1500 }]);
    expect(s.seed).toBe(card("social-feed").seed);
  });

  test("quorum designs make every data node a voter that takes writes, plus an optional witness", () => {
    const built = buildScenario(bank, { replication: "quorum", replicas: 1, witness: true });
    if (built.kind !== "cluster") throw new Error("expected a cluster scenario");
    expect(built.scenario.nodes.map((n) => `${n.id}:${n.role}`)).toEqual(["db1:primary", "db2:primary", "w1:witness"]);
    expect(built.scenario.replication.mode).toBe("quorum");
  });

  test("reports run where the design puts them", () => {
    const built = buildScenario(card("analytics-warehouse"), { replication: "async", replicas: 1, analytics: "replicas" });
    if (built.kind !== "cluster") throw new Error("expected a cluster scenario");
    expect(built.scenario.workload?.analytics?.on).toBe("replicas");
  });

  test("shards become a sharded scenario: equal user-id ranges, the outage on shard s1", () => {
    const built = buildScenario(food, { replication: "semi-sync", acks: 1, replicas: 2, failover: { electionTimeoutMs: 300 }, shards: 3 });
    expect(built.kind).toBe("sharded");
    if (built.kind !== "sharded") return;
    expect(built.scenario.shards.partitioning).toEqual({ strategy: "range", ranges: [{ from: 0, to: 99 }, { from: 100, to: 199 }, { from: 200, to: 299 }] });
    expect(built.scenario.shards.replicaSet).toMatchObject({ replicas: 2, workers: 2, replication: { mode: "semi-sync", acks: 1 } });
    expect(built.scenario.faults).toEqual([{ type: "shard-down", shard: "s1", atMs: 5000, durationMs: 4000 }]);
  });

  test("a design's label says what it is unless it has a name", () => {
    expect(designLabel({ replication: "semi-sync", acks: 1, replicas: 2, failover: { electionTimeoutMs: 300 } })).toBe("semi-sync(1) ×3 elect 300ms");
    expect(designLabel({ name: "my bank", replication: "async", replicas: 2 })).toBe("my bank");
  });
});
