/**
 * Pure shaping helpers: arrays of window records (from the operators in `./operators`) into the
 * `TimeSeries` the chart builders take.
 *
 * Every point is placed at its window's END time (`tMs[i] = windows[i].endMs`): a window's value is
 * only known once the window has closed, so a live chart appends a point exactly when it arrives, and
 * the final partial window lands at the run's real end. A missing value (no operation completed, a
 * replica that applied nothing) is NaN, which charts draw as a gap, never as zero.
 *
 * @example
 * const windows: LagWindow[] = [];
 * sim.batches$.pipe(lagPerWindow(250)).subscribe((w) => windows.push(w));
 * sim.run();
 * show(lagChart(lagSeries(windows), { faults }));
 */
import { flatMap, uniq } from "lodash";
import type { TimeSeries } from "../charts/types";
import type { AvailabilityWindow } from "./operators/availability";
import type { LagWindow, NodeLag } from "./operators/lag";
import type { LatencyWindow } from "./operators/latency";
import type { NodeStatesWindow } from "./operators/node-states";
import type { ThroughputWindow } from "./operators/throughput";
import type { WindowSpan } from "./operators/windows";

/** A latency statistic of `LatencyWindow`. */
export type LatencyStat = "meanMs" | "p50Ms" | "p99Ms" | "maxMs";

/** A lag statistic of `NodeLag`. */
export type LagStat = "meanMs" | "maxMs";

/** One series over windows: x = window end, y = `value(window)` (null or undefined = NaN, a gap). */
export function windowSeries<W extends WindowSpan>(name: string, windows: readonly W[], value: (w: W) => number | null | undefined): TimeSeries {
  return { name, tMs: windows.map((w) => w.endMs), values: windows.map((w) => value(w) ?? NaN) };
}

/**
 * One series per node that appears in any window, in order of first appearance (node order), with the
 * chosen lag statistic (default the mean); NaN where a node applied nothing.
 */
export function lagSeries(windows: readonly LagWindow[], stat: LagStat = "meanMs"): TimeSeries[] {
  const nodes = uniq(flatMap(windows, (w) => Object.keys(w.byNode)));
  return nodes.map((node) => windowSeries(node, windows, (w) => lagValue(w.byNode[node], stat)));
}

function lagValue(lag: NodeLag | undefined, stat: LagStat): number | null {
  return lag === undefined ? null : lag[stat];
}

/** The share of operations answered ok per window (0..1); NaN where none completed. */
export function availabilitySeries(windows: readonly AvailabilityWindow[], name = "availability"): TimeSeries {
  return windowSeries(name, windows, (w) => w.ratio);
}

/** One series per latency statistic (default p50 and p99), named "p50", "p99", "mean", "max"; NaN where nothing was answered ok. */
export function latencySeries(windows: readonly LatencyWindow[], stats: readonly LatencyStat[] = ["p50Ms", "p99Ms"]): TimeSeries[] {
  return stats.map((stat) => windowSeries(stat.replace(/Ms$/, ""), windows, (w) => w[stat]));
}

/** Operations answered ok per second, per window. */
export function throughputSeries(windows: readonly ThroughputWindow[], name = "throughput"): TimeSeries {
  return windowSeries(name, windows, (w) => w.perSec);
}

/** Reads and writes answered ok per second, per window, as two series ("reads", "writes"). */
export function throughputByKindSeries(windows: readonly ThroughputWindow[]): TimeSeries[] {
  const rate = (w: ThroughputWindow, n: number) => (w.endMs > w.startMs ? (n * 1000) / (w.endMs - w.startMs) : null);
  return [windowSeries("reads", windows, (w) => rate(w, w.reads)), windowSeries("writes", windows, (w) => rate(w, w.writes))];
}

/** One series per node: 1 while up, 0 while down, at each window end (a step chart of outages). */
export function nodeUpSeries(windows: readonly NodeStatesWindow[]): TimeSeries[] {
  const nodes = uniq(flatMap(windows, (w) => Object.keys(w.byNode)));
  return nodes.map((node) => windowSeries(node, windows, (w) => upValue(w, node)));
}

function upValue(w: NodeStatesWindow, node: string): number | null {
  const s = w.byNode[node];
  return s === undefined ? null : s.state === "up" ? 1 : 0;
}
