import type { FaultTarget } from "./types";
import { runSagaScenario, type SagaRunResult } from "./run";
import type { SagaScenario } from "./scenario";

/**
 * Orchestration against choreography on the same scenario and seed: messages per saga, saga duration,
 * outcomes, and whether the invariants held. Faults aimed at the coordinator are moved to its
 * counterpart (the orchestrator <-> the orders service), so both styles lose their coordinator at the
 * same moments.
 */
export interface StyleSummary {
  messagesPerSaga: number;
  meanDurationMs: number | null;
  p99DurationMs: number | null;
  completed: number;
  compensated: number;
  rejected: number;
  violated: string[];
}

export interface StyleComparison {
  scenario: string;
  seed: number;
  orchestrated: StyleSummary;
  choreographed: StyleSummary;
  runs: { orchestrated: SagaRunResult; choreographed: SagaRunResult };
}

export function compareStyles(scenario: SagaScenario): StyleComparison {
  const orchestrated = runSagaScenario({ ...retarget(scenario, "orders", "orchestrator"), style: "orchestrated" }, { keepEvents: false });
  const choreographed = runSagaScenario({ ...retarget(scenario, "orchestrator", "orders"), style: "choreographed" }, { keepEvents: false });
  return { scenario: scenario.name, seed: scenario.seed, orchestrated: summary(orchestrated), choreographed: summary(choreographed), runs: { orchestrated, choreographed } };
}

function retarget(scenario: SagaScenario, from: FaultTarget, to: FaultTarget): SagaScenario {
  const swap = (n: FaultTarget) => (n === from ? to : n);
  const faults = (scenario.faults ?? []).map((f) => {
    if (f.type === "random-crashes") return { ...f, nodes: f.nodes.map(swap) };
    if (f.type === "message-loss") return f;
    return { ...f, node: swap(f.node) };
  });
  return { ...scenario, faults };
}

function summary(r: SagaRunResult): StyleSummary {
  return {
    messagesPerSaga: r.messages.perSaga,
    meanDurationMs: r.sagaDurationMs.mean,
    p99DurationMs: r.sagaDurationMs.p99,
    completed: r.sagas.completed,
    compensated: r.sagas.compensated,
    rejected: r.sagas.rejected,
    violated: r.violated,
  };
}
