import { describe, expect, it } from "vitest";
import { compareStyles } from "../../../src/txn/saga/compare-styles";
import { loadSagaScenarioFile } from "../../../src/txn/saga/scenario";

describe("orchestration against choreography", () => {
  it("keeps every invariant in both, and costs the choreography more messages per saga (events plus acknowledgements)", () => {
    const c = compareStyles(loadSagaScenarioFile("data/scenarios/saga-food-order.json"));
    expect(c.orchestrated.violated).toEqual([]);
    expect(c.choreographed.violated).toEqual([]);
    expect(c.choreographed.messagesPerSaga).toBeGreaterThan(c.orchestrated.messagesPerSaga);
    expect(c.orchestrated.completed + c.orchestrated.compensated).toBe(c.choreographed.completed + c.choreographed.compensated);
  });

  it("moves faults aimed at the coordinator to its counterpart", () => {
    const c = compareStyles(loadSagaScenarioFile("data/scenarios/saga-food-order-faults.json"));
    expect(c.choreographed.violated).toEqual([]);
    expect(c.runs.choreographed.faults.some((f) => f.node === "orders")).toBe(true);
    expect(c.runs.orchestrated.faults.some((f) => f.node === "orchestrator")).toBe(true);
  });
});
