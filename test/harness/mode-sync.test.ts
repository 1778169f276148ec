import { beforeAll, describe, expect, it } from "vitest";
import { expectNoUnexplainedViolation, knownBugLine, MODE_TIMEOUT_MS, rareFaults, runMode, SEEDS_PER_MODE, type ModeRun } from "./helpers";

/** The reliability harness on the sync mode: 1,000 seeded runs with faults, every invariant on every run. */
describe("sync mode under the reliability harness", () => {
  let run: ModeRun;

  beforeAll(() => {
    run = runMode("sync");
    console.log(`sync: ${SEEDS_PER_MODE} seeds in ${run.wallMs} ms; ${run.stats.unavailable} rightly unavailable; ${knownBugLine(run)}`);
  }, MODE_TIMEOUT_MS);

  it("breaks no invariant in 1,000 seeds, except where a known engine bug explains it", () => {
    expectNoUnexplainedViolation(run);
  });

  it("fires every enabled fault type in at least 20% of the seeds", () => {
    expect(rareFaults(run, 0.2)).toEqual([]);
  });

  it("reaches a failover (an operator promotion) in at least 20% of the seeds", () => {
    expect(run.stats.seedsWith.failover / run.stats.seeds).toBeGreaterThanOrEqual(0.2);
  });

  it("converges within the bound after healing, or is rightly unavailable, in every seed", () => {
    const stuck = run.outcomes.filter((o) => o.status === "not-converged" && o.unexplainedCount > 0).map((o) => o.seed);
    expect(stuck).toEqual([]);
    expect(run.stats.convergenceMs.max ?? 0).toBeLessThanOrEqual(5000);
  });

  it("releases every subscription it made when a run completes", () => {
    expect(run.stats.openSubscriptions).toBe(0);
  });
});
