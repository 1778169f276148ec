import type { NodeRole, NodeSpec } from "../scenario/types";
import { sampler, type Sampler } from "../sim/distributions";
import { Random } from "../sim/random";
import { CommandLog } from "./command-log";
import { KeyValueStore } from "./store";
import type { LeaderState } from "../replication/leader-state";
import type { MasterState } from "../replication/multi-master";
import type { QuorumState } from "../replication/quorum";

/** A unit of work that occupies one of a node's workers for a service time. */
export interface Job {
  /** Runs the work when its service time is over (if the node did not crash meanwhile). */
  run(): void;
  /** Called instead of `run` when the queue is full. */
  reject?(): void;
  /** A service time of its own (ms), instead of one drawn from the node's distribution. */
  serviceMs?: number;
}

/**
 * A database node: a key-value store, the log of commands that built it, a role and an epoch, and a
 * finite capacity. With `workers` set, the node is an M/M/c queue: each operation holds one of c
 * workers for a random service time, the rest wait in a FIFO queue, so an overloaded node gets slow.
 * Without `workers`, operations take no time (an idealised node: the network is then the only delay).
 */
export class DbNode {
  up = true;
  role: NodeRole;
  /** The highest epoch (term) this node has seen; messages from lower epochs are stale. */
  epoch = 0;
  readonly log = new CommandLog();
  readonly store: KeyValueStore;
  /** Index of the last log entry applied to the store. */
  appliedIndex = 0;
  /** Replication state while this node is primary (null otherwise). */
  leader: LeaderState | null = null;
  /** Multi-master replication state (multi-master mode only). */
  master: MasterState | null = null;
  /** Quorum replication state (quorum mode only). */
  quorum: QuorumState | null = null;
  /** A replica's apply job is queued or running (replicas apply strictly one entry at a time, in order). */
  applying = false;
  /** Bumped at every crash, so work started before the crash is recognised and discarded. */
  incarnation = 0;
  /**
   * This node discarded log entries it had already applied (it followed a primary that was later
   * replaced): its store holds effects of writes that no longer exist, so it accepts nothing but a
   * snapshot until it gets one. Durable: a lost reply must not make it forget.
   */
  needsSnapshot = false;
  /** Elections (durable, like the epoch): whom this node voted for in its current epoch (-1: nobody). */
  votedFor = -1;
  /** Elections (volatile): when this node gives up on the primary and stands as a candidate. */
  electionDeadlineUs = Infinity;
  /** Elections (volatile): votes received in the current candidacy. */
  votes = 0;

  readonly workers: number;
  busy = 0;
  private queue: Job[] = [];
  private queueHead = 0;
  private readonly queueLimit: number;
  private readonly serviceTime: Sampler | null;
  readonly random: Random;

  constructor(
    readonly index: number,
    readonly spec: NodeSpec,
    keyCount: number,
    seed: number,
  ) {
    this.role = spec.role;
    this.store = new KeyValueStore(keyCount);
    this.workers = spec.workers ?? Infinity;
    this.queueLimit = spec.queueLimit ?? Infinity;
    this.serviceTime = spec.workers ? sampler(spec.serviceTimeMs ?? { dist: "exponential", mean: 1 }) : null;
    this.random = new Random(seed, `node/${spec.id}`);
  }

  get id(): string {
    return this.spec.id;
  }

  get isPrimary(): boolean {
    return this.role === "primary";
  }

  /** True if operations are instantaneous (no workers configured). */
  get unlimited(): boolean {
    return this.serviceTime === null;
  }

  /** This node's clock reading in ms: true virtual time plus its skew (what NOW() returns here). */
  clockMs(nowUs: number): number {
    return nowUs / 1000 + (this.spec.clockSkewMs ?? 0);
  }

  /** Draws a service time in ms. */
  serviceMs(): number {
    return this.serviceTime ? this.serviceTime(this.random) : 0;
  }

  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** Queues a job; false when the queue is full. */
  enqueue(job: Job): boolean {
    if (this.queued >= this.queueLimit) return false;
    this.queue.push(job);
    return true;
  }

  dequeue(): Job | undefined {
    if (this.queueHead >= this.queue.length) return undefined;
    const job = this.queue[this.queueHead];
    this.queue[this.queueHead++] = undefined as unknown as Job;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return job;
  }

  /** Fail-stop: the process dies; the disk (log and store) survives, volatile state does not. */
  crash(): void {
    this.up = false;
    this.incarnation++;
    this.busy = 0;
    this.queue = [];
    this.queueHead = 0;
    this.leader = null;
    this.applying = false;
    this.electionDeadlineUs = Infinity;
    this.votes = 0;
    this.master?.resetVolatile();
    this.quorum?.resetVolatile();
  }

  /** The disk is destroyed too: nothing of the data survives. */
  loseData(): void {
    this.log.clear();
    this.store.clear();
    this.appliedIndex = 0;
    this.epoch = 0;
    this.votedFor = -1;
    this.needsSnapshot = false;
  }
}
