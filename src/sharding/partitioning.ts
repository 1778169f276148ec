import { hashKey, ringPoint } from "./hashing";
import type { KeyRange, PartitioningSpec, PartitioningStrategy } from "./types";

/**
 * Where each key lives: a pure function from key to shard index (0-based), and what the function
 * becomes when one shard is added. The shard map (`shard-map.ts`) materialises it per key and adds
 * versions and moves; the strategies only answer "who should own this key".
 */
export interface Partitioning {
  readonly strategy: PartitioningStrategy;
  readonly shardCount: number;
  ownerOf(key: number): number;
  /** The partitioning with shard `shardCount` (the new one) added. */
  withShardAdded(): Partitioning;
}

/** Builds the strategy a scenario names. `ringSeed` places consistent-hash rings (ignored otherwise). */
export function partitioning(spec: PartitioningSpec, shardCount: number, ringSeed = 0): Partitioning {
  switch (spec.strategy) {
    case "range":
      return new RangePartitioning(spec.ranges.map((r) => ({ ...r })));
    case "hash":
      return new ModuloPartitioning(shardCount);
    case "consistent-hash":
      return new ConsistentHashRing(shardCount, spec.virtualNodes, ringSeed);
  }
}

/**
 * The lecture's example: ids 0-100 on s1, 101-200 on s2, 201-300 on s3. Ranges are sorted by key;
 * `owners[i]` owns `ranges[i]` (after a split the new shard owns a range in the middle).
 */
export class RangePartitioning implements Partitioning {
  readonly strategy = "range";
  readonly owners: readonly number[];

  constructor(
    readonly ranges: readonly KeyRange[],
    owners?: readonly number[],
  ) {
    this.owners = owners ?? ranges.map((_, i) => i);
  }

  get shardCount(): number {
    return this.owners.length;
  }

  ownerOf(key: number): number {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.ranges[mid].from <= key) lo = mid;
      else hi = mid - 1;
    }
    return this.owners[lo];
  }

  /** Splits the range with the most keys; its upper half goes to the new shard (only those keys move). */
  withShardAdded(): Partitioning {
    const sizes = this.ranges.map((r) => r.to - r.from + 1);
    const widest = sizes.indexOf(Math.max(...sizes));
    const r = this.ranges[widest];
    const mid = r.from + Math.ceil(sizes[widest] / 2);
    const ranges = [...this.ranges.slice(0, widest), { from: r.from, to: mid - 1 }, { from: mid, to: r.to }, ...this.ranges.slice(widest + 1)];
    const owners = [...this.owners.slice(0, widest + 1), this.shardCount, ...this.owners.slice(widest + 1)];
    return new RangePartitioning(ranges, owners);
  }
}

/** hash(key) mod N: even spread, but adding a shard re-maps almost everything. */
export class ModuloPartitioning implements Partitioning {
  readonly strategy = "hash";

  constructor(readonly shardCount: number) {}

  ownerOf(key: number): number {
    return hashKey(key) % this.shardCount;
  }

  withShardAdded(): Partitioning {
    return new ModuloPartitioning(this.shardCount + 1);
  }
}

/**
 * Karger et al.'s ring: each shard has `virtualNodes` points on a 32-bit circle; a key belongs to
 * the first point at or after its hash (wrapping around). A new shard only takes keys from its own
 * points' predecessors, so about 1/(N+1) of the keys move; more virtual nodes even out both the
 * load and the amount moved.
 */
export class ConsistentHashRing implements Partitioning {
  readonly strategy = "consistent-hash";
  private readonly points: Float64Array;
  private readonly owners: Int32Array;

  constructor(
    readonly shardCount: number,
    readonly virtualNodes: number,
    private readonly ringSeed: number,
  ) {
    const all: { pos: number; shard: number }[] = [];
    for (let s = 0; s < shardCount; s++) for (let v = 0; v < virtualNodes; v++) all.push({ pos: ringPoint(ringSeed, s, v), shard: s });
    // Ties (two equal points) break by shard index: the ring is the same whatever the insertion order.
    all.sort((a, b) => a.pos - b.pos || a.shard - b.shard);
    this.points = Float64Array.from(all, (p) => p.pos);
    this.owners = Int32Array.from(all, (p) => p.shard);
  }

  ownerOf(key: number): number {
    const h = hashKey(key);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid] < h) lo = mid + 1;
      else hi = mid;
    }
    return this.owners[lo === this.points.length ? 0 : lo];
  }

  withShardAdded(): Partitioning {
    return new ConsistentHashRing(this.shardCount + 1, this.virtualNodes, this.ringSeed);
  }
}

/** The owner of every key 0 .. keys-1. */
export function assignment(p: Partitioning, keys: number): Int32Array {
  const owners = new Int32Array(keys);
  for (let k = 0; k < keys; k++) owners[k] = p.ownerOf(k);
  return owners;
}

/** Keys whose owner differs between two partitionings (what adding a shard must move). */
export function movedKeys(before: Partitioning, after: Partitioning, keys: number): number[] {
  const moved: number[] = [];
  for (let k = 0; k < keys; k++) if (before.ownerOf(k) !== after.ownerOf(k)) moved.push(k);
  return moved;
}
