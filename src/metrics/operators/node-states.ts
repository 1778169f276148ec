import type { OperatorFunction } from "rxjs";
import { EV, EVENT_TYPES, MESSAGE_KINDS, type EventBatch } from "../../events";
import { perWindow, type WindowFold, type WindowSpan } from "./windows";

/** One database node at the end of a window. */
export interface NodeState {
  state: "up" | "down";
  role: "primary" | "replica";
  /** The epoch of this node's latest promotion or step-down; 0 if it never led (or lost its data since). */
  epoch: number;
}

/** Every known database node's state at the end of the window, by node name, in node order. */
export interface NodeStatesWindow extends WindowSpan {
  /** The highest epoch any node was promoted in so far (0 before the first promotion). */
  epoch: number;
  byNode: Record<string, NodeState>;
}

export interface NodeStatesOptions {
  /**
   * The database nodes to report, by name (e.g. `scenario.nodes.map((n) => n.id)`). Default: every
   * node seen in replication events (promote, demote, apply, data-loss, snapshot, truncate, and log
   * shipping messages), which finds all replicas at the primary's first heartbeat, at time 0.
   */
  nodes?: readonly string[];
}

/** Message kinds only database nodes exchange (append, append-reply, snapshot). */
const FIRST_REPLICATION_MESSAGE = MESSAGE_KINDS.indexOf("append");

/** What a row means here. */
const IGNORE = 0;
const SENT = 1; // a message: if it is log shipping, both ends are database nodes
const NODE_EVENT = 2; // apply, snapshot, truncate: the actor is a database node
const CRASHED = 3;
const RECOVERED = 4;
const PROMOTED = 5;
const DEMOTED = 6;
const LOST_DATA = 7;

/** Action by type code: a table, so the many rows of other types cost one lookup and one comparison. */
const ACTION = new Uint8Array(EVENT_TYPES.length);
ACTION[EV.send] = SENT;
ACTION[EV.apply] = NODE_EVENT;
ACTION[EV.snapshot] = NODE_EVENT;
ACTION[EV.truncate] = NODE_EVENT;
ACTION[EV.crash] = CRASHED;
ACTION[EV.recover] = RECOVERED;
ACTION[EV.promote] = PROMOTED;
ACTION[EV.demote] = DEMOTED;
ACTION[EV["data-loss"]] = LOST_DATA;

/**
 * Each database node's state at the end of every window of virtual time: up or down, primary or
 * replica, and its epoch, from crash / recover / promote / demote / data-loss events. Nodes start up,
 * as replicas; the first `promote` events (at time 0) name the initial primary.
 *
 * Like the status board of a hospital ward, copied at the end of each shift: who is on duty, who is
 * off sick, who is in charge.
 *
 * @example
 * sim.batches$.pipe(nodeStatesPerWindow(500)).subscribe((w) => rows.push(w));
 * // { startMs: 4000, endMs: 4500, epoch: 1, byNode: { db1: { state: "down", role: "primary", epoch: 1 }, ... } }
 */
export function nodeStatesPerWindow(windowMs: number, options: NodeStatesOptions = {}): OperatorFunction<EventBatch, NodeStatesWindow> {
  return perWindow(windowMs, () => new NodeStatesFold(options.nodes));
}

/** The bookkeeping behind `nodeStatesPerWindow` (exported for tests that inspect its memory). */
export class NodeStatesFold implements WindowFold<NodeStatesWindow> {
  // Indexed by actor, grown only for actors of node events: sized by the cluster, not the run.
  private readonly down: boolean[] = [];
  private readonly primary: boolean[] = [];
  private readonly nodeEpoch: number[] = [];
  private readonly isDb: boolean[] = [];
  private clusterEpoch = 0;
  private actors: readonly string[] = [];
  /** The nodes to report, in this order; null = the database nodes found in events, in node order. */
  private readonly only: readonly string[] | null;

  constructor(nodes?: readonly string[]) {
    this.only = nodes ? [...nodes] : null;
  }

  add(batch: EventBatch, from: number, to: number): void {
    this.actors = batch.names.actors;
    const { types, a, b, c } = batch;
    const isDb = this.isDb;
    for (let i = from; i < to; i++) {
      const action = ACTION[types[i]];
      if (action === IGNORE) continue;
      // Sends and applies are frequent and only tell which actors are database nodes: once both ends
      // are known they cost one more check.
      switch (action) {
        case SENT:
          if (c[i] >= FIRST_REPLICATION_MESSAGE && (isDb[a[i]] !== true || isDb[b[i]] !== true)) {
            this.at(a[i], true);
            this.at(b[i], true);
          }
          break;
        case NODE_EVENT:
          if (isDb[a[i]] !== true) this.at(a[i], true);
          break;
        case CRASHED:
          this.at(a[i], false).down[a[i]] = true;
          break;
        case RECOVERED:
          this.at(a[i], false).down[a[i]] = false;
          break;
        case PROMOTED:
          this.lead(a[i], b[i], true);
          break;
        case DEMOTED:
          this.lead(a[i], b[i], false);
          break;
        case LOST_DATA:
          // An empty node cannot lead: it comes back as a replica that never held an epoch.
          this.at(a[i], true).primary[a[i]] = false;
          this.nodeEpoch[a[i]] = 0;
          break;
      }
    }
  }

  private lead(node: number, epoch: number, primary: boolean): void {
    this.at(node, true).primary[node] = primary;
    this.nodeEpoch[node] = epoch;
    if (primary && epoch > this.clusterEpoch) this.clusterEpoch = epoch;
  }

  /** Makes room for `node` (marking it a database node if `db`); returns this for chaining. */
  private at(node: number, db: boolean): this {
    while (this.isDb.length <= node) {
      this.down.push(false);
      this.primary.push(false);
      this.nodeEpoch.push(0);
      this.isDb.push(false);
    }
    if (db) this.isDb[node] = true;
    return this;
  }

  close(startMs: number, endMs: number): NodeStatesWindow {
    const byNode: Record<string, NodeState> = {};
    if (this.only) for (const name of this.only) byNode[name] = this.stateOf(this.actors.indexOf(name));
    else for (let node = 0; node < this.isDb.length; node++) if (this.isDb[node]) byNode[this.actors[node] ?? `#${node}`] = this.stateOf(node);
    return { startMs, endMs, epoch: this.clusterEpoch, byNode };
  }

  /** A node no event mentioned yet (or an unknown name, index -1) is an up replica: how every node starts. */
  private stateOf(node: number): NodeState {
    if (node < 0 || node >= this.isDb.length) return { state: "up", role: "replica", epoch: 0 };
    return { state: this.down[node] ? "down" : "up", role: this.primary[node] ? "primary" : "replica", epoch: this.nodeEpoch[node] };
  }

  /** Sizes of the state kept between windows (for memory tests). */
  debugState(): { nodes: number } {
    return { nodes: this.isDb.length };
  }
}
