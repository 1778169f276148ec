import type { Database } from "./database";
import { emptyObserved, formatStep, writtenValue, type Observed, type Step } from "./schedule";
import type { Transaction } from "./transaction";
import type { IsolationLevel } from "./types";

/**
 * Drives several transactions step by step, the part every scheduler shares: a transaction begins at
 * its first step; a step that blocks is retried, in transaction order, whenever another transaction
 * ends; steps issued meanwhile for a blocked transaction queue behind the blocked one; the steps of a
 * transaction that was aborted (a deadlock victim, a failed validation) are skipped.
 *
 * Everything it did goes into a trace, one line per event, which is what a notebook prints.
 */
export type TraceOutcome = "ok" | "blocked" | "queued" | "resumed" | "committed" | "aborted" | "skipped";

export interface TraceEntry {
  /** Position of the step in the schedule (resumed steps keep the position they were issued at). */
  step: number;
  tx: string;
  /** The step in the literature's notation (`r1[x]`). */
  op: string;
  outcome: TraceOutcome;
  /** In words: the value read, the rows found, who it waits for, why it aborted. */
  detail: string;
}

export interface DrivenTxn {
  name: string;
  level: IsolationLevel;
  tx: Transaction | null;
  observed: Observed;
  /** Every read in order (key and value), for detectors that compare two reads of one key. */
  readLog: { key: string; value: number | null }[];
  /** Every scan in order (label and matched keys). */
  scanLog: { label: string; keys: string[] }[];
  /** Every time it had to wait: the key, and who held (or had requested) the lock first. */
  waits: { key: string; on: string[] }[];
  /** The step it waits on, then the steps queued behind it. */
  pending: { index: number; step: Step }[];
  blocked: boolean;
  /** The abort was already written to the trace. */
  abortTraced: boolean;
}

interface StepOutcome {
  blocked: boolean;
  outcome: TraceOutcome;
  detail: string;
  wait?: { key: string; on: string[] };
}

export class TxnDriver {
  readonly trace: TraceEntry[] = [];
  private readonly txns = new Map<string, DrivenTxn>();

  constructor(
    readonly db: Database,
    private readonly levelOf: (tx: string) => IsolationLevel,
  ) {}

  /** Issues one step: runs it now, or queues it behind its transaction's blocked step. */
  issue(index: number, step: Step): void {
    const t = this.txn(step.tx);
    if (this.ended(t)) {
      this.log(index, step, "skipped", `${t.name} has already ${t.tx?.status}`);
    } else if (t.blocked) {
      t.pending.push({ index, step });
      this.log(index, step, "queued", `${t.name} is still waiting`);
    } else {
      t.pending.push({ index, step });
      this.runPending(t, false);
    }
    this.settle();
  }

  /** Whether a transaction can take a new step right now (begun or not, not blocked, not ended). */
  runnable(name: string): boolean {
    const t = this.txns.get(name);
    return t === undefined || (!t.blocked && !this.ended(t));
  }

  /** Whether a transaction has ended (committed or aborted). */
  finished(name: string): boolean {
    const t = this.txns.get(name);
    return t !== undefined && this.ended(t);
  }

  /** Aborts every transaction still open (the schedule ended without finishing it). */
  abortOpen(reason: string): void {
    for (const t of this.txns.values()) {
      if (t.tx === null || this.ended(t)) continue;
      t.tx.abort();
      t.abortTraced = true;
      this.trace.push({ step: -1, tx: t.name, op: "-", outcome: "aborted", detail: reason });
    }
  }

  /** The driven transactions, in order of first step. */
  all(): DrivenTxn[] {
    return [...this.txns.values()];
  }

  /** Retries blocked transactions (in order of first step) until none makes progress. */
  settle(): void {
    for (let progress = true; progress; ) {
      progress = false;
      for (const t of this.txns.values()) {
        if (!t.blocked || this.ended(t)) continue;
        if (this.runPending(t, true)) progress = true;
      }
    }
    this.traceAborts();
  }

