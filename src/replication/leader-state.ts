/** A write waiting for replication before its client gets an acknowledgement. */
export interface PendingWrite {
  index: number;
  sinceUs: number;
  acknowledge(): void;
}

/**
 * What a primary tracks about each replica (Raft's leader state): the next index to send, how far
 * its log reaches (logged), and how far it has applied. Volatile: rebuilt after a crash or promotion.
 */
export class LeaderState {
  readonly nextIndex: Float64Array;
  readonly loggedIndex: Float64Array;
  readonly appliedIndex: Float64Array;
  /** Replicas that sync replication stopped waiting for (fallback to async) until they catch up. */
  readonly fallenBack: Uint8Array;
  /** Where a replica's log was last rewound to, to ignore repeated requests for the same resend. */
  readonly rewoundTo: Float64Array;
  readonly rewoundAtUs: Float64Array;
  /** Writes waiting for acknowledgement, in log order. */
  pending: PendingWrite[] = [];
  pendingHead = 0;

  /** When each replica was last heard from (µs), to tell live replicas from silent ones. */
  readonly lastHeardUs: Float64Array;
  /** Per node: the send time of the latest append it answered in this epoch (the lease is built on these). */
  readonly answeredSentUs: Float64Array;
  /** A new primary serves only from this time (it waits out the old primary's lease). */
  servingFromUs = 0;

  constructor(
    readonly epoch: number,
    nodeCount: number,
    lastIndex: number,
    /** The nodes this primary ships its log to. */
    readonly replicas: readonly number[],
  ) {
    this.lastHeardUs = new Float64Array(nodeCount).fill(-Infinity);
    this.answeredSentUs = new Float64Array(nodeCount).fill(-Infinity);
    this.nextIndex = new Float64Array(nodeCount).fill(lastIndex + 1);
    this.loggedIndex = new Float64Array(nodeCount);
    this.appliedIndex = new Float64Array(nodeCount);
    this.fallenBack = new Uint8Array(nodeCount);
    this.rewoundTo = new Float64Array(nodeCount).fill(-1);
    this.rewoundAtUs = new Float64Array(nodeCount).fill(-Infinity);
  }

  get pendingCount(): number {
    return this.pending.length - this.pendingHead;
  }

  oldestPending(): PendingWrite | undefined {
    return this.pendingHead < this.pending.length ? this.pending[this.pendingHead] : undefined;
  }

  /** Acknowledges every pending write up to `index`, in order. */
  acknowledgeUpTo(index: number): void {
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead].index <= index) {
      const w = this.pending[this.pendingHead];
      this.pending[this.pendingHead++] = undefined as unknown as PendingWrite;
      w.acknowledge();
    }
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.pendingHead);
      this.pendingHead = 0;
    }
  }
}
