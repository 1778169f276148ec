import { sweepScenario } from "./fault-mix";
import type { InvariantName } from "./invariants";
import { runSagaScenario } from "./run";
import type { BrokenVariant, SagaKind, SagaStyle } from "./types";

/**
 * Many seeds, one verdict: runs the sweep scenario of each seed (random faults included) and collects
 * the seeds whose invariants failed, with how to reproduce each. Used by the tests, and by a notebook to
 * show that a broken variant is caught quickly while the correct engine never is.
 */
export interface SweepOptions {
  saga: SagaKind;
  style: SagaStyle;
  seeds: number;
  firstSeed?: number;
  broken?: BrokenVariant | null;
  /** Stop at the first failing seed (to measure how fast a broken variant is caught). */
  stopAtFirstFailure?: boolean;
}

export interface SweepFailure {
  seed: number;
  violated: InvariantName[];
  /** The first example of the first violated invariant. */
  example: string;
  reproduce: string;
}

export interface SweepReport {
  seedsRun: number;
  sagasStarted: number;
  completed: number;
  compensated: number;
  failures: SweepFailure[];
}

export function sweep(options: SweepOptions): SweepReport {
  const first = options.firstSeed ?? 1;
  const report: SweepReport = { seedsRun: 0, sagasStarted: 0, completed: 0, compensated: 0, failures: [] };
  for (let seed = first; seed < first + options.seeds; seed++) {
    const result = runSagaScenario(sweepScenario(seed, options.saga, options.style), { broken: options.broken ?? null, keepEvents: false });
    report.seedsRun++;
    report.sagasStarted += result.sagas.started;
    report.completed += result.sagas.completed;
    report.compensated += result.sagas.compensated;
    if (result.violated.length === 0) continue;
    const broken = options.broken ? `, { broken: "${options.broken}" }` : "";
    report.failures.push({
      seed,
      violated: result.violated,
      example: result.invariants[result.violated[0]].examples[0]?.explanation ?? "",
      reproduce: `runSagaScenario(sweepScenario(${seed}, "${options.saga}", "${options.style}")${broken})`,
    });
    if (options.stopAtFirstFailure) break;
  }
  return report;
}
