import { EV, type EventBatch } from "../events";
import type { Simulation } from "../sim/simulation";
import type { PromotionRule } from "./modes";

/**
 * A deterministic operator. This engine has no automatic failover, so somebody must promote a
 * replica when the primary dies: this object plays the DBA. It runs only BETWEEN `runUntil` slices
 * (never inside an event callback: calling into the simulation from a subscriber is forbidden), so
 * its actions happen at slice boundaries, the same ones on every run of a seed.
 *
 * Its rule: when the primary has been unusable (down, or back without its data) for at least
 * `primaryDownMsMin`, promote the most up-to-date live replica (highest last term, then highest last
 * index, then lowest node index). Like a careful DBA it never promotes a replica whose disk was
 * replaced until that replica has caught up again (it knows the disk was replaced: it watches the
 * `data-loss` events). With the `holds-every-acknowledged-write` rule it also requires the candidate's
 * log to hold every acknowledged write (it reads the ack ledger, the stand-in for what a semi-sync
 * failover manager learns by comparing replica positions with the last acknowledged transaction),
 * and waits when no replica does.
 */

export interface OperatorOptions {
  rule: PromotionRule;
  /** How long the primary must be unusable before a failover, ms. */
  primaryDownMsMin: number;
}

export const DEFAULT_OPERATOR: Omit<OperatorOptions, "rule"> = { primaryDownMsMin: 150 };

export interface OperatorAction {
  timeMs: number;
  /** Node promoted. */
  promoted: string;
  /** The primary it replaced. */
  replaced: string;
  /** Epoch of the new primary. */
  epoch: number;
  /** Acknowledged writes the promoted node's log lacked: what this promotion loses (known-engine-bugs.ts). */
  missingAcknowledged: number;
  description: string;
}

export class Operator {
  readonly actions: OperatorAction[] = [];
  /** Nodes whose disk was replaced and that have not caught up since (not promotable). */
  private readonly recloning = new Set<number>();
  /** For a recloning node: the primary and its last index when the node was first seen back with it. */
  private readonly catchUpMark = new Map<number, { primary: number; index: number }>();
  private unusableSinceMs = -1;
  private dataLossSeen = false;

  constructor(
    private readonly sim: Simulation,
    readonly options: OperatorOptions,
  ) {}

  /** Consumes events (subscribed before the run). Only records: never calls into the simulation. */
  observe(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      if (batch.types[i] === EV["data-loss"]) {
        this.recloning.add(batch.a[i]);
        this.catchUpMark.delete(batch.a[i]);
        this.dataLossSeen = true;
      }
    }
  }

  /** True once any node lost its data (what makes a cluster rightly unavailable). */
  get sawDataLoss(): boolean {
    return this.dataLossSeen;
  }

  /** The directory's primary is up and still leads. */
  primaryUsable(): boolean {
    const p = this.sim.directoryPrimary();
    return p >= 0 && this.sim.isUp(p) && this.sim.nodes[p].role === "primary";
  }

  /** One step between slices: track catch-up, and fail over if the primary has been gone long enough. */
  step(): OperatorAction | null {
    const nowMs = this.sim.now() / 1000;
    this.trackCatchUp();
    if (this.options.rule === "none" || this.primaryUsable()) {
      this.unusableSinceMs = -1;
      return null;
    }
    if (this.unusableSinceMs < 0) this.unusableSinceMs = nowMs;
    if (nowMs - this.unusableSinceMs < this.options.primaryDownMsMin) return null;
    const best = this.candidates()[0];
    if (best === undefined) return null; // nobody may lead: wait (rightly unavailable for writes)
    const old = this.sim.directoryPrimary();
    const missingAcknowledged = this.sim.ledger.missingFrom(this.sim.nodes[best].log);
    this.sim.promote(best);
    this.unusableSinceMs = -1;
    const node = this.sim.nodes[best];
    const action: OperatorAction = {
      timeMs: nowMs,
      promoted: node.id,
      replaced: this.sim.nodes[old]?.id ?? "none",
      epoch: node.epoch,
      missingAcknowledged,
      description: `${nowMs} ms: operator promoted ${node.id} (epoch ${node.epoch}, last index ${node.log.lastIndex}) replacing ${this.sim.nodes[old]?.id ?? "none"}`,
    };
    this.actions.push(action);
    return action;
  }

  /** Nodes that could be promoted now, best first. */
  candidates(): number[] {
    if (this.options.rule === "none") return [];
    const sim = this.sim;
    const primary = sim.directoryPrimary();
    const out = sim.nodes.filter((n) => {
      if (n.index === primary || n.spec.role === "witness" || !sim.isUp(n.index) || this.recloning.has(n.index)) return false;
      if (this.options.rule === "holds-every-acknowledged-write") return sim.ledger.missingFrom(n.log) === 0;
      return true;
    });
    out.sort((x, y) => y.log.lastTerm - x.log.lastTerm || y.log.lastIndex - x.log.lastIndex || x.index - y.index);
    return out.map((n) => n.index);
  }

  /**
   * A re-cloned node is promotable again once it holds everything the primary had when the node came
   * back (writes acknowledged after that needed it, or were acknowledged by others it now matches).
   */
  private trackCatchUp(): void {
    if (this.recloning.size === 0 || !this.primaryUsable()) return;
    const p = this.sim.directoryPrimary();
    const primary = this.sim.nodes[p];
    for (const index of [...this.recloning]) {
      if (index === p || !this.sim.isUp(index)) continue;
      let mark = this.catchUpMark.get(index);
      if (!mark || mark.primary !== p) this.catchUpMark.set(index, (mark = { primary: p, index: primary.log.lastIndex }));
      if (this.sim.nodes[index].log.commonPrefixWith(primary.log) >= mark.index) {
        this.recloning.delete(index);
        this.catchUpMark.delete(index);
      }
    }
  }
}
