import { EV, MESSAGE_KINDS, DROP_REASONS, type MessageKind, type DropReason } from "../events";
import type { Distribution, NetworkSpec } from "../scenario/types";
import { sampler, type Sampler } from "../sim/distributions";
import { Random } from "../sim/random";
import { msToUs } from "../sim/time";
import type { Topology } from "./topology";

/** Every message has an envelope; the body depends on the kind. */
export interface Message {
  kind: number;
  from: number;
  to: number;
  /** The link generation when it was sent: a cut or a crash since then means it never arrives. */
  gen: number;
  /** A log index the message is about (0 if none), shown in send/deliver events. */
  index: number;
}

export const MSG = Object.freeze(
  Object.fromEntries(MESSAGE_KINDS.map((k, i) => [k, i])) as { [K in MessageKind]: number },
);
const DROP = Object.freeze(Object.fromEntries(DROP_REASONS.map((r, i) => [r, i])) as { [K in DropReason]: number });

/** What the network needs from the simulation around it. */
export interface NetworkHost {
  now(): number;
  emit(type: number, a: number, b: number, c: number, d: number): void;
  scheduleDelivery(atUs: number, message: Message): void;
  isUp(actor: number): boolean;
}

/** One direction of one link between two servers. */
class Link {
  lastDeliveryUs = 0;
  gen = 0;
  cut = false;
  slowSample: Sampler | null = null;
  constructor(
    readonly sample: Sampler,
    readonly random: Random,
    readonly lossRate: number,
  ) {}
}

/**
 * The simulated network. Links between servers are FIFO (like TCP: a later message never overtakes an
 * earlier one on the same link), have their own latency distribution and loss rate, and can be cut
 * (one way or both), slowed, or split by a partition. A message in flight when its link is cut, or
 * when its sender or receiver crashes, is dropped: it died in a buffer. Clients are phones on the
 * internet: their links are never partitioned and their requests travel independently (not FIFO).
 */
export class Network {
  private readonly links = new Map<number, Link>();
  private readonly overrides = new Map<number, { latency?: Distribution; lossRate?: number }>();
  private readonly defaultLatency: Distribution;
  private readonly defaultLoss: number;
  private readonly clientSample: Sampler;
  private readonly clientRandom: Random;
  /** Generation of each server's client connections, bumped when the server crashes. */
  private readonly clientGen: Float64Array;
  /** Partition group of each server (-1: not in any group, reaches everyone). */
  private readonly groupOf: Int32Array;

  constructor(
    spec: NetworkSpec,
    private readonly topology: Topology,
    private readonly seed: number,
    private readonly host: NetworkHost,
  ) {
    this.defaultLatency = spec.latencyMs;
    this.defaultLoss = spec.lossRate ?? 0;
    this.clientSample = sampler(spec.clientLatencyMs ?? spec.latencyMs);
    this.clientRandom = new Random(seed, "network/clients");
    this.clientGen = new Float64Array(topology.serverCount);
    this.groupOf = new Int32Array(topology.serverCount).fill(-1);
    for (const l of spec.links ?? []) {
      this.overrides.set(this.pair(topology.indexOf(l.from), topology.indexOf(l.to)), { latency: l.latencyMs, lossRate: l.lossRate });
    }
  }

  /** Sends a message now; it arrives later, or is dropped (with an event saying why). */
  send(m: Message): void {
    const { host } = this;
    const now = host.now();
    const serverToServer = this.topology.isServer(m.from) && this.topology.isServer(m.to);
    if (!serverToServer) {
      m.gen = this.clientGen[this.topology.isServer(m.from) ? m.from : m.to];
      host.emit(EV.send, m.from, m.to, m.kind, m.index);
      host.scheduleDelivery(now + msToUs(this.clientSample(this.clientRandom)), m);
      return;
    }
    const link = this.link(m.from, m.to);
    if (this.blocked(link, m.from, m.to)) {
      host.emit(EV.drop, m.from, m.to, m.kind, DROP.cut);
      return;
    }
    host.emit(EV.send, m.from, m.to, m.kind, m.index);
    if (link.lossRate > 0 && link.random.chance(link.lossRate)) {
      host.emit(EV.drop, m.from, m.to, m.kind, DROP.loss);
      return;
    }
    m.gen = link.gen;
    const latencyUs = msToUs((link.slowSample ?? link.sample)(link.random));
    const at = Math.max(now + latencyUs, link.lastDeliveryUs);
    link.lastDeliveryUs = at;
    host.scheduleDelivery(at, m);
  }

