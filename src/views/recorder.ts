/**
 * Watches a run for the views. Subscribes to a `Simulation`'s event batches before it runs (like any
 * metric), and between `runUntil` slices reads the cluster's state into a `ClusterSnapshot`. It only
 * reads: a recorded run has the same events and `eventHash` as a plain one.
 */
import type { FaultWindow } from "../charts/types";
import { EV, type EventBatch, type MessageKind } from "../events";
import { availabilityPerWindow, type AvailabilityWindow } from "../metrics/operators/availability";
import { faultWindowsSoFar } from "../metrics/operators/faults";
import { lagPerWindow, type LagWindow } from "../metrics/operators/lag";
import { perWindow, type WindowFold, type WindowSpan } from "../metrics/operators/windows";
import { availabilitySeries, lagSeries, windowSeries } from "../metrics/series";
import type { Simulation } from "../sim/simulation";
import type { ClusterSnapshot, LinkTraffic, LinkView, NodeView, StoryLine, ViewSeries } from "./model";
import { StoryTeller, type StoryDetail } from "./story";
import { TrafficFold } from "./traffic";

export interface RecorderOptions {
  /** Width of the metric windows (ms). */
  windowMs: number;
  /** The store key whose value each node shows (null: none). */
  key: string | null;
  /** Which events become story lines (default "auto"). */
  story?: StoryDetail;
  /** Record message traffic for these frames (replay only). */
  traffic?: { frameTimesMs: readonly number[]; kinds: readonly MessageKind[] };
}

/** Conflicts (multi-master) and rollbacks (quorum) in one window. */
export interface ConflictWindow extends WindowSpan {
  conflicts: number;
  rollbacks: number;
}

const LINK_DOWN = EV["link-down"];
const LINK_UP = EV["link-up"];
const LINK_SLOW = EV["link-slow"];
const LINK_NORMAL = EV["link-normal"];

export class RunRecorder {
  readonly story: StoryTeller;
  readonly lag: LagWindow[] = [];
  readonly availability: AvailabilityWindow[] = [];
  readonly conflicts: ConflictWindow[] = [];
  private faultList: FaultWindow[] = [];
  /** Per directed link between database nodes (from * n + to): cut or partitioned, slowed. */
  private readonly down: Uint8Array;
  private readonly slowed: Uint8Array;
  private readonly n: number;
  private readonly keyIndex: number;
  private readonly traffic: TrafficFold | null;
  private readonly logShipping: boolean;
  private readonly majorities: boolean;

  constructor(
    readonly sim: Simulation,
    readonly options: RecorderOptions,
  ) {
    const scenario = sim.scenario;
    this.n = sim.nodes.length;
    this.down = new Uint8Array(this.n * this.n);
    this.slowed = new Uint8Array(this.n * this.n);
    this.keyIndex = options.key === null ? -1 : keyIndexOf(sim, options.key);
    this.story = new StoryTeller(scenario, options.story);
    this.traffic = options.traffic ? new TrafficFold(this.n, options.traffic.frameTimesMs, options.traffic.kinds) : null;
    this.logShipping = !sim.isMultiMaster && !sim.isQuorum;
    this.majorities = sim.isQuorum || scenario.replication.failover !== undefined;
    const batches = sim.batches$;
    batches.subscribe({ next: (b) => this.add(b), complete: () => this.traffic?.finish() });
    batches.pipe(lagPerWindow(options.windowMs)).subscribe((w) => this.lag.push(w));
    batches.pipe(availabilityPerWindow(options.windowMs)).subscribe((w) => this.availability.push(w));
    batches.pipe(perWindow(options.windowMs, () => new ConflictFold())).subscribe((w) => this.conflicts.push(w));
    batches.pipe(faultWindowsSoFar()).subscribe((f) => (this.faultList = f));
  }

