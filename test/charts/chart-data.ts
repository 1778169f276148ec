/** Test helper: a small, deterministic `ChartData`, as the engine's result would provide. */
import type { ChartData, TimeSeries } from "../../src/charts/types";

const tMs = Array.from({ length: 6000 }, (_, i) => i * 10);
const series = (name: string, f: (t: number) => number): TimeSeries => ({ name, tMs, values: tMs.map(f) });
const partitioned = (t: number) => t >= 20_000 && t < 30_000;

export function sampleChartData(): ChartData {
  return {
    provenance: { scenario: "async-failover", seed: 42, version: "0.1.0" },
    lag: [
      series("db2", (t) => (partitioned(t) ? (t - 20_000) / 10 : 5)),
      series("db3", (t) => 8 + 4 * Math.sin(t / 700) + (t === 45_000 ? 400 : 0)),
    ],
    availability: series("availability", (t) => (partitioned(t) ? 0.6 : 1)),
    latency: {
      write: Array.from({ length: 5000 }, (_, i) => 2 + ((i * 7919) % 97) / 10 + (i % 500 === 0 ? 150 : 0)),
      read: Array.from({ length: 5000 }, (_, i) => 0.5 + ((i * 104729) % 89) / 40),
    },
    throughput: series("ops", (t) => (partitioned(t) ? 600 : 1000) + ((t / 10) % 13)),
    faults: [
      { type: "partition", label: "partition db2", startMs: 20_000, endMs: 30_000 },
      { type: "crash", label: "crash db1", startMs: 50_000, endMs: null },
    ],
  };
}
