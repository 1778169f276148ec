import { findDeadlock } from "./deadlock";
import type { CommittedTxn, TxnHistory } from "./history";
import { MECHANISMS } from "./levels";
import { versionMatches, type EngineContext, type StepAnswer } from "./levels/mechanism";
import { LockTable } from "./lock-table";
import { LogicalClock } from "./logical-clock";
import { SsiTracker } from "./ssi-tracker";
import { Transaction, type TxnEngine } from "./transaction";
import { TxnState, type ReadEvent } from "./txn-state";
import { LOADER_TX, type AbortCause, type CommitResult, type IsolationLevel, type Key, type OpResult, type Predicate, type Row, type TxId, type Value } from "./types";
import { VersionStore, type Version } from "./version-store";

export interface DatabaseOptions {
  /** Rows present before any transaction (written by transaction 0 at timestamp 0). */
  initial?: Readonly<Record<Key, Value>>;
  /** Drop versions no running snapshot can see, after every commit and abort (default true). */
  gc?: boolean;
  /** Keep the committed history, for the serialization graph (default true; off for long timed runs). */
  recordHistory?: boolean;
}

/**
 * A multi-version database with five isolation levels, one transaction per `begin`:
 *
 * ```ts
 * const db = new Database({ initial: { x: 50, y: 50 } });
 * const t1 = db.begin("RC"), t2 = db.begin("RC");
 * t1.write("x", 10);
 * t2.read("x");        // { status: "ok", value: 50 }: read committed never sees T1's uncommitted 10
 * ```
 *
 * Transactions of different levels may share a database. Write locks apply to all of them (no dirty
 * writes anywhere); serializability is promised among SER transactions only, as in PostgreSQL.
 */
export class Database {
  private readonly store = new VersionStore();
  private readonly locks = new LockTable();
  private readonly clock = new LogicalClock();
  private readonly ssi = new SsiTracker(this.store);
  private readonly active = new Map<TxId, TxnState>();
  private readonly names = new Map<TxId, string>([[LOADER_TX, "T0"]]);
  private readonly engine: TxnEngine;
  private readonly context: EngineContext;
  private readonly committed: CommittedTxn[] = [];
  private readonly initial: { key: Key; value: Value }[] = [];
  private nextId = 1;
  readonly gcEnabled: boolean;
  readonly recordsHistory: boolean;

  constructor(options: DatabaseOptions = {}) {
    this.gcEnabled = options.gc ?? true;
    this.recordsHistory = options.recordHistory ?? true;
    for (const [key, value] of Object.entries(options.initial ?? {})) {
      this.store.load(key, value, LOADER_TX);
      this.initial.push({ key, value });
    }
    this.context = { store: this.store, locks: this.locks, ssi: this.ssi, nameOf: (tx) => this.nameOf(tx) };
    this.engine = {
      read: (tx, key) => this.read(tx, key),
      write: (tx, key, value) => this.write(tx, key, value),
      scan: (tx, predicate, label) => this.scan(tx, predicate, label),
      commit: (tx) => this.commit(tx),
      abort: (tx) => this.abortTx(tx, "requested", `${tx.name} asked to abort`),
    };
  }

  /** Starts a transaction (default level: snapshot isolation). Names default to T1, T2, ... */
  begin(level: IsolationLevel = "SI", name?: string): Transaction {
    const id = this.nextId++;
    const state = new TxnState(id, name ?? `T${id}`, level, this.clock.current);
    this.names.set(id, state.name);
    this.active.set(id, state);
    this.ssi.begin(state);
    return new Transaction(this.engine, state);
  }

  // ---- Observing -----------------------------------------------------------------------------

  /** Versions kept now, over all keys (what garbage collection bounds). */
  get versionCount(): number {
    return this.store.versionCount;
  }

  /** The versions of one key, oldest first. */
  versions(key: Key): readonly Version[] {
    return this.store.chain(key);
  }

  /** The newest committed value of every key: the state a new transaction would start from. */
  committedState(): Record<Key, Value> {
    const state: Record<Key, Value> = {};
    for (const key of sortedKeys(this.store.keys())) {
      const v = this.store.latestCommitted(key);
      if (v !== undefined) state[key] = v.value;
    }
    return state;
  }

  /** Transactions still running. */
  get activeCount(): number {
    return this.active.size;
  }

  /** Serializable transactions SSI still tracks (bounded: committed ones leave once nothing overlaps them). */
  get ssiTrackedCount(): number {
    return this.ssi.trackedCount;
  }

  /** The committed history so far (empty when `recordHistory` is off). */
  history(): TxnHistory {
    return { initial: [...this.initial], txns: [...this.committed] };
  }

  /** A transaction's name by id. */
  nameOf(tx: TxId): string {
    return this.names.get(tx) ?? `T${tx}`;
  }

  /** Drops versions no running snapshot can see; returns how many. Runs by itself unless `gc` is off. */
  collectGarbage(): number {
    let horizon = this.clock.current;
    for (const tx of this.active.values()) if (MECHANISMS[tx.level].holdsSnapshot) horizon = Math.min(horizon, tx.startTs);
    return this.store.collect(horizon);
  }

