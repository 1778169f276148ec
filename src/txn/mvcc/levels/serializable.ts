import type { IsolationMechanism } from "./mechanism";
import { visibleRows } from "./shared";
import { firstCommitterWins, snapshotRead } from "./snapshot-isolation";

/**
 * SERIALIZABLE, implemented as Serializable Snapshot Isolation (Cahill, Röhm and Fekete, SIGMOD 2008;
 * PostgreSQL's SERIALIZABLE since 9.1): snapshot isolation, plus tracking of rw-antidependencies
 * (T1 read a version that T2, running concurrently, overwrote). Fekete et al. (2005) proved that every
 * non-serializable execution under SI contains a "dangerous structure": a transaction with an
 * rw-antidependency IN and one OUT, both with concurrent transactions. SSI aborts a transaction that
 * would complete one (see ssi-tracker.ts).
 *
 * Why SSI and not strict two-phase locking with predicate locks: S2PL makes readers wait for writers,
 * which throws away the one thing MVCC is for, and the course already has a locking level (RR) to show
 * what blocking costs. SSI keeps readers non-blocking and is what a learner meets in PostgreSQL. Its
 * price is false positives: it aborts some transactions that would have been serializable after all,
 * because it looks for the dangerous structure, not for a cycle.
 */
export const serializable: IsolationMechanism = {
  level: "SER",
  holdsSnapshot: true,
  read: (ctx, tx, key) => {
    const version = snapshotRead(ctx, tx, key);
    const abort = ctx.ssi.onRead(tx, key, version);
    return abort === null ? { kind: "ok", value: version } : { kind: "abort", cause: "dangerous-structure", reason: abort };
  },
  write: (ctx, tx, key, value) => {
    // Cahill's order: the write lock first (a blocked write changes nothing), then the SIREAD check.
    const answer = ctx.locks.acquire(tx.id, key, "X");
    if (!answer.granted) return { kind: "blocked", key, blockers: answer.blockers };
    const abort = ctx.ssi.onWrite(tx, key, value);
    if (abort !== null) return { kind: "abort", cause: "dangerous-structure", reason: abort };
    ctx.store.write(key, value, tx.id);
    tx.writeKeys.add(key);
    return { kind: "ok", value: null };
  },
  scan: (ctx, tx, predicate, label) => {
    const rows = visibleRows(ctx.store, tx, (key) => ctx.store.asOf(key, tx.startTs));
    const abort = ctx.ssi.onScan(tx, label, predicate, rows);
    return abort === null ? { kind: "ok", value: rows } : { kind: "abort", cause: "dangerous-structure", reason: abort };
  },
  validate: (ctx, tx) => {
    const fcw = firstCommitterWins(ctx, tx);
    if (fcw !== null) return fcw;
    const abort = ctx.ssi.onCommit(tx);
    return abort === null ? null : { cause: "dangerous-structure", reason: abort };
  },
};

