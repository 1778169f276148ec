import type { TxnState } from "./txn-state";
import type { AbortCause, CommitResult, IsolationLevel, Key, OpResult, Predicate, Row, TxId, TxStatus, Value } from "./types";

/** What a transaction handle asks of the engine (implemented by the database; not for direct use). */
export interface TxnEngine {
  read(tx: TxnState, key: Key): OpResult<Value | null>;
  write(tx: TxnState, key: Key, value: Value): OpResult<null>;
  scan(tx: TxnState, predicate: Predicate, label: string): OpResult<Row[]>;
  commit(tx: TxnState): CommitResult;
  abort(tx: TxnState): void;
}

/**
 * One transaction, as a notebook uses it:
 *
 * ```ts
 * const t1 = db.begin("SI");
 * t1.read("x");          // { status: "ok", value: 50 }
 * t1.write("x", 60);     // { status: "ok", value: null }, or { status: "blocked", key, waitingFor: ["T2"] }
 * t1.commit();           // { status: "committed", commitTs: 3 }, or { status: "aborted", cause, reason }
 * ```
 *
 * A "blocked" answer means: call the same operation again later (after another transaction commits or
 * aborts); the request keeps its place in the lock queue meanwhile. A scheduler (scheduler.ts) does this
 * for you.
 */
export class Transaction {
  constructor(
    private readonly engine: TxnEngine,
    private readonly state: TxnState,
  ) {}

  get id(): TxId {
    return this.state.id;
  }
  get name(): string {
    return this.state.name;
  }
  get level(): IsolationLevel {
    return this.state.level;
  }
  get status(): TxStatus {
    return this.state.status;
  }
  /** The commit timestamp its snapshot was taken at (SI and SER read as of it). */
  get startTs(): number {
    return this.state.startTs;
  }
  get commitTs(): number | null {
    return this.state.commitTs;
  }
  get abortCause(): AbortCause | null {
    return this.state.abortCause;
  }
  get abortReason(): string {
    return this.state.abortReason;
  }

  /** Reads one row (null when it does not exist for this transaction). */
  read(key: Key): OpResult<Value | null> {
    return this.engine.read(this.state, key);
  }

  /** Writes (or inserts) one row. */
  write(key: Key, value: Value): OpResult<null> {
    return this.engine.write(this.state, key, value);
  }

  /** A predicate read (`SELECT ... WHERE predicate`): the matching rows, by key order. */
  scan(predicate: Predicate, label = "P"): OpResult<Row[]> {
    return this.engine.scan(this.state, predicate, label);
  }

  commit(): CommitResult {
    return this.engine.commit(this.state);
  }

  abort(): void {
    this.engine.abort(this.state);
  }
}
