import { Observable, type OperatorFunction } from "rxjs";
import { EV, FAULT_TYPES, type EventBatch, type FaultKind } from "../../events";
import type { FaultWindow } from "../../charts/types";

/**
 * One fault's active span, ready for chart shading (a `FaultWindow` with the fault's identity).
 * `endMs` is null while the fault is active, or when it was never undone before the run ended.
 */
export interface FaultWindowRecord extends FaultWindow {
  /** The fault's index in the scenario's `faults` list (random crashes of one entry share it). */
  id: number;
  type: FaultKind;
  /** The node it hit (a cut: the link's first end), or null (a partition, a domain failure). */
  target: string | null;
  /** "crash db1", "partition", "random-crash db2", ... */
  label: string;
}

const FAULT_START = EV["fault-start"];
const LINK_FAULTS = new Set<string>(["cut", "slow"]);
const FAULT_END = EV["fault-end"];

/**
 * Fault windows of a run, from `fault-start` / `fault-end` events: emits the whole list, in start
 * order, once, when the stream completes (an empty list if no fault happened).
 *
 * Like the incident log of a power grid: each outage is written down when it starts and closed when
 * power is back; an outage still open when the log is handed over stays open.
 *
 * @example
 * sim.batches$.pipe(faultWindows()).subscribe((faults) => show(lagChart(lag, { faults })));
 * // [{ id: 0, type: "crash", target: "db1", label: "crash db1", startMs: 4000, endMs: 6000 }]
 */
export function faultWindows(): OperatorFunction<EventBatch, FaultWindowRecord[]> {
  return (source) =>
    new Observable<FaultWindowRecord[]>((subscriber) => {
      const log = new FaultLog();
      return source.subscribe({
        next: (batch) => log.add(batch),
        error: (err) => subscriber.error(err),
        complete() {
          subscriber.next(log.snapshot());
          subscriber.complete();
        },
      });
    });
}

/**
 * Like `faultWindows`, but for live charts: emits the list so far after each batch that started or
 * ended a fault (each emission is a fresh copy, so earlier ones never change under a chart).
 *
 * @example
 * sim.batches$.pipe(faultWindowsSoFar()).subscribe((faults) => redrawShading(faults));
 */
export function faultWindowsSoFar(): OperatorFunction<EventBatch, FaultWindowRecord[]> {
  return (source) =>
    new Observable<FaultWindowRecord[]>((subscriber) => {
      const log = new FaultLog();
      return source.subscribe({
        next: (batch) => {
          if (log.add(batch)) subscriber.next(log.snapshot());
        },
        error: (err) => subscriber.error(err),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * The fault windows seen so far. Its size follows the number of faults (the output itself), not the
 * number of events. A window is identified by (fault id, type, target), as the nemesis emits them:
 * one random-crashes entry opens windows on several nodes under one id.
 */
export class FaultLog {
  private readonly windows: FaultWindowRecord[] = [];
  private readonly open = new Map<string, FaultWindowRecord>();

  /** Folds one batch; true if a window opened or closed. */
  add(batch: EventBatch): boolean {
    const { types } = batch;
    // Fault events are rare: two native scans skip almost every batch without visiting its rows.
    if (types.indexOf(FAULT_START) === -1 && types.indexOf(FAULT_END) === -1) return false;
    let changed = false;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type === FAULT_START) {
        this.start(batch, i);
        changed = true;
      } else if (type === FAULT_END) changed = this.end(batch, i) || changed;
    }
    return changed;
  }

  private start(batch: EventBatch, i: number): void {
    const type = FAULT_TYPES[batch.b[i]];
    const targetIndex = batch.c[i];
    const target = targetIndex < 0 ? null : (batch.names.actors[targetIndex] ?? `#${targetIndex}`);
    // Link faults (cut, slow) name both ends: "cut db1-db3".
    const peerIndex = batch.d[i];
    const peer = peerIndex > 0 || (peerIndex === 0 && LINK_FAULTS.has(type)) ? (batch.names.actors[peerIndex] ?? `#${peerIndex}`) : null;
    const w: FaultWindowRecord = {
      id: batch.a[i],
      type,
      target,
      label: target === null ? type : peer === null ? `${type} ${target}` : `${type} ${target}-${peer}`,
      startMs: batch.timesUs[i] / 1000,
      endMs: null,
    };
    this.windows.push(w);
    this.open.set(windowKey(batch, i), w);
  }

  /** Closes the matching open window; an end without a start (subscribed mid-fault) is ignored. */
  private end(batch: EventBatch, i: number): boolean {
    const key = windowKey(batch, i);
    const w = this.open.get(key);
    if (w === undefined) return false;
    w.endMs = batch.timesUs[i] / 1000;
    this.open.delete(key);
    return true;
  }

  /** A copy of the list, safe to hand out. */
  snapshot(): FaultWindowRecord[] {
    return this.windows.map((w) => ({ ...w }));
  }
}

function windowKey(batch: EventBatch, i: number): string {
  return `${batch.a[i]}/${batch.b[i]}/${batch.c[i]}`;
}
