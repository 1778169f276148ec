import type { CheckResult } from "../../checkers/result";
import { checkAtomicity, type AtomicityViolation } from "./atomicity";
import type { TxnEvent } from "./events";
import type { TxnOutcome } from "./outcomes";
import type { AtomicCommitScenario } from "./scenario-types";
import { resolveSettings, safetyConditions, type SafetyConditions } from "./settings";
import { AtomicCommitSimulation, type AtomicCommitOptions } from "./simulation";
import type { AtomicCommitSummary } from "./summary";

export interface RunAtomicCommitOptions extends AtomicCommitOptions {
  /** Override the scenario's seed. */
  seed?: number;
}

export interface AtomicCommitResult {
  /** The result fields (documented on `AtomicCommitSummary`). */
  summary: AtomicCommitSummary;
  /** The atomicity checker's verdict: counts and up to 5 examples in words. */
  atomicity: CheckResult<AtomicityViolation>;
  /** What became of each transaction, node by node. */
  outcomes: TxnOutcome[];
  /** Whether 3PC's assumptions hold in this scenario (it tells a bug from a broken assumption). */
  safetyConditions: SafetyConditions;
  /** Every event, when `recordEvents` was asked for. */
  events?: TxnEvent[];
}

/**
 * Runs a (validated) atomic-commit scenario to the end, then checks and summarises it.
 *
 * ```ts
 * const { summary, atomicity } = runAtomicCommit(parseAtomicCommitScenario(json), { seed: 7 });
 * ```
 */
export function runAtomicCommit(scenario: AtomicCommitScenario, options: RunAtomicCommitOptions = {}): AtomicCommitResult {
  const seeded = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
  const simulation = new AtomicCommitSimulation(seeded, options).run();
  const outcomes = simulation.outcomes();
  const result: AtomicCommitResult = {
    summary: simulation.summary(),
    atomicity: checkAtomicity(outcomes),
    outcomes,
    safetyConditions: safetyConditions(seeded, resolveSettings(seeded)),
  };
  if (simulation.events) result.events = [...simulation.events];
  return result;
}
