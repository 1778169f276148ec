/**
 * Metrics over a run's event stream: RxJS operators that fold `Simulation.batches$` into records per
 * window of virtual time, and helpers that shape those records into chart series.
 *
 * @example
 * import { availabilityPerWindow, availabilitySeries, type AvailabilityWindow } from "replicalab";
 * const windows: AvailabilityWindow[] = [];
 * sim.batches$.pipe(availabilityPerWindow(500)).subscribe((w) => windows.push(w));
 * sim.run();
 * availabilitySeries(windows); // { name: "availability", tMs: [500, 1000, ...], values: [1, 1, ...] }
 */
export { perWindow, type WindowFold, type WindowSpan } from "./operators/windows";
export type { OpKindFilter } from "./operators/in-flight-ops";
export { availabilityPerWindow, type AvailabilityOptions, type AvailabilityWindow } from "./operators/availability";
export { lagPerWindow, type LagWindow, type NodeLag } from "./operators/lag";
export { latencyPerWindow, type LatencyOptions, type LatencyWindow } from "./operators/latency";
export { throughputPerWindow, type ThroughputWindow } from "./operators/throughput";
export { faultWindows, faultWindowsSoFar, type FaultWindowRecord } from "./operators/faults";
export { nodeStatesPerWindow, type NodeState, type NodeStatesOptions, type NodeStatesWindow } from "./operators/node-states";
export {
  availabilitySeries,
  lagSeries,
  latencySeries,
  nodeUpSeries,
  throughputByKindSeries,
  throughputSeries,
  windowSeries,
  type LagStat,
  type LatencyStat,
} from "./series";
export type { TimeSeries } from "../charts/types";
export { summarize, type RunSummary } from "./summary";
export type { LatencySummary } from "./latency-histogram";
