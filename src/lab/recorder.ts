/**
 * Real measurements as the kit's metric events: the same columnar `EventBatch` rows the simulator
 * emits (request, response, timeout, apply, reject, crash, promote, fault-start/end), on a clock
 * that starts at 0 when the recorder is created. The kit's metric operators (`lagPerWindow`,
 * `availabilityPerWindow`, `latencyPerWindow`, `faultWindows`, ...) and series helpers then fold
 * them exactly as they fold a simulated run, so the existing chart builders draw real systems.
 *
 * Times are wall-clock here (`performance.now()`, µs since the recorder started), not virtual: the
 * charts of real runs say so on their time axis (`realTimeAxis`).
 */
import { from, type Observable, type OperatorFunction } from "rxjs";
import type { ChartData, Figure, LatencySamples, Provenance } from "../charts/types";
import { ERROR_CODES, EV, EventBatch, FAULT_TYPES, type ErrorCode, type FaultKind, type OpKind } from "../events";
import { availabilityPerWindow, type AvailabilityWindow } from "../metrics/operators/availability";
import { faultWindows, type FaultWindowRecord } from "../metrics/operators/faults";
import { lagPerWindow, type LagWindow } from "../metrics/operators/lag";
import { latencyPerWindow, type LatencyWindow } from "../metrics/operators/latency";
import { throughputPerWindow, type ThroughputWindow } from "../metrics/operators/throughput";
import { availabilitySeries, lagSeries, throughputSeries } from "../metrics/series";
import { VERSION } from "../version";

const ROWS_PER_BATCH = 4096;

/** Everything a real run produces for the standard charts, shaped like `experiment(...)`'s output. */
export interface RealRunData {
  data: ChartData;
  windows: { availability: AvailabilityWindow[]; lag: LagWindow[]; throughput: ThroughputWindow[]; latency: LatencyWindow[] };
  faults: FaultWindowRecord[];
}

export class LabRecorder {
  private readonly t0: number;
  private readonly actors: string[];
  private readonly keys: string[] = ["lab"];
  private types: number[] = [];
  private times: number[] = [];
  private a: number[] = [];
  private b: number[] = [];
  private c: number[] = [];
  private d: number[] = [];
  private nextOp = 0;
  private nextFault = 0;
  private readonly started = new Map<number, { client: number; kind: OpKind; timeUs: number }>();

  /** `nodes` are the servers ("primary", "s1", ...); clients are added as they first appear. */
  constructor(nodes: readonly string[], t0: number = performance.now()) {
    this.actors = [...nodes];
    this.t0 = t0;
  }

  /** Microseconds since the recorder started. */
  nowUs(): number {
    return Math.round((performance.now() - this.t0) * 1000);
  }

  /** Milliseconds since the recorder started. */
  nowMs(): number {
    return (performance.now() - this.t0);
  }

  /** Index of an actor (node or client), added on first use. */
  actor(name: string): number {
    let i = this.actors.indexOf(name);
    if (i === -1) {
      i = this.actors.length;
      this.actors.push(name);
    }
    return i;
  }

  private row(type: number, timeUs: number, a: number, b: number, c: number, d: number): void {
    this.types.push(type);
    this.times.push(timeUs);
    this.a.push(a);
    this.b.push(b);
    this.c.push(c);
    this.d.push(d);
  }

  /** A client sends an operation; returns its op id (pass it to `response`/`timeout`). */
  request(client: string, kind: OpKind, atUs: number = this.nowUs()): number {
    const op = this.nextOp++;
    const ci = this.actor(client);
    this.started.set(op, { client: ci, kind, timeUs: atUs });
    this.row(EV.request, atUs, ci, op, kind === "write" ? 1 : 0, 0);
    return op;
  }

  /** The answer to `op` arrived ("ok" or an error code); returns the latency in ms. */
  response(op: number, error: ErrorCode = "ok", atUs: number = this.nowUs()): number {
    const s = this.started.get(op);
    if (s === undefined) throw new Error(`response for unknown op ${op}`);
    this.started.delete(op);
    this.row(EV.response, atUs, s.client, op, ERROR_CODES.indexOf(error), NaN);
    return (atUs - s.timeUs) / 1000;
  }

  /** The client gave up on `op`. */
  timeout(op: number, atUs: number = this.nowUs()): void {
    const s = this.started.get(op);
    if (s === undefined) return;
    this.started.delete(op);
    this.row(EV.timeout, atUs, s.client, op, 0, 0);
  }

  /** A replica's lag, as measured (ms), and how far behind it is (`behind`: WAL bytes, entries, ...). */
  apply(node: string, lagMs: number, behind = 0, atUs: number = this.nowUs()): void {
    this.row(EV.apply, atUs, this.actor(node), 0, Math.round(lagMs * 1000), behind);
  }

  /** A node refused an operation (a write on a standby: "read-only"). */
  reject(node: string, op: number, error: ErrorCode, atUs: number = this.nowUs()): void {
    this.row(EV.reject, atUs, this.actor(node), op, ERROR_CODES.indexOf(error), 0);
  }

