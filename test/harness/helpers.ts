import { beforeAll, describe, expect, it } from "vitest";
import { BROKEN_VARIANTS, CATCH_WITHIN_SEEDS, type BrokenVariant } from "../../src/harness/broken-variants";
import type { HarnessMode } from "../../src/harness/modes";
import { CI_SEEDS_DEFAULT, harnessMode } from "../../src/harness/registry";
import { runTask, type SeedOutcome } from "../../src/harness/pool";
import { formatFailure, writeArtifacts } from "../../src/harness/report";
import { defaultFaultsFor, runSeed } from "../../src/harness/run-seed";
import { StatsAccumulator, type ModeStats } from "../../src/harness/stats";

/** Seeds every mode test runs (unless its registry entry says `ciSeeds`). */
export const SEEDS_PER_MODE = CI_SEEDS_DEFAULT;

/** Time limit of a 1,000-seed mode test on a loaded 2-core machine (a typical run takes 15-40 s). */
export const MODE_TIMEOUT_MS = 400_000;

export interface ModeRun {
  outcomes: SeedOutcome[];
  stats: ModeStats;
  wallMs: number;
}

/** Runs seeds 1..n of a mode, in this process (vitest runs the mode files in parallel, one per fork). */
export function runMode(mode: HarnessMode, n = harnessMode(mode).ciSeeds ?? SEEDS_PER_MODE): ModeRun {
  const started = performance.now();
  const acc = new StatsAccumulator(mode);
  const outcomes: SeedOutcome[] = [];
  for (let seed = 1; seed <= n; seed++) {
    const o = runTask({ mode, seed });
    acc.add(o);
    outcomes.push({ ...o, faults: o.violationCount > 0 ? o.faults : [] });
  }
  return { outcomes, stats: acc.result(), wallMs: Math.round(performance.now() - started) };
}

/**
 * Fails with every seed that broke an invariant no known engine bug explains: its violations, its
 * fault schedule and the command that reproduces it. The first three also get their artifacts
 * (scenario, events, run) written under build/harness/, named in the message.
 */
export function expectNoUnexplainedViolation(run: ModeRun): void {
  const failing = run.outcomes.filter((o) => o.unexplainedCount > 0);
  if (failing.length === 0) return;
  const lines = failing.slice(0, 10).map((o) => {
    const result = runSeed({ mode: o.mode, seed: o.seed, bugs: o.bugs, record: failing.indexOf(o) < 3 });
    const dir = result.history ? writeArtifacts(result) : null;
    return formatFailure(result) + (dir ? `\n  artifacts: ${dir}` : "");
  });
  const more = failing.length > 10 ? `\n... and ${failing.length - 10} more seeds: ${failing.slice(10).map((o) => o.seed).join(", ")}` : "";
  expect.fail(`${failing.length} of ${run.outcomes.length} seeds broke an invariant:\n${lines.join("\n")}${more}`);
}

/** Known engine bugs hit (reported, not failed on), one line per bug. */
export function knownBugLine(run: ModeRun): string {
  const entries = Object.entries(run.stats.knownBugSeeds);
  return entries.length === 0 ? "no known engine bug hit" : entries.map(([id, seeds]) => `${id}: seeds ${seeds.join(", ")}`).join("; ");
}

/** Shares of seeds in which each enabled fault type fired, below `minShare`. */
export function rareFaults(run: ModeRun, minShare: number): string[] {
  const enabled = defaultFaultsFor(run.stats.mode).enabled;
  return enabled.filter((f) => run.stats.faultsFired[f] / run.stats.seeds < minShare).map((f) => `${f} fired in ${run.stats.faultsFired[f]} of ${run.stats.seeds} seeds`);
}

/** Runs a broken variant's seeds until the first is caught (or CATCH_WITHIN_SEEDS ran). */
export function firstCaught(variant: BrokenVariant): { seed: number | null; outcome: SeedOutcome | null } {
  for (let seed = 1; seed <= CATCH_WITHIN_SEEDS; seed++) {
    const o = runTask({ mode: variant.mode, seed, bugs: [variant.bug], faults: variant.faults });
    if (o.violationCount > 0) return { seed, outcome: o };
  }
  return { seed: null, outcome: null };
}

export { BROKEN_VARIANTS };

/**
 * The standard checks of one mode: 1,000 seeds, no unexplained violation, fault coverage, failovers
 * reached (modes with replicas), convergence, subscriptions released. Each mode has its own test file
 * so that vitest runs modes in parallel.
 */
export function describeHarnessMode(mode: Parameters<typeof runMode>[0], options: { failovers: boolean; milestones?: Record<string, number> }): void {
  describe(`${mode} mode under the reliability harness`, () => {
    let run: ModeRun;
    const seeds = harnessMode(mode).ciSeeds ?? SEEDS_PER_MODE;

    beforeAll(() => {
      run = runMode(mode);
      const reached = Object.entries(run.stats.milestones).map(([k, v]) => `${k} ${v.seeds}`).join(", ");
      console.log(`${mode}: ${seeds} seeds in ${run.wallMs} ms; ${run.stats.unavailable} rightly unavailable; ${knownBugLine(run)}${reached ? `; reached (seeds): ${reached}` : ""}`);
    }, MODE_TIMEOUT_MS);

    it(`breaks no invariant in ${seeds} seeds, except where a known engine bug explains it`, () => {
      expectNoUnexplainedViolation(run);
    });

    it("fires every enabled fault type in at least 20% of the seeds", () => {
      expect(rareFaults(run, 0.2)).toEqual([]);
    });

    if (options.failovers) {
      it("reaches a failover (an operator promotion) in at least 20% of the seeds", () => {
        expect(run.stats.seedsWith.failover / run.stats.seeds).toBeGreaterThanOrEqual(0.2);
      });
    }

    for (const [milestone, share] of Object.entries(options.milestones ?? {})) {
      it(`reaches ${milestone} in at least ${Math.round(share * 100)}% of the seeds`, () => {
        expect((run.stats.milestones[milestone]?.seeds ?? 0) / run.stats.seeds).toBeGreaterThanOrEqual(share);
      });
    }

    it("converges within the bound after healing, or is rightly unavailable, in every seed", () => {
      const stuck = run.outcomes.filter((o) => o.status === "not-converged" && o.unexplainedCount > 0).map((o) => o.seed);
      expect(stuck).toEqual([]);
      // The heal bound of cluster modes; a saga's liveness bound is the saga engine's own deadline (its invariant).
      if (harnessMode(mode).family === "cluster") expect(run.stats.convergenceMs.max ?? 0).toBeLessThanOrEqual(5000);
    });

    it("releases every subscription it made when a run completes", () => {
      expect(run.stats.openSubscriptions).toBe(0);
    });
  });
}
