import { describe, expect, it } from "vitest";
import { Simulation } from "../../src/sim/simulation";
import type { SimEvent } from "../../src/events";
import type { Scenario } from "../../src/scenario/types";
import { cluster } from "../helpers/scenario";

function eventsOf(s: Scenario): SimEvent[] {
  const sim = new Simulation(s);
  const events: SimEvent[] = [];
  sim.events$.subscribe((e) => events.push(e));
  sim.run();
  return events;
}

describe("network", () => {
  it("delivers messages on a link in the order they were sent (FIFO), even with random latency", () => {
    const events = eventsOf(cluster({ network: { latencyMs: { dist: "exponential", mean: 20 } }, durationMs: 2000 }));
    const sent = events.filter((e) => e.type === "send" && e.from === "db1" && e.to === "db2" && e.message === "append");
    const delivered = events.filter((e) => e.type === "deliver" && e.from === "db1" && e.to === "db2" && e.message === "append");
    const idx = (e: SimEvent) => (e.type === "send" || e.type === "deliver" ? e.index : -1);
    expect(delivered.length).toBeGreaterThan(100);
    expect(delivered.map(idx)).toEqual(sent.slice(0, delivered.length).map(idx));
  });

  it("drops messages across a partition and delivers again after it heals", () => {
    const s = cluster({
      durationMs: 3000,
      faults: [{ atMs: 1000, type: "partition", groups: [["db1"], ["db2", "db3"]], durationMs: 1000 }],
    });
    const events = eventsOf(s);
    const during = events.filter((e) => e.timeMs > 1010 && e.timeMs < 1990);
    expect(during.some((e) => e.type === "deliver" && e.from === "db1" && e.to === "db2")).toBe(false);
    expect(during.some((e) => e.type === "drop" && e.from === "db1" && e.reason === "cut")).toBe(true);
    expect(events.some((e) => e.type === "deliver" && e.from === "db1" && e.to === "db2" && e.timeMs > 2000)).toBe(true);
  });

  it("cuts one direction only when asked to (a one-way cut)", () => {
    // The replica's answers cannot reach the primary, but the primary's appends still reach the replica.
    const s = cluster({ durationMs: 2000, faults: [{ atMs: 500, type: "cut", from: "db2", to: "db1", oneWay: true }] });
    const late = eventsOf(s).filter((e) => e.timeMs > 600);
    expect(late.some((e) => e.type === "deliver" && e.from === "db2" && e.to === "db1")).toBe(false);
    expect(late.some((e) => e.type === "drop" && e.from === "db2" && e.to === "db1" && e.reason === "cut")).toBe(true);
    expect(late.some((e) => e.type === "deliver" && e.from === "db1" && e.to === "db2")).toBe(true);
  });

  it("drops what was in flight when the link breaks (a cut, or the sender crashing)", () => {
    const s = cluster({
      durationMs: 1000,
      network: { latencyMs: { dist: "constant", value: 100 } },
      faults: [{ atMs: 300, type: "crash", node: "db1" }],
    });
    const events = eventsOf(s);
    const broken = events.filter((e) => e.type === "drop" && e.reason === "link-broken" && e.from === "db1");
    expect(broken.length).toBeGreaterThan(0);
    expect(broken.every((e) => e.timeMs >= 300 && e.timeMs <= 400)).toBe(true);
  });

  it("loses about the configured fraction of messages on a lossy link", () => {
    const s = cluster({ durationMs: 5000, network: { latencyMs: { dist: "constant", value: 1 }, links: [{ from: "db1", to: "db2", lossRate: 0.2 }] } });
    const events = eventsOf(s);
    const sends = events.filter((e) => e.type === "send" && e.from === "db1" && e.to === "db2").length;
    const lost = events.filter((e) => e.type === "drop" && e.from === "db1" && e.to === "db2" && e.reason === "loss").length;
    expect(lost / sends).toBeGreaterThan(0.17);
    expect(lost / sends).toBeLessThan(0.23);
  });
});
