import { seriesList, timeChart } from "./time-chart";
import type { ChartOptions, Figure, TimeSeries } from "./types";

/**
 * Availability over time: per window, the share of client operations answered ok (0..1, drawn as a
 * percentage). A step per window, because each value covers its whole window (values sit at their
 * window's end); NaN (no operations in the window) leaves a gap rather than pretending the system
 * was down.
 */
export function availabilityChart(series: TimeSeries | readonly TimeSeries[], opts: ChartOptions = {}): Figure {
  return timeChart({
    title: "Availability",
    yTitle: "Operations answered ok (%)",
    series: seriesList(series),
    yAxis: { range: [0, 1.05], tickformat: ".0%" },
    lineShape: "window",
    hoverValue: "%{y:.1%}",
  }, opts);
}
