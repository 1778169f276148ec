import { timeChart } from "./time-chart";
import type { ChartOptions, Figure, TimeSeries } from "./types";

/**
 * Replication lag over time, one line per replica: how far (in ms) each replica's applied state
 * trails the primary. Under async replication it grows while a replica is cut off and drains after.
 *
 * @example show(lagChart(result.lag, { faults: result.faults, provenance: result.provenance }))
 */
export function lagChart(perReplica: readonly TimeSeries[], opts: ChartOptions = {}): Figure {
  return timeChart({
    title: "Replication lag per replica",
    yTitle: "Replication lag (ms)",
    series: perReplica,
    hoverValue: "%{y:.1f} ms",
  }, opts);
}
