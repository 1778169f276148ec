import { describe, expect, it } from "vitest";
import { drawFaults, faultOptions, HARNESS_FAULTS, withFaults } from "../../src/harness/fault-mix";
import { scenarioFor } from "../../src/harness/modes";

const NODES = ["db1", "db2", "db3", "db4"];

describe("the fault mix", () => {
  it("draws the same schedule for the same seed, and different ones for different seeds", () => {
    expect(drawFaults(17, NODES)).toEqual(drawFaults(17, NODES));
    const distinct = new Set(Array.from({ length: 50 }, (_, i) => JSON.stringify(drawFaults(i + 1, NODES))));
    expect(distinct.size).toBeGreaterThan(45);
  });

  it("draws only enabled fault types, as many as asked, starting inside the window", () => {
    const options = faultOptions({ enabled: ["crash", "partition"], faultsMin: 2, faultsMax: 3, windowStartMs: 200, windowEndMs: 400 });
    for (let seed = 1; seed <= 200; seed++) {
      const { faults } = drawFaults(seed, NODES, options);
      expect(faults.length).toBeGreaterThanOrEqual(2);
      expect(faults.length).toBeLessThanOrEqual(3);
      for (const f of faults) {
        expect(["crash", "partition"]).toContain(f.kind);
        expect(f.spec && "atMs" in f.spec ? f.spec.atMs : -1).toBeGreaterThanOrEqual(200);
        expect(f.spec && "atMs" in f.spec ? f.spec.atMs : Infinity).toBeLessThanOrEqual(400);
      }
    }
  });

  it("draws every fault type over a few hundred seeds", () => {
    const seen = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) for (const f of drawFaults(seed, NODES).faults) seen.add(f.kind);
    expect([...seen].sort()).toEqual([...HARNESS_FAULTS].sort());
  });

  it("aims at the initial primary as often as primaryTargetRatio says", () => {
    let primary = 0;
    let total = 0;
    for (let seed = 1; seed <= 400; seed++) {
      for (const f of drawFaults(seed, NODES, faultOptions({ enabled: ["crash"], primaryTargetRatio: 0.5 })).faults) {
        total++;
        if (f.spec?.type === "crash" && f.spec.node === "db1") primary++;
      }
    }
    expect(primary / total).toBeGreaterThan(0.4);
    expect(primary / total).toBeLessThan(0.6);
  });

  it("puts timed faults in the scenario's faults and loss in its network", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const schedule = drawFaults(seed, NODES, faultOptions({ enabled: ["loss", "slow-link"], faultsMin: 2, faultsMax: 2 }));
      const scenario = withFaults(scenarioFor("semi-sync", seed), schedule);
      const loss = schedule.faults.find((f) => f.kind === "loss");
      if (loss?.lossRate !== undefined) expect(scenario.network.lossRate).toBe(loss.lossRate);
      if (loss?.links) expect(scenario.network.links).toEqual(loss.links);
      expect(scenario.faults?.length).toBe(schedule.faults.filter((f) => f.spec).length);
      expect(schedule.slowLinks.length).toBeGreaterThanOrEqual(schedule.faults.filter((f) => f.kind === "slow-link").length);
    }
  });

  it("refuses knobs that make no sense", () => {
    expect(() => drawFaults(1, NODES, faultOptions({ faultsMin: 3, faultsMax: 1 }))).toThrow(/faultsMin/);
    expect(() => drawFaults(1, NODES, faultOptions({ lossRateMax: 2 }))).toThrow(/lossRate/);
  });
});