  crash(node: string, atUs: number = this.nowUs()): void {
    this.row(EV.crash, atUs, this.actor(node), 0, 0, 0);
  }

  recover(node: string, atUs: number = this.nowUs()): void {
    this.row(EV.recover, atUs, this.actor(node), 0, 0, 0);
  }

  promote(node: string, epoch: number, atUs: number = this.nowUs()): void {
    this.row(EV.promote, atUs, this.actor(node), epoch, 0, 0);
  }

  /** Opens a fault window (shaded on charts); returns its id for `faultEnd`. */
  faultStart(kind: FaultKind, target: string | null, atUs: number = this.nowUs()): number {
    const id = this.nextFault++;
    this.row(EV["fault-start"], atUs, id, FAULT_TYPES.indexOf(kind), target === null ? -1 : this.actor(target), 0);
    return id;
  }

  faultEnd(id: number, kind: FaultKind, target: string | null, atUs: number = this.nowUs()): void {
    this.row(EV["fault-end"], atUs, id, FAULT_TYPES.indexOf(kind), target === null ? -1 : this.actor(target), 0);
  }

  /** Rows recorded so far. */
  get size(): number {
    return this.types.length;
  }

  /** The recorded rows as event batches, in time order (rows recorded out of order are sorted, stably). */
  batches(): EventBatch[] {
    const n = this.types.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => this.times[x] - this.times[y] || x - y);
    const names = { actors: [...this.actors], keys: this.keys };
    const out: EventBatch[] = [];
    for (let start = 0; start < n; start += ROWS_PER_BATCH) {
      const idx = order.slice(start, start + ROWS_PER_BATCH);
      const col = (src: number[]) => Float64Array.from(idx, (i) => src[i]);
      out.push(new EventBatch(idx.length, Uint8Array.from(idx, (i) => this.types[i]), col(this.times), col(this.a), col(this.b), col(this.c), col(this.d), names));
    }
    return out;
  }

  /** The batches as a stream, for the kit's metric operators. */
  batches$(): Observable<EventBatch> {
    return from(this.batches());
  }

  /**
   * Folds the recorded events with the kit's standard operators into chart data (the same shape
   * `experiment(...)` returns for a simulated run).
   */
  chartData(name: string, windowMs = 100): RealRunData {
    const availability = this.fold(availabilityPerWindow(windowMs));
    const lag = this.fold(lagPerWindow(windowMs));
    const throughput = this.fold(throughputPerWindow(windowMs));
    const latency = this.fold(latencyPerWindow(windowMs, { kind: "write" }));
    const faults = this.fold(faultWindows())[0] ?? [];
    const data: ChartData = {
      provenance: realProvenance(name),
      lag: lagSeries(lag),
      availability: availabilitySeries(availability),
      throughput: throughputSeries(throughput),
      latency: this.latencies(),
      faults,
    };
    return { data, windows: { availability, lag, throughput, latency }, faults };
  }

  /** Client-observed latency (ms) of every operation answered ok, by kind. */
  latencies(): LatencySamples {
    const out: LatencySamples = { write: [], read: [] };
    const start = new Map<number, { us: number; write: boolean }>();
    for (const batch of this.batches()) {
      for (let i = 0; i < batch.length; i++) {
        const t = batch.types[i];
        if (t === EV.request) start.set(batch.b[i], { us: batch.timesUs[i], write: batch.c[i] === 1 });
        else if (t === EV.response || t === EV.timeout) {
          const s = start.get(batch.b[i]);
          start.delete(batch.b[i]);
          if (s && t === EV.response && batch.c[i] === 0) (s.write ? out.write : out.read).push((batch.timesUs[i] - s.us) / 1000);
        }
      }
    }
    return out;
  }

  /** Lag samples (ms) per node, from the apply rows. */
  lagSamples(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (let i = 0; i < this.types.length; i++) {
      if (this.types[i] !== EV.apply) continue;
      (out[this.actors[this.a[i]]] ??= []).push(this.c[i] / 1000);
    }
    return out;
  }

  private fold<T>(op: OperatorFunction<EventBatch, T>): T[] {
    const out: T[] = [];
    this.batches$().pipe(op).subscribe((x) => out.push(x));
    return out;
  }
}

/** Provenance of a real run: "real: <name>" with seed 0 (a real run has no seed: it is not repeatable). */
export function realProvenance(name: string): Provenance {
  return { scenario: `real: ${name}`, seed: 0, version: VERSION };
}

/** Relabels a time chart's x axis: real runs are on the wall clock, since the experiment started. */
export function realTimeAxis(fig: Figure): Figure {
  const text = fig.layout.xaxis.title.text.replace(/^Virtual time/, "Wall-clock time since start");
  return { ...fig, layout: { ...fig.layout, xaxis: { ...fig.layout.xaxis, title: { ...fig.layout.xaxis.title, text } } } };
}
