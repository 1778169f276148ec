/**
 * The sharding invariant, as a pure function of a snapshot, so that tests and the reliability
 * harness can call it between lockstep slices of any run:
 *
 * 1. at most one writable owner: for every key, at most one shard would execute a write to it now
 *    (during a move: only the destination, for the migrator's copy; never the source too);
 * 2. every key has an owner (nothing lost by a move);
 * 3. a key's no-writable-owner window (from the freeze of its move to the flip) is bounded.
 */
export interface ShardInvariantView {
  keys: number;
  shards: number;
  /** Would shard `shard` execute a write to `key` right now (what its write guard answers)? */
  writable(shard: number, key: number): boolean;
  /** The owner of the key, or -1 if none. */
  owner(key: number): number;
  /** Since when the key has had no writable owner for clients (ms), or null if it has one. */
  blockedSinceMs(key: number): number | null;
  nowMs: number;
}

export type ShardViolationKind = "two-writable-owners" | "no-owner" | "blocked-too-long";

export interface ShardViolation {
  kind: ShardViolationKind;
  key: number;
  /** The shards involved (for two writable owners), or the owner. */
  shards: number[];
  atMs: number;
  message: string;
}

export interface ShardInvariantOptions {
  /** Longest no-writable-owner window allowed for one key (ms). Default: unbounded. */
  maxBlockedMs?: number;
  /** Stop after this many violations (default 10): one is enough to fail, a few help to explain. */
  limit?: number;
}

/** Checks the invariants at one instant; returns the violations found (empty: all hold). */
export function checkShardInvariants(view: ShardInvariantView, options: ShardInvariantOptions = {}): ShardViolation[] {
  const limit = options.limit ?? 10;
  const maxBlocked = options.maxBlockedMs ?? Infinity;
  const out: ShardViolation[] = [];
  for (let key = 0; key < view.keys && out.length < limit; key++) {
    // Counted first: this runs for every key at every slice, and almost always finds one writer.
    const writers = countWritable(view, key) > 1 ? writableShards(view, key) : [];
    if (writers.length > 1) out.push(violation("two-writable-owners", key, writers, view.nowMs, `key ${key} is writable on shards ${writers.map(name).join(" and ")} at ${view.nowMs} ms`));
    const owner = view.owner(key);
    if (owner < 0) out.push(violation("no-owner", key, [], view.nowMs, `key ${key} has no owner at ${view.nowMs} ms`));
    const since = view.blockedSinceMs(key);
    if (since !== null && view.nowMs - since > maxBlocked) {
      out.push(violation("blocked-too-long", key, [owner], view.nowMs, `key ${key} has had no writable owner for ${view.nowMs - since} ms (more than ${maxBlocked} ms) at ${view.nowMs} ms`));
    }
  }
  return out;
}

function countWritable(view: ShardInvariantView, key: number): number {
  let count = 0;
  for (let s = 0; s < view.shards; s++) if (view.writable(s, key)) count++;
  return count;
}

function writableShards(view: ShardInvariantView, key: number): number[] {
  const writers: number[] = [];
  for (let s = 0; s < view.shards; s++) if (view.writable(s, key)) writers.push(s);
  return writers;
}

function violation(kind: ShardViolationKind, key: number, shards: number[], atMs: number, message: string): ShardViolation {
  return { kind, key, shards, atMs, message };
}

const name = (shard: number) => `s${shard + 1}`;