  // ---- Operations (through Transaction) ------------------------------------------------------

  private read(tx: TxnState, key: Key): OpResult<Value | null> {
    if (tx.status !== "active") return this.endedAnswer(tx);
    return this.settle(tx, MECHANISMS[tx.level].read(this.context, tx, key), (version) => {
      const event = readEvent(key, version);
      if (this.recordsHistory) tx.reads.push(event);
      return event.value;
    });
  }

  private write(tx: TxnState, key: Key, value: Value): OpResult<null> {
    if (tx.status !== "active") return this.endedAnswer(tx);
    return this.settle(tx, MECHANISMS[tx.level].write(this.context, tx, key, value), () => null);
  }

  private scan(tx: TxnState, predicate: Predicate, label: string): OpResult<Row[]> {
    if (tx.status !== "active") return this.endedAnswer(tx);
    return this.settle(tx, MECHANISMS[tx.level].scan(this.context, tx, predicate, label), (rows) => {
      const seen: ReadEvent[] = [];
      const matched: Row[] = [];
      for (const key of sortedKeys([...rows.keys()])) {
        const version = rows.get(key);
        seen.push(readEvent(key, version));
        if (version !== undefined && versionMatches(predicate, version)) matched.push({ key, value: version.value });
      }
      if (this.recordsHistory) tx.scans.push({ label, predicate, seen });
      return matched;
    });
  }

  private commit(tx: TxnState): CommitResult {
    if (tx.status === "committed") return { status: "committed", commitTs: tx.commitTs as number };
    if (tx.status === "aborted") return this.endedAnswer(tx);
    const problem = MECHANISMS[tx.level].validate(this.context, tx);
    if (problem !== null) {
      this.abortTx(tx, problem.cause, problem.reason);
      return this.endedAnswer(tx);
    }
    const commitTs = this.clock.tick();
    this.store.commit(tx.writeKeys, tx.id, commitTs);
    tx.status = "committed";
    tx.commitTs = commitTs;
    if (this.recordsHistory) this.committed.push(committedRecord(tx, this.store));
    this.finish(tx);
    return { status: "committed", commitTs };
  }

  private abortTx(tx: TxnState, cause: AbortCause, reason: string): void {
    if (tx.status !== "active") return;
    this.store.rollback(tx.writeKeys, tx.id);
    tx.status = "aborted";
    tx.abortCause = cause;
    tx.abortReason = reason;
    this.finish(tx);
  }

  /** Locks go, SSI forgets what no longer overlaps, and garbage collection catches up. */
  private finish(tx: TxnState): void {
    this.locks.releaseAll(tx.id);
    this.active.delete(tx.id);
    this.ssi.ended(tx);
    if (this.gcEnabled) this.collectGarbage();
  }

  /** Turns a mechanism's answer into the public one; a block first runs deadlock detection. */
  private settle<T, R>(tx: TxnState, answer: StepAnswer<T>, onOk: (value: T) => R): OpResult<R> {
    switch (answer.kind) {
      case "ok":
        return { status: "ok", value: onOk(answer.value) };
      case "abort":
        this.abortTx(tx, answer.cause, answer.reason);
        return this.endedAnswer(tx);
      case "blocked": {
        const waitingFor = answer.blockers.map((b) => this.nameOf(b));
        this.breakDeadlock(tx);
        if (tx.status === "aborted") return this.endedAnswer(tx);
        return { status: "blocked", key: answer.key, waitingFor };
      }
    }
  }

  private breakDeadlock(tx: TxnState): void {
    const deadlock = findDeadlock(this.locks.waitsFor(), tx.id);
    if (deadlock === null) return;
    const victim = this.active.get(deadlock.victim);
    if (victim === undefined) return;
    const cycle = [...deadlock.cycle, deadlock.cycle[0]].map((id) => this.nameOf(id)).join(" waits for ");
    this.abortTx(victim, "deadlock", `deadlock: ${cycle}; the youngest, ${victim.name}, is the victim`);
  }

  private endedAnswer(tx: TxnState): { status: "aborted"; cause: AbortCause; reason: string } {
    if (tx.status === "committed") return { status: "aborted", cause: "requested", reason: `${tx.name} has already committed` };
    return { status: "aborted", cause: tx.abortCause ?? "requested", reason: tx.abortReason };
  }
}

function readEvent(key: Key, version: Version | undefined): ReadEvent {
  return { key, value: version?.value ?? null, writer: version?.writer ?? null };
}

function committedRecord(tx: TxnState, store: VersionStore): CommittedTxn {
  const writes = [...tx.writeKeys].map((key) => ({ key, value: store.latestCommitted(key)?.value as Value }));
  return { id: tx.id, name: tx.name, level: tx.level, startTs: tx.startTs, commitTs: tx.commitTs as number, reads: tx.reads, scans: tx.scans, writes };
}

/** Keys in a stable, readable order (plain code-unit order, the same on every machine). */
export function sortedKeys(keys: readonly Key[]): Key[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
