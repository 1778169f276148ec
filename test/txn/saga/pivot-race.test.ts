import { describe, expect, it } from "vitest";
import { pivotRace } from "../../../src/txn/saga/pivot-race";
import type { SagaStyle } from "../../../src/txn/saga/types";

/** Decision times straddling the saga's timeout (about 4.5 s orchestrated, 5 s choreographed), every 5 ms. */
function around(style: SagaStyle): number[] {
  const centre = style === "orchestrated" ? 4510 : 5010;
  return Array.from({ length: 41 }, (_, i) => centre - 100 + 5 * i);
}

describe("the pivot race (the restaurant confirms around the timeout)", () => {
  for (const style of ["orchestrated", "choreographed"] as const) {
    it(`keeps the restaurant and the payment in agreement at every decision time (${style})`, () => {
      for (const decisionMs of around(style)) {
        const r = pivotRace({ handling: "pivot", decisionMs, style });
        expect(r.consistent, `decision at ${decisionMs} ms: ${r.story}`).toBe(true);
        expect(r.outcome, `decision at ${decisionMs} ms`).toBe(r.restaurant === "confirmed" ? "completed" : "compensated");
      }
    });

    it(`resolves the race both ways: a confirmation just before the cancel goes forward, just after is refused (${style})`, () => {
      const results = around(style).map((decisionMs) => pivotRace({ handling: "pivot", decisionMs, style }));
      const raced = results.filter((r) => r.timedOutAtMs !== null);
      expect(raced.some((r) => r.restaurant === "confirmed" && r.hold === "captured")).toBe(true);
      expect(raced.some((r) => r.restaurant === "cancelled" && r.hold === "released")).toBe(true);
      expect(results.some((r) => r.timedOutAtMs === null)).toBe(true);
    });

    it(`shows the lecture's naive timeout cooking a meal nobody pays for (${style})`, () => {
      const broken = around(style)
        .map((decisionMs) => pivotRace({ handling: "naive", decisionMs, style }))
        .filter((r) => !r.consistent);
      expect(broken.length).toBeGreaterThan(0);
      expect(broken[0]).toMatchObject({ restaurant: "confirmed", hold: "released" });
      expect(broken[0].story).toMatch(/nobody|cooked/);
    });
  }

  it("tells the story in one sentence", () => {
    expect(pivotRace({ handling: "pivot", decisionMs: 1000 }).story).toBe("the kitchen confirmed in time: the saga captured the money");
  });
});
