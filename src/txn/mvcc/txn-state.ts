import type { AbortCause, IsolationLevel, Key, Predicate, TxId, TxStatus, Value } from "./types";

/** A read as it goes into the history: which version (by its writer) the transaction saw. */
export interface ReadEvent {
  key: Key;
  /** Null when the key did not exist for this reader. */
  value: Value | null;
  /** The writer of the version read (null when the key did not exist). */
  writer: TxId | null;
}

/** A predicate read: the predicate, and the version of EVERY key the reader could see at that moment (its Vset). */
export interface ScanEvent {
  label: string;
  predicate: Predicate;
  seen: ReadEvent[];
}

/** What SSI tracks for a serializable transaction (see ssi-tracker.ts). */
export interface SsiState {
  /** Keys read (SIREAD locks). */
  readKeys: Set<Key>;
  /** Predicate reads (SIREAD locks on predicates), with the versions each saw. */
  predicates: ScanEvent[];
  /** Transactions with an rw-antidependency INTO this one (they read what this one overwrote). */
  inConflicts: Set<TxnState>;
  /** Transactions this one has an rw-antidependency TO (it read what they overwrote). */
  outConflicts: Set<TxnState>;
}

/**
 * The engine's record of one transaction: its snapshot, its writes, what it read (for the history),
 * and the SSI bookkeeping of a serializable transaction.
 */
export class TxnState {
  status: TxStatus = "active";
  commitTs: number | null = null;
  abortCause: AbortCause | null = null;
  abortReason = "";
  /** Keys written (their uncommitted versions live in the store). */
  readonly writeKeys = new Set<Key>();
  readonly reads: ReadEvent[] = [];
  readonly scans: ScanEvent[] = [];
  readonly ssi: SsiState | null;

  constructor(
    readonly id: TxId,
    readonly name: string,
    readonly level: IsolationLevel,
    /** The commit timestamp its snapshot is taken at (the latest commit when it began). */
    readonly startTs: number,
  ) {
    this.ssi = level === "SER" ? { readKeys: new Set(), predicates: [], inConflicts: new Set(), outConflicts: new Set() } : null;
  }
}
