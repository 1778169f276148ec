import type { OperatorFunction } from "rxjs";
import { EV, type EventBatch } from "../../events";
import { round3 } from "../latency-histogram";
import { perWindow, type WindowFold, type WindowSpan } from "./windows";

/** Apply lag of one replica in one window; the ms fields and behindMax are null when it applied nothing. */
export interface NodeLag {
  /** Mean time from the primary's commit to this replica's apply, over the entries applied in the window. */
  meanMs: number | null;
  maxMs: number | null;
  /** Entries applied in the window. */
  count: number;
  /** Most log entries still waiting to be applied right after an apply (how far the replica trailed). */
  behindMax: number | null;
}

/**
 * Replication lag per window, by node name. Every node that has applied anything since subscribing
 * appears in every later window (count 0 when it applied nothing, e.g. while crashed or cut off), in
 * node order, so each replica's series has one value per window.
 */
export interface LagWindow extends WindowSpan {
  byNode: Record<string, NodeLag>;
}

const APPLY = EV.apply;

/**
 * Replication lag per window of virtual time, per replica, from `apply` events (c = lag in µs from
 * the primary's commit, d = entries still behind).
 *
 * Like the delay board of a railway station, redrawn every few minutes: each line is one train
 * (replica), with its average and worst delay in the period; a train that did not run shows a blank.
 *
 * @example
 * sim.batches$.pipe(lagPerWindow(250)).subscribe((w) => rows.push(w));
 * // { startMs: 0, endMs: 250, byNode: { db2: { meanMs: 5.1, maxMs: 12.3, count: 120, behindMax: 3 }, db3: ... } }
 */
export function lagPerWindow(windowMs: number): OperatorFunction<EventBatch, LagWindow> {
  return perWindow(windowMs, () => new LagFold());
}

/** The accounting behind `lagPerWindow` (exported for tests that inspect its memory). */
export class LagFold implements WindowFold<LagWindow> {
  // Indexed by actor; grown only for actors that apply (database nodes), so sized by the cluster.
  private readonly sumUs: number[] = [];
  private readonly maxUs: number[] = [];
  private readonly count: number[] = [];
  private readonly behindMax: number[] = [];
  private readonly seen: boolean[] = [];
  private actors: readonly string[] = [];

  add(batch: EventBatch, from: number, to: number): void {
    this.actors = batch.names.actors;
    const { types, a, c, d } = batch;
    for (let i = from; i < to; i++) {
      if (types[i] !== APPLY) continue;
      const node = a[i];
      if (node >= this.seen.length) this.grow(node);
      const lagUs = c[i];
      this.seen[node] = true;
      this.count[node]++;
      this.sumUs[node] += lagUs;
      if (lagUs > this.maxUs[node]) this.maxUs[node] = lagUs;
      if (d[i] > this.behindMax[node]) this.behindMax[node] = d[i];
    }
  }

  private grow(node: number): void {
    while (this.seen.length <= node) {
      this.seen.push(false);
      this.sumUs.push(0);
      this.maxUs.push(0);
      this.count.push(0);
      this.behindMax.push(0);
    }
  }

  close(startMs: number, endMs: number): LagWindow {
    const byNode: Record<string, NodeLag> = {};
    for (let node = 0; node < this.seen.length; node++) {
      if (!this.seen[node]) continue;
      byNode[this.actors[node] ?? `#${node}`] = this.nodeLag(node);
      this.sumUs[node] = 0;
      this.maxUs[node] = 0;
      this.count[node] = 0;
      this.behindMax[node] = 0;
    }
    return { startMs, endMs, byNode };
  }

  private nodeLag(node: number): NodeLag {
    const n = this.count[node];
    if (n === 0) return { meanMs: null, maxMs: null, count: 0, behindMax: null };
    return { meanMs: round3(this.sumUs[node] / n / 1000), maxMs: this.maxUs[node] / 1000, count: n, behindMax: this.behindMax[node] };
  }

  /** Sizes of the state kept between windows (for memory tests). */
  debugState(): { nodes: number } {
    return { nodes: this.seen.length };
  }
}
