import type { IsolationMechanism } from "./mechanism";
import { ownOr, visibleRows, writeWithLock } from "./shared";

/**
 * READ UNCOMMITTED: a read returns the NEWEST version, even one whose writer has not committed and may
 * still roll back (a dirty read, P1). The lecture describes a dirty read as reading an "older" version:
 * it is the opposite, a version too NEW to be trusted. Reads take no locks; writes still take long
 * write locks, so dirty writes (P0) stay impossible even here.
 */
export const readUncommitted: IsolationMechanism = {
  level: "RU",
  holdsSnapshot: false,
  read: (ctx, tx, key) => ({ kind: "ok", value: ownOr(ctx.store, tx, key, () => ctx.store.latest(key)) }),
  write: writeWithLock,
  scan: (ctx, tx) => ({ kind: "ok", value: visibleRows(ctx.store, tx, (key) => ctx.store.latest(key)) }),
  validate: () => null,
};
