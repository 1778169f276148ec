import type { Key, TxId } from "./types";

/**
 * Row locks: shared (S, for reading) and exclusive (X, for writing), held until the transaction ends
 * ("long" locks, as in strict two-phase locking).
 *
 * A request that cannot be granted joins a FIFO queue on its key and reports who it waits for; it does
 * not block a thread. When it is asked again it is granted only if it is compatible with the holders
 * AND with every incompatible request queued ahead of it, so a steady stream of readers cannot starve a
 * writer. An upgrade (S held, X wanted) looks only at the holders, or two upgraders queued behind each
 * other would deadlock on the queue instead of on the locks.
 */
export type LockMode = "S" | "X";

interface Waiter {
  tx: TxId;
  mode: LockMode;
}

interface LockEntry {
  holders: Map<TxId, LockMode>;
  queue: Waiter[];
}

export type LockAnswer = { granted: true } | { granted: false; blockers: TxId[] };

export class LockTable {
  private readonly entries = new Map<Key, LockEntry>();
  /** Keys each transaction holds or waits for, so release is proportional to what it touched. */
  private readonly touched = new Map<TxId, Set<Key>>();

  /** Requests a lock; grants it at once or queues the request and names the blockers. */
  acquire(tx: TxId, key: Key, mode: LockMode): LockAnswer {
    const entry = this.entry(key);
    const held = entry.holders.get(tx);
    if (held === "X" || held === mode) return { granted: true };
    const blockers = this.blockersOf(entry, tx, mode, held !== undefined);
    if (blockers.length === 0) {
      entry.holders.set(tx, mode);
      entry.queue = entry.queue.filter((w) => w.tx !== tx);
      this.touch(tx, key);
      return { granted: true };
    }
    if (!entry.queue.some((w) => w.tx === tx)) entry.queue.push({ tx, mode });
    this.touch(tx, key);
    return { granted: false, blockers };
  }

  /** Releases every lock and queued request of a transaction (at commit or abort). */
  releaseAll(tx: TxId): void {
    for (const key of this.touched.get(tx) ?? []) {
      const entry = this.entries.get(key);
      if (entry === undefined) continue;
      entry.holders.delete(tx);
      entry.queue = entry.queue.filter((w) => w.tx !== tx);
      if (entry.holders.size === 0 && entry.queue.length === 0) this.entries.delete(key);
    }
    this.touched.delete(tx);
  }

  /** Who holds a lock on a key, and in which mode (for notebooks). */
  holders(key: Key): ReadonlyMap<TxId, LockMode> {
    return new Map(this.entries.get(key)?.holders ?? []);
  }

  /** The waits-for graph: each queued transaction and the transactions it waits for. */
  waitsFor(): Map<TxId, TxId[]> {
    const graph = new Map<TxId, TxId[]>();
    for (const entry of this.entries.values()) {
      for (const w of entry.queue) {
        const blockers = this.blockersOf(entry, w.tx, w.mode, entry.holders.has(w.tx));
        graph.set(w.tx, [...(graph.get(w.tx) ?? []), ...blockers]);
      }
    }
    return graph;
  }

  private blockersOf(entry: LockEntry, tx: TxId, mode: LockMode, upgrading: boolean): TxId[] {
    const blockers: TxId[] = [];
    for (const [holder, held] of entry.holders) if (holder !== tx && conflicts(held, mode)) blockers.push(holder);
    if (upgrading) return blockers;
    for (const w of entry.queue) {
      if (w.tx === tx) break; // only requests queued AHEAD of this one count
      if (conflicts(w.mode, mode) && !blockers.includes(w.tx)) blockers.push(w.tx);
    }
    return blockers;
  }

  private entry(key: Key): LockEntry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { holders: new Map(), queue: [] };
      this.entries.set(key, entry);
    }
    return entry;
  }

  private touch(tx: TxId, key: Key): void {
    let keys = this.touched.get(tx);
    if (keys === undefined) {
      keys = new Set();
      this.touched.set(tx, keys);
    }
    keys.add(key);
  }
}

/** Two shared locks coexist; anything with an exclusive lock does not. */
function conflicts(a: LockMode, b: LockMode): boolean {
  return a === "X" || b === "X";
}
