import { Random } from "../sim/random";
import { sweepScenario } from "../txn/saga/fault-mix";
import { runSagaScenario } from "../txn/saga/run";
import { BROKEN_VARIANTS, type BrokenVariant, type SagaKind, type SagaStyle } from "../txn/saga/types";
import { emptyCoverage } from "./coverage";
import { faultOptions } from "./fault-mix";
import type { Violation } from "./invariants";
import type { HarnessModeDef } from "./registry";
import type { RunSeedInput, SeedResult } from "./run-seed";
import { worldSeedResult } from "./world-seed-result";

/**
 * Sagas under the harness: per seed, the food order or the phone call (src/txn/saga), orchestrated or
 * choreographed, with the seed's random faults (the saga engine's own fault mix: message loss, a slow
 * service, random crashes of the services, crashes and restarts of the coordinator), run in the
 * engine's two phases (faults, then a fault-free liveness bound). The saga engine checks its own
 * invariants on the final state; the harness turns each failed one into violations.
 */

/** The saga, its style and its scenario for one seed (the sweep scenario, food orders shortened). */
export function sagaScenarioFor(seed: number) {
  const random = new Random(seed, "harness/saga");
  const saga: SagaKind = random.chance(0.75) ? "food-order" : "phone-call";
  const style: SagaStyle = random.chance(0.5) ? "orchestrated" : "choreographed";
  const scenario = sweepScenario(seed, saga, style);
  return { saga, style, scenario: { ...scenario, name: `harness-saga-${saga}-${style}` } };
}

function runSagaSeed(input: RunSeedInput): SeedResult {
  const { saga, style, scenario } = sagaScenarioFor(input.seed);
  const bugs = [...(input.bugs ?? [])];
  const broken = (bugs.find((b) => (BROKEN_VARIANTS as readonly string[]).includes(b)) ?? null) as BrokenVariant | null;
  const result = runSagaScenario(scenario, { broken, keepEvents: true });
  const violations: Violation[] = [];
  let violationCount = 0;
  for (const name of result.violated) {
    const check = result.invariants[name];
    violationCount += check.count;
    for (const example of check.examples.slice(0, 3)) violations.push({ invariant: name, timeMs: result.virtualTimeMs, node: example.sagaId, message: example.explanation });
  }
  const count = (type: string) => result.events.filter((e) => e.type === type).length;
  const coordinatorCrashes = result.events.filter((e) => e.type === "crash" && (e.node === "orchestrator" || e.node === "orders")).length;
  const coverage = emptyCoverage({
    compensation: result.sagas.compensated,
    "compensation-step": count("compensation"),
    "coordinator-crash": coordinatorCrashes,
    [`${saga}-${style}`]: 1,
  });
  coverage.messagesLost = result.messages.lost;
  if (count("crash") > 0) coverage.faultsFired.push("crash");
  if (result.messages.lost > 0) coverage.faultsFired.push("loss");
  return worldSeedResult({
    input,
    mode: "saga",
    bugs,
    violations,
    violationCount,
    status: result.settledAtMs === null ? "not-converged" : "converged",
    convergenceMs: result.settledAtMs === null ? null : Math.max(0, Math.round(result.settledAtMs - scenario.durationMs)),
    coverage,
    faults: result.faults.map((f) => JSON.stringify(f)),
    totals: { acknowledged: result.sagas.completed, lost: result.money.finalRupees - result.money.initialRupees },
    events: result.events.length,
    eventHash: result.eventHash,
    recorded: () => ({ scenario, history: result.events }),
  });

}

export const SAGA_MODE: HarnessModeDef = {
  name: "saga",
  family: "transactions",
  description: "sagas: the food order (3 of 4 seeds) or the phone call, orchestrated or choreographed, with the seed's random faults",
  faultsText: "the saga engine's fault mix: message loss 2-12%, one slow service, random crashes of the services, 1-3 crashes and restarts of the coordinator",
  bugs: BROKEN_VARIANTS,
  milestones: ["compensation", "compensation-step", "coordinator-crash", "food-order-orchestrated", "food-order-choreographed", "phone-call-orchestrated", "phone-call-choreographed"],
  defaultFaults: () => faultOptions({ enabled: [] }),
  invariants: () => [
    { name: "money-conserved", rule: "every rupee is in an account or a live hold; the total never changes; no account below zero" },
    { name: "sagas-end-completed-or-compensated", rule: "by the liveness deadline every saga ended completed (confirmed and paid) or fully compensated (nothing held, charged or cooked)" },
    { name: "nothing-charged-twice", rule: "no hold captured twice, no call charged beyond its minutes" },
    { name: "confirmed-orders-paid", rule: "the restaurant cooked exactly the orders that were paid" },
  ],
  run: runSagaSeed,
};
