import type { Scenario } from "../../src/scenario/types";
import { runScenario } from "../../src/scenario/run";

/**
 * A small cluster scenario for tests: a primary and `replicas` replicas, exponential 5 ms links,
 * an open-loop workload. Override anything with `patch`.
 */
export function cluster(patch: Partial<Scenario> = {}, replicas = 2): Scenario {
  return {
    format: 1,
    name: "test",
    seed: 1,
    durationMs: 5000,
    nodes: [
      { id: "db1", role: "primary", domain: "rack-a" },
      ...Array.from({ length: replicas }, (_, i) => ({ id: `db${i + 2}`, role: "replica" as const, domain: `rack-${String.fromCharCode(98 + i)}` })),
    ],
    replication: { mode: "async" },
    network: { latencyMs: { dist: "exponential", mean: 5 } },
    workload: { opsPerSec: 500, readRatio: 0.3, keys: 20 },
    ...patch,
  };
}

/** Runs a scenario and returns its summary (and the simulation, for state checks). */
export function run(scenario: Scenario, options: Parameters<typeof runScenario>[1] = {}) {
  return runScenario(scenario, options);
}

/** Seeds 1..n, for loops over many runs (failures name the seed). */
export function seeds(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
