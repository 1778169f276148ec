import type { ReadEvent, ScanEvent } from "./txn-state";
import type { IsolationLevel, Key, TxId, Value } from "./types";

/**
 * A committed history: what each committed transaction read (which version, named by its writer),
 * which predicates it scanned (and the versions it saw), and what it wrote, with its commit timestamp.
 * The commit timestamps give the version order of every key. That is all Adya's direct serialization
 * graph needs (dsg.ts), and it is plain data: a notebook can print it, a test can build one by hand.
 */
export interface CommittedTxn {
  id: TxId;
  name: string;
  level: IsolationLevel;
  startTs: number;
  commitTs: number;
  reads: ReadEvent[];
  scans: ScanEvent[];
  writes: { key: Key; value: Value }[];
}

export interface TxnHistory {
  /** The initial data, written by the loader (transaction 0) at timestamp 0. */
  initial: { key: Key; value: Value }[];
  /** Committed transactions, in commit order. */
  txns: CommittedTxn[];
}

export type { ReadEvent, ScanEvent };