  private add(batch: EventBatch): void {
    this.story.add(batch);
    this.traffic?.add(batch);
    const { types, a, b } = batch;
    const n = this.n;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type !== LINK_DOWN && type !== LINK_UP && type !== LINK_SLOW && type !== LINK_NORMAL) continue;
      if (a[i] >= n || b[i] >= n) continue;
      const pair = a[i] * n + b[i];
      if (type === LINK_DOWN) this.down[pair] = 1;
      else if (type === LINK_UP) this.down[pair] = 0;
      else this.slowed[pair] = type === LINK_SLOW ? 1 : 0;
    }
  }

  /** The cluster now (after every event up to the simulation's clock). */
  snapshot(): ClusterSnapshot {
    const { sim, n } = this;
    const links: LinkView[] = [];
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        links.push({ a, b, abUp: this.down[a * n + b] === 0, baUp: this.down[b * n + a] === 0, slow: this.slowed[a * n + b] === 1 || this.slowed[b * n + a] === 1 });
      }
    }
    const nodes = sim.nodes.map((node, i): NodeView => {
      const value = this.keyIndex >= 0 ? node.store.get(this.keyIndex) : NaN;
      return {
        name: node.id,
        role: node.role,
        up: node.up,
        term: node.epoch,
        value: Number.isNaN(value) ? null : value,
        version: this.keyIndex >= 0 ? node.store.versions[this.keyIndex] : 0,
        applied: this.logShipping && node.role !== "witness" ? (node.role === "primary" ? node.log.lastIndex : node.appliedIndex) : null,
        majority: this.majorities && node.up ? this.reaches(i) * 2 > n : null,
      };
    });
    return { tMs: sim.now() / 1000, nodes, links };
  }

  /** How many voters (itself included) node i can exchange messages with right now. */
  private reaches(i: number): number {
    const { sim, n } = this;
    let count = 1;
    for (let j = 0; j < n; j++) {
      if (j !== i && sim.nodes[j].up && this.down[i * n + j] === 0 && this.down[j * n + i] === 0) count++;
    }
    return count;
  }

  /** The story so far, newest last. */
  get lines(): readonly StoryLine[] {
    return this.story.lines;
  }

  /** Fault windows so far (open ones have `endMs: null`). */
  get faults(): FaultWindow[] {
    return this.faultList;
  }

  /** The chart series of the windows closed so far. */
  series(): ViewSeries {
    const conflicts = [windowSeries("conflicts", this.conflicts, (w) => w.conflicts)];
    if (this.sim.isQuorum) conflicts.push(windowSeries("rollbacks", this.conflicts, (w) => w.rollbacks));
    return { lag: lagSeries(this.lag), availability: availabilitySeries(this.availability), conflicts };
  }

  /** Message traffic per frame (call after the run finished). */
  linkTraffic(): LinkTraffic[][] {
    return this.traffic ? this.traffic.traffic() : [];
  }
}

class ConflictFold implements WindowFold<ConflictWindow> {
  private conflicts = 0;
  private rollbacks = 0;

  add(batch: EventBatch, from: number, to: number): void {
    const { types } = batch;
    for (let i = from; i < to; i++) {
      if (types[i] === EV.conflict) this.conflicts++;
      else if (types[i] === EV.rollback) this.rollbacks++;
    }
  }

  close(startMs: number, endMs: number): ConflictWindow {
    const w = { startMs, endMs, conflicts: this.conflicts, rollbacks: this.rollbacks };
    this.conflicts = 0;
    this.rollbacks = 0;
    return w;
  }
}

function keyIndexOf(sim: Simulation, key: string): number {
  const i = sim.keys.names.indexOf(key);
  if (i < 0) {
    const known = sim.keys.names.slice(0, 5).join(", ");
    throw new Error(`views: no key "${key}" in scenario "${sim.scenario.name}" (keys: ${known}${sim.keys.names.length > 5 ? ", ..." : ""})`);
  }
  return i;
}

/** The key a view shows by default: the first key the scenario's script names, else none. */
export function defaultKey(sim: Simulation): string | null {
  for (const op of sim.scenario.script ?? []) if (op.op !== "promote") return op.key;
  return null;
}
