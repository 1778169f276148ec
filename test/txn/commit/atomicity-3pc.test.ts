import { describe, expect, it } from "vitest";
import { crashStop3pc, partitioned3pc, unbounded3pc } from "./chaos";
import { firstViolatingSeed, seeds, sum, violationsOver } from "./helpers";

/**
 * 3PC is safe exactly under Skeen's assumptions (crash-stop failures, delays bounded below the
 * timeouts), and the checker must show it breaking as soon as one of them goes: a partition, or an
 * unbounded delay. Either way the engine must let the disagreement happen, not hide it.
 */

describe("three-phase commit", () => {
  for (const [name, latency] of [
    ["uniform 1-5 ms", { dist: "uniform", min: 1, max: 5 }],
    ["constant 4 ms", { dist: "constant", value: 4 }],
  ] as const) {
    it(`keeps atomicity over 200 seeds of crash-stop faults with ${name} latency, below the timeouts`, () => {
      const make = crashStop3pc(latency);
      const { lines, results } = violationsOver(`crashStop3pc(${JSON.stringify(latency)})`, make, seeds(200));
      expect(lines, lines.join("\n")).toEqual([]);
      expect(results.every((r) => r.safetyConditions.threePhaseCommitSafe)).toBe(true);
      // Not vacuous: coordinators do crash, and participants do finish without them.
      expect(sum(results.map((r) => r.summary.transactions.committed))).toBeGreaterThan(1000);
      expect(results.filter((r) => r.summary.transactions.refused > 0).length).toBeGreaterThan(50);
    }, 60_000);
  }

  it("commits on one side of a partition and aborts on the other: the checker finds it within 200 seeds", () => {
    const found = firstViolatingSeed(partitioned3pc, seeds(200));
    expect(found, "no seed of partitioned3pc(1..200) broke atomicity: is the checker vacuous?").not.toBeNull();
    expect(found!.result.atomicity.examples[0].explanation).toMatch(/^T\d+: .* committed but .* aborted$/);
    expect(found!.result.safetyConditions.noPartitions).toBe(false);
  }, 60_000);

  it("breaks atomicity with unbounded (exponential) delays: the checker finds it within 200 seeds", () => {
    const found = firstViolatingSeed(unbounded3pc, seeds(200));
    expect(found, "no seed of unbounded3pc(1..200) broke atomicity: is the checker vacuous?").not.toBeNull();
    expect(found!.result.safetyConditions.latencyBounded).toBe(false);
  }, 60_000);
});
