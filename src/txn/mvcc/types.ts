/**
 * The vocabulary of the MVCC engine: keys, values, transaction ids, isolation levels, and what an
 * operation can answer (done, blocked behind a lock, or aborted).
 *
 * An operation that must wait does NOT spin or sleep: it answers "blocked" and names who it waits for,
 * so a scheduler (a fixed schedule, a seeded random interleaving, or a timed simulation) decides when
 * to try again. That is what lets a notebook step two transactions one operation at a time.
 */

/** A row's name. */
export type Key = string;
/** A row's value. Numbers are enough for every lesson (balances, counters, on-call flags). */
export type Value = number;
/** Transactions are numbered from 1 in begin order; 0 is the loader of the initial data. */
export type TxId = number;

/** The id of the pseudo-transaction that wrote the initial data (committed at timestamp 0). */
export const LOADER_TX: TxId = 0;

/**
 * The five isolation levels of Berenson et al. (1995), weakest first:
 * RU read uncommitted, RC read committed, RR repeatable read (with read locks), SI snapshot isolation,
 * SER serializable.
 */
export const ISOLATION_LEVELS = ["RU", "RC", "RR", "SI", "SER"] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/** Full names, for charts and sentences. */
export const LEVEL_NAMES: Readonly<Record<IsolationLevel, string>> = {
  RU: "read uncommitted",
  RC: "read committed",
  RR: "repeatable read (locking)",
  SI: "snapshot isolation",
  SER: "serializable (SSI)",
};

/** A predicate of a scan (`SELECT ... WHERE P`): which rows match. */
export type Predicate = (key: Key, value: Value) => boolean;

/** One row a scan returned. */
export interface Row {
  key: Key;
  value: Value;
}

/** Why the engine aborted a transaction. */
export type AbortCause =
  | "requested" // the transaction (or the schedule) asked for it
  | "deadlock" // chosen as the victim of a waits-for cycle
  | "first-committer-wins" // SI: a key it wrote was committed by someone else after its snapshot
  | "dangerous-structure" // SSI: it would complete two consecutive rw-antidependencies
  | "unfinished"; // a schedule ended with the transaction still open

/** The answer to one operation. */
export type OpResult<T> =
  | { status: "ok"; value: T }
  /** Waits for a lock on `key` held (or requested earlier) by the transactions named in `waitingFor`. */
  | { status: "blocked"; key: Key; waitingFor: string[] }
  | { status: "aborted"; cause: AbortCause; reason: string };

/** The answer to commit. */
export type CommitResult = { status: "committed"; commitTs: number } | { status: "aborted"; cause: AbortCause; reason: string };

export type TxStatus = "active" | "committed" | "aborted";