  /** Called when a message's delivery time comes: true if it arrives, false if it was dropped. */
  arrives(m: Message): boolean {
    const { host } = this;
    let reason = -1;
    if (!host.isUp(m.to)) reason = DROP["receiver-down"];
    else if (this.topology.isServer(m.from) && this.topology.isServer(m.to)) {
      const link = this.link(m.from, m.to);
      if (m.gen !== link.gen) reason = DROP["link-broken"];
      else if (this.blocked(link, m.from, m.to)) reason = DROP.cut;
    } else if (m.gen !== this.clientGen[this.topology.isServer(m.from) ? m.from : m.to]) {
      reason = DROP["link-broken"];
    }
    if (reason >= 0) {
      host.emit(EV.drop, m.from, m.to, m.kind, reason);
      return false;
    }
    host.emit(EV.deliver, m.from, m.to, m.kind, m.index);
    return true;
  }

  /** Can a message from one server reach another right now? */
  connected(from: number, to: number): boolean {
    return !this.blocked(this.link(from, to), from, to);
  }

  /** A node crashed: whatever it had sent and whatever was on its way to it is lost. */
  nodeCrashed(node: number): void {
    this.clientGen[node]++;
    for (const [pairKey, link] of this.links) {
      const from = Math.floor(pairKey / this.topology.serverCount);
      const to = pairKey % this.topology.serverCount;
      if (from === node || to === node) link.gen++;
    }
  }

  cut(from: number, to: number): void {
    const link = this.link(from, to);
    if (link.cut) return;
    link.cut = true;
    link.gen++;
    this.host.emit(EV["link-down"], from, to, 0, 0);
  }

  restore(from: number, to: number): void {
    const link = this.link(from, to);
    if (!link.cut) return;
    link.cut = false;
    if (!this.partitioned(from, to)) this.host.emit(EV["link-up"], from, to, 0, 0);
  }

  slow(from: number, to: number, latency: Distribution): void {
    this.link(from, to).slowSample = sampler(latency);
    this.host.emit(EV["link-slow"], from, to, 0, 0);
  }

  unslow(from: number, to: number): void {
    const link = this.link(from, to);
    if (!link.slowSample) return;
    link.slowSample = null;
    this.host.emit(EV["link-normal"], from, to, 0, 0);
  }

  /** Splits the servers into groups that cannot reach each other (servers not listed reach everyone). */
  partition(groups: number[][]): void {
    groups.forEach((members, g) => members.forEach((m) => (this.groupOf[m] = g)));
    const listed = groups.flat();
    for (const from of listed) {
      for (const to of listed) {
        if (from === to || this.groupOf[from] === this.groupOf[to]) continue;
        const link = this.link(from, to);
        link.gen++;
        if (!link.cut) this.host.emit(EV["link-down"], from, to, 0, 0);
      }
    }
  }

  /** Ends every partition and every cut. */
  heal(): void {
    const n = this.topology.serverCount;
    for (let from = 0; from < n; from++) {
      for (let to = 0; to < n; to++) {
        if (from === to) continue;
        const existing = this.links.get(this.pair(from, to));
        const wasDown = (existing?.cut ?? false) || this.partitioned(from, to);
        if (existing) existing.cut = false;
        if (wasDown) this.host.emit(EV["link-up"], from, to, 0, 0);
      }
    }
    this.groupOf.fill(-1);
  }

  private partitioned(from: number, to: number): boolean {
    const g = this.groupOf[from];
    const h = this.groupOf[to];
    return g >= 0 && h >= 0 && g !== h;
  }

  private blocked(link: Link, from: number, to: number): boolean {
    return link.cut || this.partitioned(from, to);
  }

  private pair(from: number, to: number): number {
    return from * this.topology.serverCount + to;
  }

  /** The link state of one direction, created on first use with its own random stream. */
  private link(from: number, to: number): Link {
    const key = this.pair(from, to);
    let link = this.links.get(key);
    if (!link) {
      const override = this.overrides.get(key);
      const names = this.topology.names;
      link = new Link(
        sampler(override?.latency ?? this.defaultLatency),
        new Random(this.seed, `network/${names[from]}->${names[to]}`),
        override?.lossRate ?? this.defaultLoss,
      );
      this.links.set(key, link);
    }
    return link;
  }
}
