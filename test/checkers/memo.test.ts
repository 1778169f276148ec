import { describe, expect, it } from "vitest";
import { ConfigurationMemo, LinearizedSet } from "../../src/checkers/memo";

function encoding(set: LinearizedSet): number[] {
  const out = new Uint32Array(set.maxEncodedLength);
  return Array.from(out.subarray(0, set.encode(out)));
}

function setOf(okCount: number, infoCount: number, members: Iterable<number>): LinearizedSet {
  const set = new LinearizedSet(okCount, infoCount);
  for (const id of members) set.add(id);
  return set;
}

describe("LinearizedSet", () => {
  it("encodes the same members the same way, whatever adds and deletes led there", () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const okCount = 150;
    const infoCount = 40;
    const set = new LinearizedSet(okCount, infoCount);
    const members = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const id = random(okCount + infoCount);
      if (members.has(id)) {
        set.delete(id);
        members.delete(id);
      } else {
        set.add(id);
        members.add(id);
      }
      const fresh = setOf(okCount, infoCount, members);
      expect(encoding(set)).toEqual(encoding(fresh));
      expect(set.hash).toBe(fresh.hash);
    }
  });

  it("encodes different sets differently", () => {
    expect(encoding(setOf(64, 0, [0, 1]))).not.toEqual(encoding(setOf(64, 0, [0, 2])));
    expect(encoding(setOf(64, 0, [40]))).not.toEqual(encoding(setOf(64, 0, [])));
    expect(encoding(setOf(10, 10, [10]))).not.toEqual(encoding(setOf(10, 10, [])));
  });

  it("stores a long run of linearized operations in a couple of words", () => {
    const run = Array.from({ length: 9984 }, (_, i) => i); // 312 full words
    expect(encoding(setOf(20_000, 0, run))).toHaveLength(1);
    expect(encoding(setOf(20_000, 0, [...run, 10_040]))).toHaveLength(3);
  });
});

describe("ConfigurationMemo", () => {
  const memoFor = (set: LinearizedSet): ConfigurationMemo<number> =>
    new ConfigurationMemo<number>(set.maxEncodedLength, (a, b) => a === b, (s) => s);

  it("recognises a configuration it has seen, and only that one", () => {
    const set = setOf(100, 5, [1, 2, 3]);
    const memo = memoFor(set);
    expect(memo.addIfNew(set, 7)).toBe(true);
    expect(memo.addIfNew(set, 7)).toBe(false);
    expect(memo.addIfNew(set, 8)).toBe(true);
    set.add(101);
    expect(memo.addIfNew(set, 7)).toBe(true);
    set.delete(101);
    expect(memo.addIfNew(set, 7)).toBe(false);
    expect(memo.size).toBe(3);
  });

  it("keeps every one of many thousands of configurations", () => {
    const set = new LinearizedSet(3000, 0);
    const memo = memoFor(set);
    for (let id = 0; id < 3000; id++) {
      set.add(id);
      expect(memo.addIfNew(set, id % 3)).toBe(true);
    }
    for (let id = 2999; id >= 0; id--) {
      expect(memo.addIfNew(set, id % 3)).toBe(false);
      set.delete(id);
    }
    expect(memo.size).toBe(3000);
  });
});
