/**
 * A history: what clients asked and what they were told, with invoke and completion times.
 *
 * This is what consistency checkers judge (they never look inside the cluster), as Jepsen does.
 * Semantics of `status`:
 * - "ok": the operation happened, with `output` as its result.
 * - "fail": the operation certainly did NOT happen (for example a write rejected by a replica).
 * - "info": unknown (a timeout): it may or may not have happened, at any time after `invokeUs`.
 */
export type OpStatus = "ok" | "fail" | "info";

export type HistoryOpKind =
  | "read" // register read / key-value get
  | "write" // register write / key-value set (put)
  | "cas" // compare-and-set: input [from, to]
  | "append" // key-value append (string concatenation)
  | "add"; // add an amount (with an optional floor it must not go below)

export interface HistoryOp {
  /** Client process id; each process has at most one operation outstanding in a well-formed history. */
  process: number;
  kind: HistoryOpKind;
  key: string;
  /** write/append: the value; add: {amount, floor?}; cas: [from, to]; read: null. */
  input: unknown;
  /** read: the value returned (null when absent); others: undefined. Meaningful only when status is "ok". */
  output?: unknown;
  status: OpStatus;
  /** Virtual time of the invocation, in microseconds. */
  invokeUs: number;
  /** Virtual time of the completion, in microseconds; null when it never completed (status "info"). */
  completeUs: number | null;
  /** The engine's operation id, when the history was recorded by the engine. */
  id?: number;
  /** Why it failed, when status is "fail" or "info" (for example "timeout", "read-only", "floor"). */
  error?: string;
}

export type History = HistoryOp[];