  /** Runs queued steps until one blocks or none is left; true when at least one ran. */
  private runPending(t: DrivenTxn, resuming: boolean): boolean {
    let ran = false;
    while (t.pending.length > 0 && !this.ended(t)) {
      const { index, step } = t.pending[0];
      const outcome = this.execute(t, step);
      if (outcome.blocked) {
        if (!t.blocked) {
          this.log(index, step, "blocked", outcome.detail);
          if (outcome.wait !== undefined) t.waits.push(outcome.wait);
        }
        t.blocked = true;
        this.traceAborts(); // a deadlock this request closed may have aborted someone else
        return ran;
      }
      t.pending.shift();
      const wasBlocked = t.blocked;
      t.blocked = false;
      ran = true;
      this.log(index, step, wasBlocked && resuming ? "resumed" : outcome.outcome, outcome.detail);
      if (outcome.outcome === "aborted") t.abortTraced = true;
    }
    if (this.ended(t)) this.skipPending(t);
    return ran;
  }

  private execute(t: DrivenTxn, step: Step): StepOutcome {
    const tx = this.begin(t);
    const op = step.op;
    switch (op.kind) {
      case "read": {
        const res = tx.read(op.key);
        if (res.status !== "ok") return this.notOk(res);
        t.observed.values[op.key] = res.value;
        t.readLog.push({ key: op.key, value: res.value });
        return { blocked: false, outcome: "ok", detail: `read ${op.key}=${res.value ?? "(none)"}` };
      }
      case "write": {
        const value = writtenValue(op.value, t.observed);
        const res = tx.write(op.key, value);
        return res.status === "ok" ? { blocked: false, outcome: "ok", detail: `wrote ${op.key}=${value}` } : this.notOk(res);
      }
      case "scan": {
        const res = tx.scan(op.predicate, op.label);
        if (res.status !== "ok") return this.notOk(res);
        t.observed.scans[op.label] = res.value;
        t.scanLog.push({ label: op.label, keys: res.value.map((row) => row.key) });
        return { blocked: false, outcome: "ok", detail: `${op.label} matched ${res.value.map((row) => `${row.key}=${row.value}`).join(", ") || "nothing"}` };
      }
      case "commit": {
        const res = tx.commit();
        return res.status === "committed" ? { blocked: false, outcome: "committed", detail: `committed at ts ${res.commitTs}` } : { blocked: false, outcome: "aborted", detail: res.reason };
      }
      case "abort":
        tx.abort();
        return { blocked: false, outcome: "aborted", detail: `${t.name} rolls back` };
    }
  }

  private notOk(res: { status: "blocked"; key: string; waitingFor: string[] } | { status: "aborted"; reason: string }): StepOutcome {
    if (res.status === "aborted") return { blocked: false, outcome: "aborted", detail: res.reason };
    const detail = `waits for ${res.waitingFor.join(", ") || "a lock"} (lock on ${res.key})`;
    return { blocked: true, outcome: "blocked", detail, wait: { key: res.key, on: res.waitingFor } };
  }

  /** Transactions aborted by someone else's step (deadlock victims) get their line in the trace. */
  private traceAborts(): void {
    for (const t of this.txns.values()) {
      if (t.abortTraced || t.tx === null || t.tx.status !== "aborted") continue;
      t.abortTraced = true;
      t.blocked = false;
      this.trace.push({ step: -1, tx: t.name, op: "-", outcome: "aborted", detail: t.tx.abortReason });
      this.skipPending(t);
    }
  }

  private skipPending(t: DrivenTxn): void {
    for (const { index, step } of t.pending) this.log(index, step, "skipped", `${t.name} has already ${t.tx?.status}`);
    t.pending = [];
  }

  private begin(t: DrivenTxn): Transaction {
    if (t.tx === null) t.tx = this.db.begin(t.level, t.name);
    return t.tx;
  }

  private txn(name: string): DrivenTxn {
    let t = this.txns.get(name);
    if (t === undefined) {
      t = { name, level: this.levelOf(name), tx: null, observed: emptyObserved(), readLog: [], scanLog: [], waits: [], pending: [], blocked: false, abortTraced: false };
      this.txns.set(name, t);
    }
    return t;
  }

  private ended(t: DrivenTxn): boolean {
    return t.tx !== null && t.tx.status !== "active";
  }

  private log(index: number, step: Step, outcome: TraceOutcome, detail: string): void {
    this.trace.push({ step: index, tx: step.tx, op: formatStep(step), outcome, detail });
  }
}
