import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/types";
import { run } from "../helpers/scenario";

/** The seed's system: phones -> load balancer -> three app servers -> one database. */
function seedSystem(faults: Scenario["faults"]): Scenario {
  return {
    format: 1,
    name: "seed-system",
    seed: 1,
    durationMs: 10_000,
    nodes: [{ id: "db1", role: "primary" }],
    replication: { mode: "none" },
    network: { latencyMs: { dist: "exponential", mean: 2 } },
    frontend: { loadBalancer: "lb", appServers: ["app1", "app2", "app3"], healthCheckMs: 500 },
    workload: { opsPerSec: 200, readRatio: 0.5, keys: 10, timeoutMs: 500 },
    faults,
  };
}

describe("the seed's system", () => {
  it("serves everything when nothing fails", () => {
    expect(run(seedSystem([])).summary.availability).toBe(1);
  });

  it("stops serving entirely while the single database is down, however many app servers are up", () => {
    const { summary } = run(seedSystem([{ atMs: 2000, type: "crash", node: "db1", durationMs: 5000 }]));
    expect(summary.availability!).toBeGreaterThan(0.45);
    expect(summary.availability!).toBeLessThan(0.55);
  });

  it("stops serving entirely while the load balancer is down: it is a single point of failure too", () => {
    const { summary } = run(seedSystem([{ atMs: 2000, type: "crash", node: "lb", durationMs: 5000 }]));
    expect(summary.availability!).toBeLessThan(0.55);
  });

  it("loses only the requests sent to a dead app server before the health check notices", () => {
    const { summary } = run(seedSystem([{ atMs: 2000, type: "crash", node: "app2" }]));
    // One third of 0.5 s of traffic (plus requests in flight) is lost, the rest is served.
    expect(summary.availability!).toBeGreaterThan(0.98);
    expect(summary.availability!).toBeLessThan(1);
  });
});
