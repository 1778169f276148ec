import { harnessMode } from "./registry";
import type { RunSummary } from "../metrics/summary";
import type { Coverage } from "./coverage";
import type { FaultOptions } from "./fault-mix";
import type { HealStatus } from "./heal-phase";
import type { Violation } from "./invariants";
import type { HarnessMode, PhaseOptions } from "./modes";

/**
 * One seed of the reliability harness, start to end, in whichever mode: the mode (registry.ts) builds
 * its input from the seed, draws its faults, runs, and checks every invariant. The same input always
 * gives the same output, down to the event hash: a failing seed is a failing test case forever.
 * Cluster modes run in cluster-mode.ts; transaction modes in mode-atomic-commit.ts, mode-mvcc.ts and
 * mode-saga.ts.
 */

export interface RunSeedInput {
  mode: HarnessMode;
  seed: number;
  /**
   * Deliberate bugs, to prove the invariants catch them: engine switches (src/sim/bugs.ts,
   * src/txn/commit/bugs.ts, saga broken variants) or protocol options switched off (`no-fencing`,
   * `no-leases`, `no-ballots`). Each mode lists the ones it accepts (registry.ts).
   */
  bugs?: readonly string[];
  /** Fault knobs over the defaults. `enabled` defaults to what the mode can use. */
  faults?: Partial<FaultOptions>;
  /** Keep every event as a readable object (for failure reports). Costs memory and time. */
  record?: boolean;
  phases?: Partial<PhaseOptions>;
}

export interface SeedResult {
  seed: number;
  mode: HarnessMode;
  bugs: string[];
  violations: Violation[];
  /** All violations, including those beyond the few examples kept per invariant. */
  violationCount: number;
  /** Violations no known engine bug explains (the ones that fail a test). */
  unexplainedCount: number;
  status: HealStatus;
  /** Virtual time the heal phase took to converge (null if it did not). */
  convergenceMs: number | null;
  coverage: Coverage;
  /** The drawn fault schedule, one line per fault. */
  faults: string[];
  /** What the operator and the heal phase did, one line each. */
  actions: string[];
  /** The cluster's result summary (cluster modes only). */
  summary?: RunSummary;
  /** What the report counts in every mode (0 where a mode has no such thing). */
  totals: SeedTotals;
  events: number;
  eventHash: string;
  /** Subscriptions the harness made that were still open after the run (must be 0). */
  openSubscriptions: number;
  /** With `record`: the scenario as run (or the seed's generated input), and every event. */
  scenario?: unknown;
  history?: unknown[];
}

/** Per-seed numbers every mode reports (the report's columns). */
export interface SeedTotals {
  /** Writes (or transactions, sagas) acknowledged / committed. */
  acknowledged: number;
  lost: number;
  atRisk: number;
  stale: number;
  divergentKeys: number;
}

/** The fault knobs of a mode by default (`enabled` is empty for modes that draw their own kind of faults). */
export function defaultFaultsFor(mode: HarnessMode): FaultOptions {
  return harnessMode(mode).defaultFaults();
}

/** Runs one seed of any mode. */
export function runSeed(input: RunSeedInput): SeedResult {
  return harnessMode(input.mode).run(input);
}

export { plan } from "./cluster-mode";
