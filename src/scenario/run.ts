import { Simulation, type SimulationOptions } from "../sim/simulation";
import { summarize, type RunSummary } from "../metrics/summary";
import type { Scenario } from "./types";

export interface RunOptions extends SimulationOptions {
  /** Override the scenario's seed. */
  seed?: number;
  /** Include each node's final store in the summary. */
  state?: boolean;
}

export interface RunResult {
  summary: RunSummary;
  simulation: Simulation;
}

/** Runs a (validated) scenario to the end and summarises it. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const withSeed = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
  const simulation = new Simulation(withSeed, options).run();
  return { summary: summarize(simulation, { state: options.state }), simulation };
}
