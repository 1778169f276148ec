import type { TxnState } from "../txn-state";
import type { Key } from "../types";
import type { Version } from "../version-store";
import type { EngineContext, IsolationMechanism } from "./mechanism";
import { ownOr, visibleRows, writeWithLock } from "./shared";

/**
 * SNAPSHOT ISOLATION: the transaction reads the database as it was when it began (every version
 * committed at or before its start timestamp, plus its own writes), so repeated reads and repeated
 * scans agree (no P2, no phantom A3, no read skew A5A), and readers never wait for anyone.
 *
 * Writers: a write takes the row's write lock (so no dirty write, and no two uncommitted versions of a
 * row), and at commit FIRST-COMMITTER-WINS applies: if someone else committed a version of a row this
 * transaction wrote after its snapshot was taken, this transaction aborts. That is what stops the lost
 * update (P4). Writes to DIFFERENT rows never conflict, which is exactly why write skew (A5B) remains.
 */
export const snapshotIsolation: IsolationMechanism = {
  level: "SI",
  holdsSnapshot: true,
  read: (ctx, tx, key) => ({ kind: "ok", value: snapshotRead(ctx, tx, key) }),
  write: writeWithLock,
  scan: (ctx, tx) => ({ kind: "ok", value: visibleRows(ctx.store, tx, (key) => ctx.store.asOf(key, tx.startTs)) }),
  validate: firstCommitterWins,
};

/** The version a snapshot taken at the transaction's start sees (its own writes first). */
export function snapshotRead(ctx: EngineContext, tx: TxnState, key: Key): Version | undefined {
  return ownOr(ctx.store, tx, key, () => ctx.store.asOf(key, tx.startTs));
}

/** Abort when another transaction committed a row this one wrote, after this one's snapshot. */
export function firstCommitterWins(ctx: EngineContext, tx: TxnState): { cause: "first-committer-wins"; reason: string } | null {
  for (const key of tx.writeKeys) {
    const newer = ctx.store.committedAfter(key, tx.startTs, tx.id);
    if (newer !== undefined) {
      const reason = `first committer wins: ${ctx.nameOf(newer.writer)} committed ${key} after ${tx.name}'s snapshot`;
      return { cause: "first-committer-wins", reason };
    }
  }
  return null;
}
