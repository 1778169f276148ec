import { seriesList, timeChart } from "./time-chart";
import type { ChartOptions, Figure, TimeSeries } from "./types";

/**
 * Write conflicts detected per window (multi-master replication): a step per window, typically zero
 * until a partition lets two primaries accept writes to the same keys.
 */
export function conflictsChart(series: TimeSeries | readonly TimeSeries[], opts: ChartOptions = {}): Figure {
  return timeChart({
    title: "Write conflicts",
    yTitle: "Conflicts per window",
    series: seriesList(series),
    lineShape: "window",
    hoverValue: "%{y:d} conflicts",
  }, opts);
}
