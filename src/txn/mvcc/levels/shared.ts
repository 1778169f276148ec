import type { TxnState } from "../txn-state";
import type { Key, Value } from "../types";
import type { Version, VersionStore } from "../version-store";
import type { EngineContext, StepAnswer, VisibleRows } from "./mechanism";

/**
 * Parts every level shares: a transaction sees its own writes first, and a write takes a long exclusive
 * lock before it installs its version. The write lock is what rules out dirty writes (P0) at EVERY level,
 * read uncommitted included: without it, two transactions could interleave their writes to x and y and
 * leave x from one and y from the other.
 */

/** The transaction's own uncommitted version if it wrote the key, else what `pick` chooses. */
export function ownOr(store: VersionStore, tx: TxnState, key: Key, pick: () => Version | undefined): Version | undefined {
  return store.uncommittedBy(key, tx.id) ?? pick();
}

/** Takes the write lock (long, until commit or abort), then installs the new version. */
export function writeWithLock(ctx: EngineContext, tx: TxnState, key: Key, value: Value): StepAnswer<null> {
  const answer = ctx.locks.acquire(tx.id, key, "X");
  if (!answer.granted) return { kind: "blocked", key, blockers: answer.blockers };
  ctx.store.write(key, value, tx.id);
  tx.writeKeys.add(key);
  return { kind: "ok", value: null };
}

/** The version of every key as `pick` chooses it (own writes first). */
export function visibleRows(store: VersionStore, tx: TxnState, pick: (key: Key) => Version | undefined): VisibleRows {
  const rows: VisibleRows = new Map();
  for (const key of store.keys()) rows.set(key, ownOr(store, tx, key, () => pick(key)));
  return rows;
}
