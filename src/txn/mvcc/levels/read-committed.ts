import type { IsolationMechanism } from "./mechanism";
import { ownOr, visibleRows, writeWithLock } from "./shared";

/**
 * READ COMMITTED, the MVCC way (PostgreSQL's default): each STATEMENT reads the newest COMMITTED version
 * at the moment it runs. No dirty reads, and readers never wait. But two reads of the same row in one
 * transaction can see different committed values (P2), a read-then-write can overwrite a concurrent
 * update (P4), and two reads can straddle another transaction's commit (read skew, A5A).
 */
export const readCommitted: IsolationMechanism = {
  level: "RC",
  holdsSnapshot: false,
  read: (ctx, tx, key) => ({ kind: "ok", value: ownOr(ctx.store, tx, key, () => ctx.store.latestCommitted(key)) }),
  write: writeWithLock,
  scan: (ctx, tx) => ({ kind: "ok", value: visibleRows(ctx.store, tx, (key) => ctx.store.latestCommitted(key)) }),
  validate: () => null,
};
