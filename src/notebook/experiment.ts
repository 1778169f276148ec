import type { Observable, OperatorFunction } from "rxjs";
import type { ChartData, FaultWindow, LatencySamples } from "../charts/types";
import { EV, type EventBatch } from "../events";
import type { History } from "../history/types";
import { availabilityPerWindow, type AvailabilityWindow } from "../metrics/operators/availability";
import { faultWindows } from "../metrics/operators/faults";
import { lagPerWindow, type LagWindow } from "../metrics/operators/lag";
import { throughputPerWindow, type ThroughputWindow } from "../metrics/operators/throughput";
import { availabilitySeries, lagSeries, throughputSeries } from "../metrics/series";
import { summarize, type RunSummary } from "../metrics/summary";
import { loadScenarioFile } from "../scenario/load";
import type { Scenario } from "../scenario/types";
import type { Bug } from "../sim/bugs";
import { Simulation } from "../sim/simulation";
import { VERSION } from "../version";

export interface ExperimentOptions {
  /** Override the scenario's seed. */
  seed?: number;
  /** Width of the metric windows, ms (default: about 200 windows over the run). */
  windowMs?: number;
  /** Record the client history (for consistency checkers). */
  recordHistory?: boolean;
  /** Deliberate bugs, to see a checker catch them. */
  bugs?: readonly Bug[];
}

/** Everything one run produces, ready for charts and checks. */
export interface Experiment {
  scenario: Scenario;
  summary: RunSummary;
  simulation: Simulation;
  /** The series the standard charts take (also what `replicalab export` draws). */
  data: ChartData;
  /** The raw per-window records, for custom charts. */
  windows: { availability: AvailabilityWindow[]; lag: LagWindow[]; throughput: ThroughputWindow[] };
  /** Client operations with invoke/complete times (with `recordHistory`; includes those in flight at the end). */
  history: History | null;
}

/**
 * Runs a scenario (a file under data/scenarios, or a scenario object) with the standard metric
 * streams attached, so that a notebook cell stays one line: `const run = experiment("data/scenarios/x.json")`.
 */
export function experiment(source: string | Scenario, options: ExperimentOptions = {}): Experiment {
  const loaded = typeof source === "string" ? loadScenarioFile(source) : source;
  const scenario = options.seed === undefined ? loaded : { ...loaded, seed: options.seed };
  const simulation = new Simulation(scenario, { recordHistory: options.recordHistory, bugs: options.bugs });
  const windowMs = options.windowMs ?? defaultWindowMs(scenario.durationMs);
  const batches = simulation.batches$;
  const availability = collect(batches, availabilityPerWindow(windowMs));
  const lag = collect(batches, lagPerWindow(windowMs));
  const throughput = collect(batches, throughputPerWindow(windowMs));
  const faults = collect(batches, faultWindows());
  const latency = collectLatencies(batches);
  simulation.run();
  const data: ChartData = {
    provenance: { scenario: scenario.name, seed: scenario.seed, version: VERSION },
    lag: lagSeries(lag),
    availability: availabilitySeries(availability),
    throughput: throughputSeries(throughput),
    latency,
    faults: (faults[0] ?? []) as FaultWindow[],
  };
  const history = simulation.history ? [...simulation.history, ...simulation.unfinishedHistory()] : null;
  return { scenario, summary: summarize(simulation), simulation, data, windows: { availability, lag, throughput }, history };
}

/** About 200 windows over the run, rounded to a readable width. */
export function defaultWindowMs(durationMs: number): number {
  const raw = durationMs / 200;
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 30000, 60000];
  return steps.find((s) => s >= raw) ?? 60000;
}

function collect<T>(batches: Observable<EventBatch>, operator: OperatorFunction<EventBatch, T>): T[] {
  const out: T[] = [];
  batches.pipe(operator).subscribe((x) => out.push(x));
  return out;
}

/** Client-observed latency of every successful operation (ms), from request/response rows. */
export function collectLatencies(batches: Observable<EventBatch>): LatencySamples {
  const samples: LatencySamples = { write: [], read: [] };
  const started = new Map<number, { timeUs: number; write: boolean }>();
  batches.subscribe((b) => {
    for (let i = 0; i < b.length; i++) {
      const type = b.types[i];
      if (type === EV.request) started.set(b.b[i], { timeUs: b.timesUs[i], write: b.c[i] === 1 });
      else if (type === EV.response || type === EV.timeout) {
        const op = started.get(b.b[i]);
        if (!op) continue;
        started.delete(b.b[i]);
        if (type === EV.response && b.c[i] === 0) (op.write ? samples.write : samples.read).push((b.timesUs[i] - op.timeUs) / 1000);
      }
    }
  });
  return samples;
}
