import { sampler, type Sampler } from "../../sim/distributions";
import { EventQueue } from "../../sim/event-queue";
import { Random } from "../../sim/random";
import { msToUs, usToMs } from "../../sim/time";
import type { Distribution } from "../../scenario/types";
import { SagaEventLog } from "./events";
import { NODES, type NodeName } from "./types";

/**
 * The saga world: virtual time (the simulator's event queue, ordered by time then sequence number),
 * services that can crash and restart, and a network between them that delays and loses messages.
 * Services keep their state across a crash (their local databases are durable); what a crash loses is
 * what was only in memory: timers, and messages that arrive while the service is down.
 *
 * Each link draws from its own random stream (`saga/net/bank->orchestrator`), so a fault on one link
 * does not reshuffle the others.
 */
export interface NetworkConditions {
  /** Probability that a message sent at `timeUs` is lost. */
  lossAt(timeUs: number): number;
  /** Extra delay (ms) of a message between two nodes sent at `timeUs` (a slow node). */
  extraLatencyMs(from: NodeName, to: NodeName, timeUs: number, random: Random): number;
}

export type Handler = (message: unknown, from: NodeName) => void;

/** Nothing goes wrong: the network of a run without faults. */
export const CALM: NetworkConditions = { lossAt: () => 0, extraLatencyMs: () => 0 };

/** A bound on the events of one run: a run that reached it would be a livelock bug, not a long run. */
const MAX_EVENTS = 5_000_000;

export class SagaWorld {
  private readonly queue = new EventQueue();
  private clockUs = 0;
  private readonly up = new Map<NodeName, boolean>(NODES.map((n) => [n, true]));
  private readonly incarnation = new Map<NodeName, number>(NODES.map((n) => [n, 0]));
  private readonly handlers = new Map<NodeName, Handler>();
  private readonly crashHooks = new Map<NodeName, (() => void)[]>();
  private readonly restartHooks = new Map<NodeName, (() => void)[]>();
  private readonly links = new Map<string, Random>();
  private readonly latency: Sampler;
  private eventsRun = 0;
  readonly messages = { sent: 0, lost: 0, toDownNode: 0 };
  readonly log: SagaEventLog;
  conditions: NetworkConditions = CALM;

  constructor(
    readonly seed: number,
    latencyMs: Distribution,
    keepEvents = true,
  ) {
    this.latency = sampler(latencyMs);
    this.log = new SagaEventLog(keepEvents);
  }

  get nowUs(): number {
    return this.clockUs;
  }

  get nowMs(): number {
    return usToMs(this.clockUs);
  }

  /** Runs `fn` at an absolute virtual time. */
  at(timeUs: number, fn: () => void): void {
    this.queue.push(Math.max(timeUs, this.clockUs), 0, 0, 0, fn);
  }

  after(delayMs: number, fn: () => void): void {
    this.at(this.clockUs + msToUs(delayMs), fn);
  }

  /** A timer of a node: it does not fire if the node crashed in between (a crash loses what is in memory). */
  afterVirtual(node: NodeName, delayMs: number, fn: () => void): void {
    const inc = this.incarnation.get(node);
    this.after(delayMs, () => {
      if (this.up.get(node) && this.incarnation.get(node) === inc) fn();
    });
  }

  listen(node: NodeName, handler: Handler): void {
    this.handlers.set(node, handler);
  }

  onCrash(node: NodeName, hook: () => void): void {
    this.crashHooks.set(node, [...(this.crashHooks.get(node) ?? []), hook]);
  }

  onRestart(node: NodeName, hook: () => void): void {
    this.restartHooks.set(node, [...(this.restartHooks.get(node) ?? []), hook]);
  }

  isUp(node: NodeName): boolean {
    return this.up.get(node) === true;
  }

  /** Sends a message; it may be lost, and it is dropped if the receiver is down when it arrives. */
  send(from: NodeName, to: NodeName, message: unknown): void {
    if (!this.isUp(from)) return;
    this.messages.sent++;
    const random = this.link(from, to);
    if (random.chance(this.conditions.lossAt(this.clockUs))) {
      this.messages.lost++;
      this.log.record({ type: "message-lost", timeMs: this.nowMs, from, to, why: "loss" });
      return;
    }
    const delayMs = this.latency(random) + this.conditions.extraLatencyMs(from, to, this.clockUs, random);
    this.after(delayMs, () => this.deliver(from, to, message));
  }

  crash(node: NodeName): void {
    if (!this.isUp(node)) return;
    this.up.set(node, false);
    this.incarnation.set(node, (this.incarnation.get(node) ?? 0) + 1);
    this.log.record({ type: "crash", timeMs: this.nowMs, node });
    for (const hook of this.crashHooks.get(node) ?? []) hook();
  }

  restart(node: NodeName): void {
    if (this.isUp(node)) return;
    this.up.set(node, true);
    this.log.record({ type: "restart", timeMs: this.nowMs, node });
    for (const hook of this.restartHooks.get(node) ?? []) hook();
  }

  /** Runs events up to `untilUs`, or until `done()` says so (checked between events). */
  run(untilUs: number, done: () => boolean = () => false): void {
    const q = this.queue;
    while (q.size > 0 && q.peekTime() <= untilUs && !done()) {
      if (++this.eventsRun > MAX_EVENTS) throw new Error(`saga world: more than ${MAX_EVENTS} events (seed ${this.seed}): a livelock`);
      const slot = q.pop();
      this.clockUs = q.time(slot);
      const fn = q.payload(slot) as () => void;
      q.release(slot);
      fn();
    }
    if (!done() && untilUs > this.clockUs && Number.isFinite(untilUs)) this.clockUs = untilUs;
  }

  private deliver(from: NodeName, to: NodeName, message: unknown): void {
    if (!this.isUp(to)) {
      this.messages.toDownNode++;
      this.log.record({ type: "message-lost", timeMs: this.nowMs, from, to, why: "node-down" });
      return;
    }
    this.handlers.get(to)?.(message, from);
  }

  private link(from: NodeName, to: NodeName): Random {
    const name = `${from}->${to}`;
    let random = this.links.get(name);
    if (random === undefined) {
      random = new Random(this.seed, `saga/net/${name}`);
      this.links.set(name, random);
    }
    return random;
  }
}
