import { Database } from "./database";
import { TxnDriver, type TraceEntry } from "./driver";
import { formatSchedule, type Observed, type Step } from "./schedule";
import type { AbortCause, IsolationLevel, Key, TxStatus, Value } from "./types";

/**
 * Runs a fixed schedule: each step is issued in order; a step that must wait for a lock waits (the
 * steps of its transaction issued meanwhile queue behind it), and is retried as soon as another
 * transaction commits or aborts; a waits-for cycle aborts the youngest transaction. At the end,
 * transactions left open are aborted.
 *
 * ```ts
 * const run = runSchedule([w("T1", "x", 10), r("T2", "x"), c("T2"), a("T1")], { level: "RU", initial: { x: 50 } });
 * run.trace;             // one line per event: ok, blocked, queued, resumed, committed, aborted, skipped
 * run.txns.T2.reads;     // [{ key: "x", value: 10 }]: a dirty read
 * ```
 */
export interface ScheduleOptions {
  /** One level for every transaction, or a level per transaction name. */
  level: IsolationLevel | Readonly<Record<string, IsolationLevel>>;
  initial?: Readonly<Record<Key, Value>>;
}

export interface TxnOutcome {
  name: string;
  level: IsolationLevel;
  status: TxStatus | "not started";
  abortCause: AbortCause | null;
  abortReason: string;
  /** Every read, in order. */
  reads: { key: Key; value: Value | null }[];
  /** Every scan, in order, with the keys it matched. */
  scans: { label: string; keys: Key[] }[];
  observed: Observed;
  /** Each time one of its steps had to wait for a lock: the key, and who it waited for. */
  waits: { key: Key; on: string[] }[];
}

export interface ScheduleRun {
  /** The schedule in the literature's notation. */
  schedule: string;
  trace: TraceEntry[];
  txns: Record<string, TxnOutcome>;
  /** The newest committed value of every key at the end. */
  final: Record<Key, Value>;
  db: Database;
}

export function runSchedule(steps: readonly Step[], options: ScheduleOptions): ScheduleRun {
  const db = new Database({ initial: options.initial });
  const level = options.level;
  const driver = new TxnDriver(db, (tx) => (typeof level === "string" ? level : (level[tx] ?? "SI")));
  steps.forEach((step, i) => driver.issue(i, step));
  driver.abortOpen("still open when the schedule ended");
  return { schedule: formatSchedule(steps), trace: driver.trace, txns: outcomes(driver), final: db.committedState(), db };
}

function outcomes(driver: TxnDriver): Record<string, TxnOutcome> {
  const result: Record<string, TxnOutcome> = {};
  for (const t of driver.all()) {
    result[t.name] = {
      name: t.name,
      level: t.level,
      status: t.tx?.status ?? "not started",
      abortCause: t.tx?.abortCause ?? null,
      abortReason: t.tx?.abortReason ?? "",
      reads: t.readLog,
      scans: t.scanLog,
      observed: t.observed,
      waits: t.waits,
    };
  }
  return result;
}
