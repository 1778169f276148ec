import type { TxnState } from "../txn-state";
import type { Key, Predicate } from "../types";
import type { Version } from "../version-store";
import { versionMatches, type EngineContext, type IsolationMechanism, type StepAnswer, type VisibleRows } from "./mechanism";
import { ownOr, visibleRows, writeWithLock } from "./shared";

/**
 * REPEATABLE READ with locks (ANSI's definition, as Berenson et al. model it): a read takes a long
 * SHARED lock on the row, held until the end, so nobody can change a row this transaction has read
 * (no P2, no lost update P4: two readers that both try to write deadlock, and one is aborted).
 *
 * What it does NOT lock is the predicate: a scan locks the rows that match NOW, not the "gap" where a
 * new matching row could appear. So a concurrent insert slips in, and re-running the scan finds a
 * phantom (A3). Readers here DO block behind writers (and writers behind readers): this is the
 * lock-based store the MVCC levels are compared with.
 */
export const repeatableRead: IsolationMechanism = {
  level: "RR",
  holdsSnapshot: false,
  read: (ctx, tx, key) => {
    const answer = ctx.locks.acquire(tx.id, key, "S");
    if (!answer.granted) return { kind: "blocked", key, blockers: answer.blockers };
    return { kind: "ok", value: latest(ctx, tx, key) };
  },
  write: writeWithLock,
  scan: lockMatchingRows,
  validate: () => null,
};

function latest(ctx: EngineContext, tx: TxnState, key: Key): Version | undefined {
  return ownOr(ctx.store, tx, key, () => ctx.store.latestCommitted(key));
}

/** Share-locks every row that matches now (item locks only: no predicate lock, hence phantoms), then reads. */
function lockMatchingRows(ctx: EngineContext, tx: TxnState, predicate: Predicate): StepAnswer<VisibleRows> {
  for (const key of ctx.store.keys()) {
    if (!versionMatches(predicate, latest(ctx, tx, key))) continue;
    const answer = ctx.locks.acquire(tx.id, key, "S");
    if (!answer.granted) return { kind: "blocked", key, blockers: answer.blockers };
  }
  return { kind: "ok", value: visibleRows(ctx.store, tx, (key) => ctx.store.latestCommitted(key)) };
}
