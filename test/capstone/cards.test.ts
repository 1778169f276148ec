import { describe, expect, test } from "vitest";
import { CARDS, card, describeFaults, formatValue } from "../../src/capstone";

describe("requirement cards", () => {
  test("there are four, each with a story, a fixed seed and at least one bounded requirement", () => {
    expect(CARDS.map((c) => c.id)).toEqual(["bank-ledger", "social-feed", "analytics-warehouse", "food-delivery"]);
    for (const c of CARDS) {
      expect(c.story.length).toBeGreaterThan(50);
      expect(Number.isInteger(c.seed)).toBe(true);
      expect(c.requirements.length).toBeGreaterThan(0);
      for (const r of c.requirements) expect((r.atMost === undefined) !== (r.atLeast === undefined)).toBe(true);
    }
  });

  test("an unknown card is one line listing the cards that exist", () => {
    expect(() => card("bank")).toThrow('no requirement card "bank" (cards: bank-ledger, social-feed, analytics-warehouse, food-delivery)');
  });

  test("fault schedules and values read as words", () => {
    expect(describeFaults(card("bank-ledger"))).toEqual(["4 s: the primary crashes (back at 7 s)"]);
    expect(formatValue("availability", 0.93548)).toBe("93.5%");
    expect(formatValue("writeP99Ms", 29.375)).toBe("29.4 ms");
    expect(formatValue("opsPerSec", 2933.6)).toBe("2934/s");
    expect(formatValue("readP99Ms", null)).toBe("n/a");
  });
});
