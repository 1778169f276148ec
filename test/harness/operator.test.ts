import { describe, expect, it } from "vitest";
import { scenarioFor } from "../../src/harness/modes";
import { Operator } from "../../src/harness/operator";
import { Simulation } from "../../src/sim/simulation";

/** A semi-sync cluster (db1 primary, db2..db4) with db3 lagging far behind on its link from db1. */
function lagging(faults: NonNullable<ReturnType<typeof scenarioFor>["faults"]>) {
  const s = scenarioFor("semi-sync", 3);
  return new Simulation({ ...s, network: { ...s.network, links: [{ from: "db1", to: "db3", latencyMs: { dist: "constant", value: 80 } }] }, faults });
}

function runWithOperator(sim: Simulation, operator: Operator, untilMs: number): void {
  sim.batches$.subscribe((b) => operator.observe(b));
  for (let t = 50; t <= untilMs; t += 50) {
    sim.runUntil(t);
    operator.step();
  }
}

describe("the operator", () => {
  it("waits for the threshold, then promotes the most up-to-date live replica", () => {
    const sim = lagging([{ atMs: 500, type: "crash", node: "db1" }]);
    const operator = new Operator(sim, { rule: "most-up-to-date", primaryDownMsMin: 150 });
    runWithOperator(sim, operator, 1000);
    expect(operator.actions.length).toBe(1);
    const action = operator.actions[0];
    expect(action.timeMs).toBe(650); // the slice ending at 500 ms includes the crash; 150 ms later
    expect(action.replaced).toBe("db1");
    expect(action.promoted).not.toBe("db3"); // db3 lags 80 ms
    const promoted = sim.nodes.find((n) => n.id === action.promoted)!;
    for (const n of sim.nodes) if (n !== promoted && n.id !== "db1") expect(promoted.log.lastIndex).toBeGreaterThanOrEqual(n.log.lastIndex);
  });

  it("does nothing while the primary comes back within the threshold", () => {
    const sim = lagging([{ atMs: 500, type: "crash", node: "db1", durationMs: 100 }]);
    const operator = new Operator(sim, { rule: "most-up-to-date", primaryDownMsMin: 150 });
    runWithOperator(sim, operator, 1000);
    expect(operator.actions).toEqual([]);
  });

  it("never promotes a replica whose disk was replaced before it caught up", () => {
    const sim = lagging([
      { atMs: 300, type: "disk-loss", node: "db2", durationMs: 10 },
      { atMs: 300, type: "disk-loss", node: "db4", durationMs: 10 },
      { atMs: 311, type: "crash", node: "db1" },
    ]);
    const operator = new Operator(sim, { rule: "most-up-to-date", primaryDownMsMin: 150 });
    runWithOperator(sim, operator, 1000);
    expect(operator.actions.map((a) => a.promoted)).toEqual(["db3"]);
  });

  it("with the safe rule, promotes only a replica that holds every acknowledged write", () => {
    const sim = lagging([{ atMs: 500, type: "crash", node: "db1" }]);
    const operator = new Operator(sim, { rule: "holds-every-acknowledged-write", primaryDownMsMin: 150 });
    runWithOperator(sim, operator, 1000);
    expect(operator.actions.length).toBe(1);
    expect(operator.actions[0].missingAcknowledged).toBe(0);
  });

  it("promotes nobody in a single database", () => {
    const sim = new Simulation({ ...scenarioFor("none", 1), faults: [{ atMs: 300, type: "crash", node: "db1" }] });
    const operator = new Operator(sim, { rule: "none", primaryDownMsMin: 150 });
    runWithOperator(sim, operator, 1000);
    expect(operator.actions).toEqual([]);
    expect(operator.candidates()).toEqual([]);
  });
});
