import { readdirSync } from "fs";
import { describe, expect, it } from "vitest";
import { runCommand } from "../../src/cli/run";
import { kindOf } from "../../src/scenario/catalog";
import { ScenarioError } from "../../src/scenario/errors";
import { loadShardedScenarioFile, parseShardedScenario } from "../../src/sharding/scenario";
import { LECTURE_RANGES, scenario } from "./helpers";

const SHIPPED = readdirSync("data/scenarios").filter((f) => f.startsWith("shard-") && f.endsWith(".json"));

function problem(value: unknown): string {
  try {
    parseShardedScenario(value, "s.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/\n/);
    return message;
  }
  throw new Error("expected a ScenarioError");
}

const ranged = (ranges: unknown) => ({ ...scenario({ keys: 301 }), shards: { count: 3, partitioning: { strategy: "range", ranges }, replicaSet: { replicas: 1, replication: { mode: "async" } } } });

describe("the sharded scenario format", () => {
  it("ships 3 to 5 example files, each of kind sharded and valid", () => {
    expect(SHIPPED.length).toBeGreaterThanOrEqual(3);
    expect(SHIPPED.length).toBeLessThanOrEqual(5);
    for (const f of SHIPPED) {
      expect(kindOf(`data/scenarios/${f}`)).toBe("sharded");
      expect(loadShardedScenarioFile(`data/scenarios/${f}`).name).toBe(f.replace(/\.json$/, ""));
    }
  });

  it("accepts the lecture's three ranges", () => {
    expect(parseShardedScenario(ranged(LECTURE_RANGES)).shards.partitioning).toEqual({ strategy: "range", ranges: LECTURE_RANGES });
  });

  it("names the range that leaves a gap or overlaps, at its field", () => {
    expect(problem(ranged([{ from: 0, to: 100 }, { from: 150, to: 200 }, { from: 201, to: 300 }]))).toBe(
      "s.json: shards.partitioning.ranges[1].from: must be 101 (right after the previous range, which ends at 100), got 150",
    );
    expect(problem(ranged([{ from: 0, to: 100 }, { from: 101, to: 200 }, { from: 201, to: 299 }]))).toBe(
      "s.json: shards.partitioning.ranges[2].to: the last range must end at the last key, 300 (keys is 301), got 299",
    );
    expect(problem(ranged([{ from: 0, to: 300 }]))).toBe("s.json: shards.partitioning.ranges: needs exactly one range per shard (3), got 1");
  });

  it("rejects unknown fields and strategies with the cluster format's words", () => {
    expect(problem({ ...scenario(), shard: {} })).toMatch(/^s\.json: shard: unknown field \(did you mean "shards"\?\)$/);
    expect(problem({ ...scenario(), shards: { ...scenario().shards, partitioning: { strategy: "consistent" } } })).toMatch(/^s\.json: shards\.partitioning\.strategy: /);
    expect(problem({ ...scenario(), shards: { ...scenario().shards, partitioning: { strategy: "consistent-hash" } } })).toBe(
      "s.json: shards.partitioning.virtualNodes: missing required field (expected a number)",
    );
  });

  it("judges the replica set with the cluster engine's own rules, at the sharded path", () => {
    const s = scenario();
    expect(problem({ ...s, shards: { ...s.shards, replicaSet: { replicas: 1, replication: { mode: "semi-sync", acks: 2 } } } })).toBe("s.json: shards.replicaSet.replication.acks: 2 is more than the 1 replica");
  });

  it("checks that faults name shard nodes and shards", () => {
    expect(problem(scenario({ faults: [{ type: "crash", node: "s9-db1", atMs: 10 }] }))).toBe(
      's.json: faults[0].node: "s9-db1" is not a node of this sharded cluster (nodes are s1-db1 .. s3-db2)',
    );
    expect(problem(scenario({ faults: [{ type: "shard-down", shard: "s4", atMs: 10 }] }))).toBe('s.json: faults[0].shard: "s4" is not a shard (shards are s1, s2, s3)');
    expect(problem(scenario({ faults: [{ type: "partition", groups: [["s1-db1"], ["s2-db1"]], atMs: 10 }] }))).toMatch(/^s\.json: faults\[0\]\.groups: a partition must lie inside one shard/);
    // The shard a rebalance adds exists as a fault target.
    expect(() => parseShardedScenario(scenario({ rebalance: { addShardAtMs: 100 }, faults: [{ type: "crash", node: "s4-db2", atMs: 10 }] }))).not.toThrow();
  });

  it("keeps transfers' balances away from workload writes", () => {
    expect(problem(scenario({ transfers: { perSec: 1, protocol: "2pc" } }))).toMatch(/^s\.json: workload\.readRatio: with transfers, the workload may only read/);
  });

  it("runs from the command line and prints the sharded summary", async () => {
    let out = "";
    const code = await runCommand(["data/scenarios/shard-lecture-ranges.json", "--json"], { stdout: (s) => (out += s), stderr: () => {} });
    expect(code).toBe(0);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({ kind: "sharded", scenario: "shard-lecture-ranges", strategy: "range", shards: 3, keysOwned: { s1: 101, s2: 100, s3: 100 } });
    expect(summary.perShard.map((s: { shard: string }) => s.shard)).toEqual(["s1", "s2", "s3"]);
  });
});
