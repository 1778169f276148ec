import { describe, expect, it } from "vitest";
import { EventHash } from "../../src/sim/event-hash";

describe("EventHash", () => {
  it("is a pure function of the event rows", () => {
    const a = new EventHash();
    const b = new EventHash();
    for (const h of [a, b]) {
      h.add(1, 1000, 2, 3, 4, 5);
      h.add(2, 1500, 0.5, NaN, -1, 0);
    }
    expect(a.digest()).toBe(b.digest());
    expect(a.digest()).toMatch(/^[0-9a-f]{16}$/);
  });

  it("changes when one field, the order, or a time changes", () => {
    const digest = (rows: number[][]) => {
      const h = new EventHash();
      rows.forEach((r) => h.add(r[0], r[1], r[2], r[3], r[4], r[5]));
      return h.digest();
    };
    const base = digest([[1, 10, 1, 2, 3, 4], [2, 20, 5, 6, 7, 8]]);
    expect(digest([[1, 10, 1, 2, 3, 4], [2, 20, 5, 6, 7, 9]])).not.toBe(base);
    expect(digest([[2, 20, 5, 6, 7, 8], [1, 10, 1, 2, 3, 4]])).not.toBe(base);
    expect(digest([[1, 11, 1, 2, 3, 4], [2, 20, 5, 6, 7, 8]])).not.toBe(base);
  });
});
