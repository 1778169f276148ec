import { seriesList, timeChart } from "./time-chart";
import type { ChartOptions, Figure, TimeSeries } from "./types";

/** Throughput over time: operations completed per second of virtual time, per window. */
export function throughputChart(series: TimeSeries | readonly TimeSeries[], opts: ChartOptions = {}): Figure {
  return timeChart({
    title: "Throughput",
    yTitle: "Throughput (ops/s)",
    series: seriesList(series),
    lineShape: "window",
    hoverValue: "%{y:.3~s} ops/s",
  }, opts);
}
