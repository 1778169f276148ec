import type { LockTable } from "../lock-table";
import type { SsiTracker } from "../ssi-tracker";
import type { TxnState } from "../txn-state";
import type { AbortCause, IsolationLevel, Key, Predicate, TxId, Value } from "../types";
import type { Version, VersionStore } from "../version-store";

/**
 * An isolation level as a MECHANISM: how it reads, writes, scans and validates a commit. Each level is
 * its own module, built from the same parts (versions, locks, snapshots, SSI), so the anomaly table is
 * produced by running schedules, never looked up.
 */
export interface EngineContext {
  readonly store: VersionStore;
  readonly locks: LockTable;
  readonly ssi: SsiTracker;
  /** A transaction's name, for abort reasons ("T1"). */
  nameOf(tx: TxId): string;
}

/** What a mechanism answers: done, blocked behind a lock, or abort the transaction. */
export type StepAnswer<T> =
  | { kind: "ok"; value: T }
  | { kind: "blocked"; key: Key; blockers: TxId[] }
  | { kind: "abort"; cause: AbortCause; reason: string };

/** The visible version of every key, for a scan (undefined: the key does not exist for this reader). */
export type VisibleRows = Map<Key, Version | undefined>;

/** Whether a version (or a missing row) matches a predicate: a row that does not exist matches nothing. */
export function versionMatches(predicate: Predicate, v: Version | undefined): boolean {
  return v !== undefined && predicate(v.key, v.value);
}

export interface IsolationMechanism {
  readonly level: IsolationLevel;
  /** Whether its transactions read from a snapshot taken at begin (and so hold back garbage collection). */
  readonly holdsSnapshot: boolean;
  read(ctx: EngineContext, tx: TxnState, key: Key): StepAnswer<Version | undefined>;
  write(ctx: EngineContext, tx: TxnState, key: Key, value: Value): StepAnswer<null>;
  /** The versions a predicate read sees (every key: the caller evaluates the predicate). */
  scan(ctx: EngineContext, tx: TxnState, predicate: Predicate, label: string): StepAnswer<VisibleRows>;
  /** Null to commit, or why the commit must abort instead. */
  validate(ctx: EngineContext, tx: TxnState): { cause: AbortCause; reason: string } | null;
}
