import type { Coverage } from "./coverage";
import type { HealStatus } from "./heal-phase";
import type { Violation } from "./invariants";
import type { RunSeedInput, SeedResult, SeedTotals } from "./run-seed";

/** What a mode that runs a world of its own (2PC, MVCC, sagas, sharding) knows after one seed. */
export interface WorldSeedFields {
  input: RunSeedInput;
  mode: string;
  bugs: string[];
  /** The examples kept; `violationCount` (default: their number) counts them all. */
  violations: Violation[];
  violationCount?: number;
  coverage: Coverage;
  faults: string[];
  actions?: string[];
  /** Omitted columns are 0. */
  totals: Partial<SeedTotals> & { acknowledged: number };
  events: number;
  eventHash: string;
  /** Default: converged, with no convergence time (the world has no heal phase of the cluster kind). */
  status?: HealStatus;
  convergenceMs?: number | null;
  openSubscriptions?: number;
  /** The seed's input and every event, asked for only when the run is recorded (failure reports). */
  recorded: () => { scenario: unknown; history: unknown[] };
}

/**
 * A `SeedResult` with the fields such modes fill the same way: every violation is unexplained (no
 * known engine bug is matched outside the cluster modes), no operator actions unless given, and the
 * recording only when asked for.
 */
export function worldSeedResult(f: WorldSeedFields): SeedResult {
  return {
    seed: f.input.seed,
    mode: f.mode,
    bugs: f.bugs,
    violations: f.violations,
    violationCount: f.violationCount ?? f.violations.length,
    unexplainedCount: f.violations.length,
    status: f.status ?? "converged",
    convergenceMs: f.convergenceMs ?? null,
    coverage: f.coverage,
    faults: f.faults,
    actions: f.actions ?? [],
    totals: { lost: 0, atRisk: 0, stale: 0, divergentKeys: 0, ...f.totals },
    events: f.events,
    eventHash: f.eventHash,
    openSubscriptions: f.openSubscriptions ?? 0,
    ...(f.input.record ? f.recorded() : {}),
  };
}
