/** A prepare waiting for locks (policy "wait"): it votes when `grant` runs. */
export interface LockWaiter {
  readonly txn: number;
  readonly keys: readonly number[];
  readonly grant: () => void;
}

/**
 * The exclusive locks of one participant, key by key. A transaction takes all its keys on this
 * participant at once when it prepares and keeps them until the participant learns the decision:
 * that is why an in-doubt participant blocks other transactions (their cost is the lesson).
 * Volatile: a crash empties it, and recovery takes the locks of prepared transactions back from the log.
 */
export class LockTable {
  private readonly holder = new Map<number, number>();
  private waiters: LockWaiter[] = [];

  /** The transaction that holds one of `keys` (other than `txn` itself), or null when all are free. */
  conflict(txn: number, keys: readonly number[]): number | null {
    for (const key of keys) {
      const owner = this.holder.get(key);
      if (owner !== undefined && owner !== txn) return owner;
    }
    return null;
  }

  acquire(txn: number, keys: readonly number[]): void {
    for (const key of keys) this.holder.set(key, txn);
  }

  holds(txn: number, keys: readonly number[]): boolean {
    return keys.length > 0 && keys.every((key) => this.holder.get(key) === txn);
  }

  /**
   * Frees `txn`'s keys, then hands the freed keys to waiting prepares in arrival order (a waiter goes
   * when all its keys are free). Returns the waiters that got their locks; the caller runs their grants.
   */
  release(txn: number, keys: readonly number[]): LockWaiter[] {
    for (const key of keys) if (this.holder.get(key) === txn) this.holder.delete(key);
    const granted: LockWaiter[] = [];
    this.waiters = this.waiters.filter((w) => {
      if (this.conflict(w.txn, w.keys) !== null) return true;
      this.acquire(w.txn, w.keys);
      granted.push(w);
      return false;
    });
    return granted;
  }

  wait(waiter: LockWaiter): void {
    this.waiters.push(waiter);
  }

  isWaiting(txn: number): boolean {
    return this.waiters.some((w) => w.txn === txn);
  }

  /** Stops waiting for `txn` (it was aborted meanwhile). */
  cancelWait(txn: number): void {
    this.waiters = this.waiters.filter((w) => w.txn !== txn);
  }

  /** A crash: locks and waiters were in memory. */
  clear(): void {
    this.holder.clear();
    this.waiters = [];
  }
}
