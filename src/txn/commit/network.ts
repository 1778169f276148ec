import type { Distribution } from "../../scenario/types";
import { sampler, type Sampler } from "../../sim/distributions";
import { Random } from "../../sim/random";
import { msToUs } from "../../sim/time";
import type { TxnDropReason, TxnEventInput } from "./events";
import type { CommitMessage } from "./messages";

/** What the network needs from the world around it. */
export interface NetworkHost {
  now(): number;
  at(timeUs: number, action: () => void): void;
  emit(event: TxnEventInput): void;
  isUp(node: number): boolean;
  deliver(message: CommitMessage): void;
}

export interface NetworkSpec {
  latencyMs: Distribution;
  lossRate: number;
  names: readonly string[];
  seed: number;
}

/** One direction of one link. */
class Link {
  lastDeliveryUs = 0;
  /** Bumped by a crash of the receiving end or a partition between the ends: what was in flight is lost. */
  gen = 0;
  constructor(readonly random: Random) {}
}

/**
 * The network between the coordinator and the participants, after the replication engine's
 * (`src/cluster/network.ts`) but for this small world: every pair of nodes has a FIFO link (a later
 * message never overtakes an earlier one, like TCP) with its own random stream. A message is lost
 * with probability `lossRate`; a message in flight when its receiver crashes, or when a partition
 * separates the two ends, never arrives.
 *
 * Unlike the replication network, a message that has left survives its SENDER's crash: a coordinator
 * that "crashes after sending the decision to one participant" has told that participant. That is
 * what makes the fault points of atomic commit (`after-decision-sent`, ...) mean what they say.
 */
export class CommitNetwork {
  private readonly links: (Link | undefined)[];
  private readonly sample: Sampler;
  private readonly groupOf: Int32Array;
  private nextId = 1;

  constructor(
    private readonly spec: NetworkSpec,
    private readonly host: NetworkHost,
  ) {
    const n = spec.names.length;
    this.sample = sampler(spec.latencyMs);
    this.groupOf = new Int32Array(n).fill(-1);
    this.links = new Array<Link | undefined>(n * n);
  }

  /** Sends now; the message arrives later or is dropped, with an event either way. */
  send(body: Omit<CommitMessage, "id" | "gen">): void {
    const link = this.link(body.from, body.to);
    const message: CommitMessage = { ...body, id: this.nextId++, gen: link.gen };
    this.emit("send", message);
    // Draw the latency first and always, so switching loss on does not reshuffle the latencies.
    const latencyUs = msToUs(this.sample(link.random));
    if (this.partitioned(message.from, message.to)) return this.drop(message, "cut");
    if (link.random.chance(this.spec.lossRate)) return this.drop(message, "loss");
    const atUs = Math.max(this.host.now() + latencyUs, link.lastDeliveryUs);
    link.lastDeliveryUs = atUs;
    this.host.at(atUs, () => this.arrive(message, link));
  }

  /** Splits the nodes into groups that cannot reach each other (nodes not listed reach everyone). */
  partition(groups: readonly (readonly number[])[]): void {
    this.groupOf.fill(-1);
    groups.forEach((members, g) => members.forEach((node) => (this.groupOf[node] = g)));
    const n = this.spec.names.length;
    for (let from = 0; from < n; from++) for (let to = 0; to < n; to++) if (this.partitioned(from, to)) this.link(from, to).gen++;
  }

  heal(): void {
    this.groupOf.fill(-1);
  }

  /** A node crashed: whatever was on its way to it is lost (even if it restarts before it would arrive). */
  nodeCrashed(node: number): void {
    for (let other = 0; other < this.spec.names.length; other++) this.link(other, node).gen++;
  }

  private arrive(message: CommitMessage, link: Link): void {
    if (!this.host.isUp(message.to)) this.drop(message, "receiver-down");
    else if (message.gen !== link.gen) this.drop(message, "link-broken");
    else {
      this.emit("deliver", message);
      this.host.deliver(message);
    }
  }

  private drop(message: CommitMessage, reason: TxnDropReason): void {
    const { id, kind, txn } = message;
    this.host.emit({ type: "drop", msg: id, from: this.spec.names[message.from], to: this.spec.names[message.to], kind, txn, reason });
  }

  private emit(type: "send" | "deliver", message: CommitMessage): void {
    const { id, kind, txn } = message;
    const fields = { msg: id, from: this.spec.names[message.from], to: this.spec.names[message.to], kind, txn };
    this.host.emit(type === "send" ? { type: "send", ...fields } : { type: "deliver", ...fields });
  }

  private partitioned(from: number, to: number): boolean {
    const g = this.groupOf[from];
    const h = this.groupOf[to];
    return g >= 0 && h >= 0 && g !== h;
  }

  /** The state of one direction, created on first use with its own random stream. */
  private link(from: number, to: number): Link {
    const { names, seed } = this.spec;
    const i = from * names.length + to;
    return (this.links[i] ??= new Link(new Random(seed, `txn/network/${names[from]}->${names[to]}`)));
  }
}
