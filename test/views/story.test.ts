import { describe, expect, test } from "vitest";
import { Simulation } from "../../src/sim/simulation";
import { StoryTeller } from "../../src/views/story";
import { failover, splitBrain, witnessStory } from "../helpers/stories";
import type { Scenario } from "../../src/scenario/types";

function storyOf(s: Scenario, detail?: "auto" | "faults" | "all"): string[] {
  const sim = new Simulation(s);
  const teller = new StoryTeller(s, detail);
  sim.batches$.subscribe((b) => teller.add(b));
  sim.run();
  return teller.lines.map((l) => `${l.tMs} ${l.text}`);
}

describe("events in words", () => {
  test("a failover: the crash, the election, the new primary in its term", () => {
    const lines = storyOf(failover());
    expect(lines).toContain("0 db1 is the primary (term 1)");
    expect(lines).toContain("2000 db1 crashed");
    const elected = lines.find((l) => / elected primary in term \d+$/.test(l));
    expect(elected, lines.join("\n")).toBeDefined();
    expect(lines.some((l) => /hears no primary: election for term \d+$/.test(l))).toBe(true);
    expect(lines.some((l) => / votes for | refuses /.test(l))).toBe(true);
    expect(lines).toContain("4000 db1 restarted");
    // A workload run does not tell every client operation.
    expect(lines.some((l) => l.includes("←"))).toBe(false);
  });

  test("the witness story: the cut once, the clients' operations and answers, the rollback", () => {
    const lines = storyOf(witnessStory());
    // In this order (other lines, e.g. commits on each node, may come between); scripted times are exact.
    const expected = [
      "10 script → A: set balance to 120",
      "script ← ok, balance = 120",
      "500 link A ⇄ B cut",
      "1000 client-1 → A: take 100 from balance",
      "1020 client-2 → B: take 50 from balance",
      "A committed balance v2",
      "client-1 ← ok, balance = 20",
      "B rolls back its write to balance (v2)",
      "client-2 ← refused: another write took that version first",
      "1500 client-2 → B: take 50 from balance",
      "client-2 ← refused: balance would go below 0",
      "2000 link A ⇄ B restored",
    ];
    let at = 0;
    for (const want of expected) {
      const found = lines.findIndex((l, i) => i >= at && (/^\d/.test(want) ? l === want : l.replace(/^[\d.]+ /, "") === want));
      expect(found, `"${want}" after line ${at} in\n${lines.join("\n")}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    expect(lines.filter((l) => l.includes("cut"))).toHaveLength(1); // one line for both directions
  });

  test("the $120 split-brain ends in a conflict; 'faults' detail keeps only the faults and alarms", () => {
    expect(storyOf(splitBrain()).some((l) => /A: conflicting writes to balance|B: conflicting writes to balance/.test(l))).toBe(true);
    expect(storyOf(splitBrain(), "faults").filter((l) => !/cut|restored|conflicting/.test(l))).toEqual([]);
  });
});
