import { describe, expect, it } from "vitest";
import type { Scenario } from "../../src/scenario/types";
import { cluster, run } from "../helpers/scenario";

/** The primary's rack fails at 1 s (its disks with it); replacement hardware arrives at 2 s; db2 is promoted. */
function rackFailure(replicaDomains: [string, string]): Scenario {
  return cluster({
    durationMs: 4000,
    nodes: [
      { id: "db1", role: "primary", domain: "rack-a" },
      { id: "db2", role: "replica", domain: replicaDomains[0] },
      { id: "db3", role: "replica", domain: replicaDomains[1] },
    ],
    workload: { opsPerSec: 500, readRatio: 0, keys: 20, stopAtMs: 900 },
    faults: [{ atMs: 1000, type: "domain-failure", domain: "rack-a", durationMs: 1000 }],
    script: [{ atMs: 2100, op: "promote", node: "db2" }],
  });
}

describe("failure domains", () => {
  it("destroys every copy that shares the primary's failure domain", () => {
    const { summary } = run(rackFailure(["rack-a", "rack-a"]), { state: true });
    expect(summary.writes.acknowledged).toBeGreaterThan(300);
    // Everything acknowledged is gone: the copies died with the original.
    expect(summary.lostAcknowledgedWrites).toBe(summary.writes.acknowledged);
    expect(summary.state).toEqual({ db1: {}, db2: {}, db3: {} });
  });

  it("keeps the data when the copies live in another failure domain", () => {
    const { summary } = run(rackFailure(["rack-b", "rack-c"]), { state: true });
    expect(summary.lostAcknowledgedWrites).toBe(0);
    expect(Object.keys(summary.state!.db2).length).toBe(20);
    // The rebuilt node catches up from the new primary.
    expect(summary.state!.db1).toEqual(summary.state!.db2);
  });
});
