import { describe, expect, it } from "vitest";
import type { SimEvent } from "../../src/events";
import type { Scenario } from "../../src/scenario/types";
import { Simulation, type ExternalOutcome } from "../../src/sim/simulation";

/** A cluster with no traffic of its own: only what an external client submits. */
const quiet: Scenario = {
  format: 1,
  name: "quiet",
  seed: 3,
  durationMs: 1000,
  nodes: [{ id: "db1", role: "primary" }, { id: "db2", role: "replica" }],
  replication: { mode: "async" },
  network: { latencyMs: { dist: "constant", value: 2 } },
  workload: { readRatio: 0, keys: 4 },
};

function drive(guard?: (node: number, key: number, write: boolean) => boolean): { outcomes: ExternalOutcome[]; events: SimEvent[] } {
  const sim = new Simulation(quiet, { externalClients: ["router"], keyGuard: guard });
  const outcomes: ExternalOutcome[] = [];
  const events: SimEvent[] = [];
  sim.events$.subscribe((e) => events.push(e));
  sim.at(10_000, () => sim.submit({ client: "router", command: "set", key: 1, value: 42, timeoutMs: 100, onDone: (o) => outcomes.push(o) }));
  sim.at(50_000, () => sim.submit({ client: "router", command: "get", key: 1, timeoutMs: 100, onDone: (o) => outcomes.push(o) }));
  sim.run();
  return { outcomes, events };
}

describe("Simulation.submit and keyGuard (the hooks sharding drives a shard engine with)", () => {
  it("an external client's operations are routed, answered and reported once, at their virtual time", () => {
    const { outcomes, events } = drive();
    expect(outcomes.map((o) => [o.error, o.value, o.latencyUs])).toEqual([
      ["ok", 42, 4000],
      ["ok", 42, 4000],
    ]);
    expect(events.filter((e) => e.type === "request").map((e) => (e as { client: string }).client)).toEqual(["router", "router"]);
  });

  it("a node refuses what the guard refuses with wrong-shard, and executes nothing", () => {
    const { outcomes, events } = drive((_node, key, write) => !(write && key === 1));
    expect(outcomes.map((o) => [o.error, o.value])).toEqual([
      ["wrong-shard", NaN],
      ["ok", NaN], // the refused write never happened
    ]);
    expect(events.some((e) => e.type === "reject" && (e as { error?: string }).error === "wrong-shard")).toBe(true);
    expect(events.some((e) => e.type === "append")).toBe(false);
  });

  it("a timed-out operation is reported as a timeout", () => {
    const sim = new Simulation({ ...quiet, faults: [{ type: "crash", node: "db1", atMs: 0 }] }, { externalClients: ["router"] });
    const outcomes: ExternalOutcome[] = [];
    sim.at(10_000, () => sim.submit({ client: "router", command: "add", key: 0, value: 1, timeoutMs: 100, onDone: (o) => outcomes.push(o) }));
    sim.run();
    expect(outcomes.map((o) => [o.error, o.latencyUs])).toEqual([["timeout", 100_000]]);
  });
});
