import { describe, expect, test } from "vitest";
import { availabilityChart } from "../../src/charts/availability";
import { conflictsChart } from "../../src/charts/conflicts";
import { lagChart } from "../../src/charts/lag";
import { faultColour, OKABE_ITO } from "../../src/charts/palette";
import { throughputChart } from "../../src/charts/throughput";
import type { FaultWindow, TimeSeries } from "../../src/charts/types";

const series = (name: string, n: number, stepMs = 100): TimeSeries => ({
  name, tMs: Array.from({ length: n }, (_, i) => i * stepMs), values: Array.from({ length: n }, (_, i) => i % 7),
});
const faults: FaultWindow[] = [
  { type: "partition", label: "partition db2", startMs: 20_000, endMs: 30_000 },
  { type: "crash", label: "crash db1", startMs: 40_000, endMs: 45_000 },
  { type: "crash", label: "crash db1 again", startMs: 50_000, endMs: null },
];
const provenance = { scenario: "async-failover", seed: 42, version: "0.1.0" };

describe("time charts", () => {
  test("lag: one line per replica, with title, axis titles and units", () => {
    const fig = lagChart([series("db2", 600), series("db3", 600)]);
    expect(fig.data.map((t) => t.name)).toEqual(["db2", "db3"]);
    expect(fig.layout.title.text).toBe("Replication lag per replica");
    expect(fig.layout.yaxis.title.text).toBe("Replication lag (ms)");
    expect(fig.layout.xaxis.title.text).toBe("Virtual time (s)");
    expect(fig.layout.showlegend).toBe(true);
  });

  test("time is in seconds for long runs, milliseconds for short ones", () => {
    expect(lagChart([series("db2", 600)]).data[0].x[10]).toBe(1);
    const short = lagChart([series("db2", 40)]);
    expect(short.layout.xaxis.title.text).toBe("Virtual time (ms)");
    expect(short.data[0].x[10]).toBe(1000);
  });

  test("every fault window is shaded; one legend entry and one colour per fault type", () => {
    const fig = lagChart([series("db2", 600)], { faults });
    const shapes = fig.layout.shapes;
    expect(shapes).toHaveLength(3);
    expect(shapes.map((s) => [s.x0, s.x1])).toEqual([[20, 30], [40, 45], [50, 59.9]]);
    expect(shapes.map((s) => s.showlegend)).toEqual([true, true, false]);
    expect(shapes[1].fillcolor).toBe(shapes[2].fillcolor);
    expect(shapes[0].fillcolor).not.toBe(shapes[1].fillcolor);
    expect(shapes.every((s) => s.yref === "paper" && s.y0 === 0 && s.y1 === 1)).toBe(true);
    expect(fig.layout.annotations.filter((a) => a.name === "fault-label").map((a) => a.text))
      .toEqual(["partition db2", "crash db1", "crash db1 again"]);
  });

  test("fault colours come from the Okabe–Ito palette, also for unknown types", () => {
    const palette = Object.values(OKABE_ITO) as string[];
    for (const type of ["crash", "partition", "cut", "slow", "domain-failure", "disk-loss", "gremlins"]) {
      expect(palette).toContain(faultColour(type));
    }
    expect(faultColour("gremlins")).toBe(faultColour("gremlins"));
  });

  test("many windows are told apart by the legend, not by labels", () => {
    const many = Array.from({ length: 20 }, (_, i): FaultWindow => ({ type: "crash", label: `crash ${i}`, startMs: i * 2000, endMs: i * 2000 + 500 }));
    const fig = lagChart([series("db2", 600)], { faults: many });
    expect(fig.layout.shapes).toHaveLength(20);
    expect(fig.layout.annotations.filter((a) => a.name === "fault-label")).toHaveLength(0);
  });

  test("provenance sits in a corner as 'scenario · seed · version'", () => {
    const fig = lagChart([series("db2", 600)], { provenance });
    const note = fig.layout.annotations.find((a) => a.name === "provenance");
    expect(note?.text).toBe("async-failover · seed 42 · replicalab 0.1.0");
    expect([note?.x, note?.xanchor]).toEqual([1, "right"]);
    expect(fig.provenance).toEqual(provenance);
  });

  test("long series are downsampled for display, keeping their spike", () => {
    const big = series("db2", 100_000, 1);
    big.values[12_345] = 10_000;
    const fig = lagChart([big], { maxPoints: 1000 });
    expect(fig.data[0].y.length).toBeLessThanOrEqual(1000);
    expect(Math.max(...fig.data[0].y)).toBe(10_000);
  });

  test("availability is a percentage axis from 0 to 100%, drawn per window", () => {
    const fig = availabilityChart(series("availability", 60, 1000));
    expect(fig.layout.yaxis.tickformat).toBe(".0%");
    expect(fig.layout.yaxis.range).toEqual([0, 1.05]);
    expect(fig.data[0].line?.shape).toBe("vh");
  });

  test("per-window values (placed at window ends) are drawn over their own window", () => {
    // Windows [0,1s) [1s,2s) [2s,3s) with values 1, 0.5, 1, placed at 1s, 2s, 3s.
    const fig = availabilityChart({ name: "a", tMs: [1000, 2000, 3000], values: [1, 0.5, 1] });
    expect(fig.data[0].x).toEqual([0, 1000, 2000, 3000]);
    expect(fig.data[0].y).toEqual([1, 1, 0.5, 1]);
    // plotly's "vh": at each x the line first moves to the next value, then holds it until that
    // value's window end, so 0.5 covers [1000, 2000).
    expect(fig.data[0].line?.shape).toBe("vh");
  });

  test("conflicts and throughput take one series or several", () => {
    expect(conflictsChart(series("conflicts", 10)).data).toHaveLength(1);
    expect(throughputChart([series("reads", 10), series("writes", 10)]).layout.yaxis.title.text).toBe("Throughput (ops/s)");
  });

  test("mismatched series are a programming error, named", () => {
    expect(() => lagChart([{ name: "db9", tMs: [1, 2], values: [1] }])).toThrow(/db9/);
  });

  test("figures are plain JSON: NaN becomes a gap (null)", () => {
    const fig = lagChart([{ name: "db2", tMs: [0, 1, 2], values: [1, NaN, 3] }]);
    expect(JSON.parse(JSON.stringify(fig)).data[0].y).toEqual([1, null, 3]);
  });
});
