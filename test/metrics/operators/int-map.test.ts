import { describe, expect, it } from "vitest";
import { IntMap } from "../../../src/metrics/operators/int-map";

describe("IntMap", () => {
  it("stores, replaces and takes values by integer key", () => {
    const m = new IntMap();
    m.set(7, 1.5);
    m.set(7, 2.5);
    m.set(0, -3);
    expect(m.size).toBe(2);
    expect(m.take(7)).toBe(2.5);
    expect(m.take(7)).toBeUndefined();
    expect(m.take(0)).toBe(-3);
    expect(m.size).toBe(0);
  });

  it("agrees with a Map under random colliding inserts and deletes, and stays small", () => {
    const m = new IntMap();
    const ref = new Map<number, number>();
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let step = 0; step < 50_000; step++) {
      // Keys that share low bits collide on purpose: multiples of 64 all want the same slot at first.
      const key = next() % 2 === 0 ? (next() % 40) * 64 : next() % 100;
      if (next() % 3 === 0) {
        expect(m.take(key)).toBe(ref.get(key));
        ref.delete(key);
      } else {
        m.set(key, step);
        ref.set(key, step);
      }
      if (step % 100 === 0) expect(m.size).toBe(ref.size);
    }
    for (const [key, value] of ref) expect(m.take(key)).toBe(value);
    expect(m.size).toBe(0);
    expect(m.capacity).toBeLessThanOrEqual(512); // at most 140 distinct keys were ever held
  });

  it("grows past its first capacity without losing entries", () => {
    const m = new IntMap();
    for (let k = 0; k < 1000; k++) m.set(k * 3, k);
    for (let k = 0; k < 1000; k++) expect(m.take(k * 3)).toBe(k);
  });
});
