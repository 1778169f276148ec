/**
 * What a view can show: a scenario file, a scenario object, or an `Experiment` (from `experiment()`
 * or `live()`), which is re-run from its scenario; the run is deterministic, so it is the same run
 * (its `eventHash` is checked).
 */
import type { Experiment } from "../notebook/experiment";
import { loadScenarioFile } from "../scenario/load";
import type { Scenario } from "../scenario/types";
import type { Bug } from "../sim/bugs";

export type RunSource = string | Scenario | Experiment;

export interface SourceOptions {
  /** Override the scenario's seed. */
  seed?: number;
  /** Deliberate bugs (as in `experiment()`); an Experiment run with bugs needs them again here. */
  bugs?: readonly Bug[];
}

export interface ResolvedSource {
  scenario: Scenario;
  /** The eventHash the run must reproduce (when the source was an Experiment), else null. */
  expectedHash: string | null;
}

export function isExperiment(source: unknown): source is Experiment {
  return typeof source === "object" && source !== null && "simulation" in source && "scenario" in source && "summary" in source;
}

export function resolveSource(source: RunSource, options: SourceOptions = {}): ResolvedSource {
  if (isExperiment(source)) {
    const sameSeed = options.seed === undefined || options.seed === source.scenario.seed;
    const scenario = sameSeed ? source.scenario : { ...source.scenario, seed: options.seed! };
    return { scenario, expectedHash: sameSeed && source.simulation.isFinished ? source.simulation.eventHash : null };
  }
  const loaded = typeof source === "string" ? loadScenarioFile(source) : source;
  return { scenario: options.seed === undefined ? loaded : { ...loaded, seed: options.seed }, expectedHash: null };
}

/** Throws when a re-run did not reproduce the run it stands for. */
export function checkReproduced(resolved: ResolvedSource, eventHash: string): void {
  if (resolved.expectedHash !== null && resolved.expectedHash !== eventHash) {
    throw new Error(
      `views: re-running "${resolved.scenario.name}" (seed ${resolved.scenario.seed}) gave eventHash ${eventHash}, ` +
        `but the experiment had ${resolved.expectedHash}: was it run with \`bugs\`? Pass the same options here.`,
    );
  }
}
