import type { ConflictResolution } from "../scenario/types";

/**
 * Telling concurrent writes apart, and settling them. Every write carries a version vector: for each
 * master, how many of that master's writes the writer had seen. Write a happened before write b when
 * a's vector is <= b's in every entry; if neither is <= the other, they are CONCURRENT: each was made
 * without knowing of the other (two generals giving orders with the line between them cut).
 */
export type Order = "before" | "after" | "equal" | "concurrent";

/** How vector a relates to vector b. */
export function compareVectors(a: ArrayLike<number>, b: ArrayLike<number>): Order {
  let less = false;
  let greater = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) less = true;
    else if (a[i] > b[i]) greater = true;
  }
  if (less && greater) return "concurrent";
  if (less) return "before";
  if (greater) return "after";
  return "equal";
}

/** Entry-wise maximum: what a node knows after seeing both. */
export function mergeVectors(a: Float64Array, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.max(a[i], b[i]);
  return out;
}

/** One side of a conflict: the write that produced a value. */
export interface WriteStamp {
  /** The writing node's clock when it wrote (ms), skew included: clocks of different nodes disagree. */
  clockMs: number;
  node: number;
  op: number;
  /** The value the writer produced. */
  value: number;
  /** For an `add`: the amount (NaN for a `set`). */
  delta: number;
}

/**
 * The write whose value a key shows, among writes that are concurrent with each other (the key's
 * "frontier": every write that no later write has superseded). Every master applies the same rule to
 * the same set, whatever order the writes arrived in, so they all end equal.
 * - lww: the latest clock wins (ties: the higher node index). With skewed clocks "latest" can be the
 *   write that really happened first, and the other update silently disappears.
 * - reject: the earliest write wins; the later ones are thrown away.
 * - merge: `add` amounts are all applied (handled by the caller: no update is lost, but a floor such as
 *   "balance >= 0" that each writer checked can be broken); `set`s cannot be merged, so they fall
 *   back to lww.
 */
export function winnerOf(rule: ConflictResolution, frontier: readonly WriteStamp[]): WriteStamp {
  const earliestWins = rule === "reject";
  let winner = frontier[0];
  for (const w of frontier) if (earliestWins ? isEarlier(w, winner) : isEarlier(winner, w)) winner = w;
  return winner;
}

function isEarlier(a: WriteStamp, b: WriteStamp): boolean {
  return a.clockMs < b.clockMs || (a.clockMs === b.clockMs && a.node < b.node);
}
