import { HARNESS_FAULTS, type HarnessFault } from "./fault-mix";
import type { HarnessMode } from "./modes";
import type { SeedOutcome } from "./pool";

/**
 * Totals over many seeds of one mode: violations, losses, convergence times, and coverage (in how
 * many seeds each fault type fired, a failover happened, a log was truncated...). Order-independent:
 * the same seeds give the same totals whichever worker finished first.
 */
export interface ModeStats {
  mode: HarnessMode;
  seeds: number;
  /** Seeds with at least one violation that no known engine bug explains, ascending. */
  failingSeeds: number[];
  /** The first failing seeds (at most FAILURES_KEPT), with their first unexplained violation. */
  failures: { seed: number; invariant: string; timeMs: number; message: string }[];
  /** Seeds whose violations are all explained by known engine bugs, per bug id. */
  knownBugSeeds: Record<string, number[]>;
  /** Seeds that broke each invariant (violations no known engine bug explains). */
  violationsByInvariant: Record<string, number>;
  acknowledged: number;
  lost: number;
  atRisk: number;
  stale: number;
  /** Seeds in which at least one acknowledged write was lost. */
  seedsWithLoss: number;
  unavailable: number;
  notConverged: number;
  convergenceMs: { p50: number | null; p99: number | null; max: number | null };
  /** Seeds in which each fault type fired. */
  faultsFired: Record<HarnessFault, number>;
  seedsWith: { primaryCrash: number; failover: number; demotion: number; truncation: number; snapshot: number; dataLoss: number };
  /** Seeds that reached each milestone of the mode (coverage.milestones > 0), and the total count. */
  milestones: Record<string, { seeds: number; total: number }>;
  failovers: number;
  eventsMean: number;
  eventsMax: number;
  openSubscriptions: number;
}

/** Failing seeds listed per mode (all are counted). */
export const FAILURES_KEPT = 20;

export class StatsAccumulator {
  private readonly outcomes: SeedOutcome[] = [];

  constructor(readonly mode: HarnessMode) {}

  add(o: SeedOutcome): void {
    // Keep only what the totals need: a long soak must not hold every schedule in memory.
    const firstUnexplained = o.violations.filter((v) => v.knownBug === undefined).slice(0, 1);
    const known = o.violations.filter((v) => v.knownBug !== undefined);
    this.outcomes.push({ ...o, faults: [], violations: [...firstUnexplained, ...known] });
  }

  get size(): number {
    return this.outcomes.length;
  }

  result(): ModeStats {
    const list = [...this.outcomes].sort((x, y) => x.seed - y.seed);
    const count = (pred: (o: SeedOutcome) => boolean) => list.filter(pred).length;
    const sum = (f: (o: SeedOutcome) => number) => list.reduce((n, o) => n + f(o), 0);
    const violationsByInvariant: Record<string, number> = {};
    for (const o of list) {
      for (const name of new Set(o.violations.filter((v) => v.knownBug === undefined).map((v) => v.invariant))) violationsByInvariant[name] = (violationsByInvariant[name] ?? 0) + 1;
    }
    const faultsFired = Object.fromEntries(HARNESS_FAULTS.map((f) => [f, count((o) => o.coverage.faultsFired.includes(f))])) as Record<HarnessFault, number>;
    const convergence = list.flatMap((o) => (o.convergenceMs === null ? [] : [o.convergenceMs])).sort((x, y) => x - y);
    return {
      mode: this.mode,
      seeds: list.length,
      failingSeeds: list.filter((o) => o.unexplainedCount > 0).map((o) => o.seed),
      failures: list
        .filter((o) => o.unexplainedCount > 0)
        .slice(0, FAILURES_KEPT)
        .map((o) => ({ seed: o.seed, invariant: o.violations[0]?.invariant ?? "?", timeMs: o.violations[0]?.timeMs ?? NaN, message: o.violations[0]?.message ?? "" })),
      knownBugSeeds: knownBugSeeds(list),
      violationsByInvariant,
      acknowledged: sum((o) => o.acknowledged),
      lost: sum((o) => o.lost),
      atRisk: sum((o) => o.atRisk),
      stale: sum((o) => o.stale),
      seedsWithLoss: count((o) => o.lost > 0),
      unavailable: count((o) => o.status === "unavailable"),
      notConverged: count((o) => o.status === "not-converged"),
      convergenceMs: { p50: percentile(convergence, 50), p99: percentile(convergence, 99), max: convergence.length ? convergence[convergence.length - 1] : null },
      faultsFired,
      seedsWith: {
        primaryCrash: count((o) => o.coverage.primaryCrashes > 0),
        failover: count((o) => o.coverage.failovers > 0),
        demotion: count((o) => o.coverage.demotions > 0),
        truncation: count((o) => o.coverage.truncations > 0),
        snapshot: count((o) => o.coverage.snapshots > 0),
        dataLoss: count((o) => o.coverage.dataLosses > 0),
      },
      milestones: milestonesOf(list),
      failovers: sum((o) => o.coverage.failovers),
      eventsMean: list.length ? Math.round(sum((o) => o.events) / list.length) : 0,
      eventsMax: list.reduce((m, o) => Math.max(m, o.events), 0),
      openSubscriptions: sum((o) => o.openSubscriptions),
    };
  }
}

function milestonesOf(list: readonly SeedOutcome[]): Record<string, { seeds: number; total: number }> {
  const out: Record<string, { seeds: number; total: number }> = {};
  for (const o of list) {
    for (const [name, n] of Object.entries(o.coverage.milestones)) {
      const m = (out[name] ??= { seeds: 0, total: 0 });
      if (n > 0) m.seeds++;
      m.total += n;
    }
  }
  return out;
}

function knownBugSeeds(list: readonly SeedOutcome[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const o of list) {
    if (o.unexplainedCount > 0) continue;
    for (const id of new Set(o.violations.flatMap((v) => (v.knownBug ? [v.knownBug] : [])))) (out[id] ??= []).push(o.seed);
  }
  return out;
}

/** Nearest-rank percentile of sorted values (null when empty). */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}
