import { mean } from "lodash";
import { describe, expect, it } from "vitest";
import { runShardedScenario } from "../../src/sharding/run";
import { assignment, ConsistentHashRing, ModuloPartitioning, movedKeys, partitioning, RangePartitioning } from "../../src/sharding/partitioning";
import { LECTURE_RANGES, scenario } from "./helpers";

const KEYS = 20_000;

function std(xs: number[]): number {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
}

describe("partitioning strategies", () => {
  it("range: the lecture's users 0-100, 101-200, 201-300 on s1, s2, s3", () => {
    const p = new RangePartitioning(LECTURE_RANGES);
    expect([0, 100, 101, 200, 201, 300].map((k) => p.ownerOf(k))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it("range: adding a shard splits the widest range; only its upper half moves, to the new shard", () => {
    const before = new RangePartitioning([{ from: 0, to: 99 }, { from: 100, to: 299 }, { from: 300, to: 399 }]);
    const after = before.withShardAdded();
    const moved = movedKeys(before, after, 400);
    expect(moved).toEqual(Array.from({ length: 100 }, (_, i) => 200 + i));
    expect(new Set(moved.map((k) => after.ownerOf(k)))).toEqual(new Set([3]));
  });

  for (const n of [2, 3, 4, 8]) {
    it(`modulo hashing moves about N/(N+1) of the keys going from ${n} to ${n + 1} shards`, () => {
      const moved = movedKeys(new ModuloPartitioning(n), new ModuloPartitioning(n + 1), KEYS).length / KEYS;
      expect(moved).toBeCloseTo(n / (n + 1), 1);
      expect(Math.abs(moved - n / (n + 1))).toBeLessThan(0.02);
    });

    it(`consistent hashing (256 virtual nodes) moves about 1/(N+1) going from ${n} to ${n + 1} shards, all to the new one`, () => {
      const before = new ConsistentHashRing(n, 256, 7);
      const after = before.withShardAdded();
      const moved = movedKeys(before, after, KEYS);
      expect(Math.abs(moved.length / KEYS - 1 / (n + 1))).toBeLessThan(0.05);
      expect(moved.every((k) => after.ownerOf(k) === n)).toBe(true);
    });
  }

  it("consistent hashing: the spread of the moved fraction shrinks as virtual nodes grow", () => {
    const spread = (vnodes: number) => std(Array.from({ length: 40 }, (_, seed) => movedKeys(new ConsistentHashRing(4, vnodes, seed), new ConsistentHashRing(5, vnodes, seed), 5000).length / 5000));
    const [one, sixteen, twoFiftySix] = [spread(1), spread(16), spread(256)];
    expect(one).toBeGreaterThan(sixteen * 1.5);
    expect(sixteen).toBeGreaterThan(twoFiftySix * 1.5);
    expect(twoFiftySix).toBeLessThan(0.03);
  });

  it("every strategy gives every key exactly one owner among the shards", () => {
    for (const p of [partitioning({ strategy: "hash" }, 5), partitioning({ strategy: "consistent-hash", virtualNodes: 8 }, 5, 3), new RangePartitioning(LECTURE_RANGES)]) {
      const owners = assignment(p, 301);
      expect(owners.every((o) => o >= 0 && o < p.shardCount)).toBe(true);
    }
  });
});

describe("hot spots", () => {
  const zipf = (strategy: "range" | "hash") =>
    runShardedScenario(
      scenario({
        durationMs: 3000,
        keys: 1000,
        shards: {
          count: 4,
          partitioning: strategy === "range" ? { strategy, ranges: [0, 1, 2, 3].map((i) => ({ from: i * 250, to: i * 250 + 249 })) } : { strategy },
          replicaSet: { replication: { mode: "none" } },
        },
        workload: { opsPerSec: 2000, readRatio: 0.8, distribution: { type: "zipf", exponent: 1.1 } },
      }),
    ).summary;

  it("Zipf keys under range partitioning pile onto the first shard; a hash spreads them", () => {
    const range = zipf("range");
    const hash = zipf("hash");
    expect(range.loadImbalance).toBeGreaterThan(2.5);
    expect(range.perShard[0].operations).toBeGreaterThan(0.6 * range.operations.attempted);
    expect(hash.loadImbalance).toBeLessThan(1.6);
  });

  it("uniform keys load the shards evenly", () => {
    const s = runShardedScenario(scenario({ durationMs: 3000, keys: 30_000, workload: { opsPerSec: 2000, readRatio: 0.5 } })).summary;
    expect(s.loadImbalance).toBeLessThan(1.1);
  });
});
