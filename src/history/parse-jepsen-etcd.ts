/**
 * Parse a Jepsen etcd log (as published with Porcupine and the ahorn/linearizability-checker project) into a
 * `History` of one compare-and-set register, key "etcd".
 *
 * Lines that matter look like `INFO  jepsen.util - <process> :<type> :<f> <value>` (tabs or spaces):
 * - `:invoke :read nil`, then `:ok :read <nil|int>` (nil is an absent value: null);
 * - `:invoke :write <int>`, then `:ok :write <int>`;
 * - `:invoke :cas [<from> <to>]`, then `:ok :cas [...]` (it happened) or `:fail :cas [...]` (it did not);
 * - `:fail ... :timed-out` and `:info ... :timed-out`: the outcome is unknown (status "info");
 * - an invocation with no completion by the end of the file is unknown too (status "info", completeUs null).
 * Any other line is log noise and is skipped.
 *
 * The logs have no timestamps, only an order, so a line's 1-based number stands for its time: `invokeUs` and
 * `completeUs` are LINE NUMBERS here (see `formatLineTime` for printing them).
 */
import type { History, HistoryOp, HistoryOpKind } from "./types";

/** The one key of the etcd register histories. */
export const ETCD_KEY = "etcd";

const EVENT_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

interface JepsenEvent {
  readonly process: number;
  readonly type: "invoke" | "ok" | "fail" | "info";
  readonly kind: HistoryOpKind;
  readonly value: unknown;
  /** `:timed-out` and other keywords in the value position: the reason, not a value. */
  readonly keyword?: string;
  readonly line: number;
}

/** Parse the text of one log. Operations are returned in invocation order. */
export function parseJepsenEtcdLog(text: string): History {
  const history: HistoryOp[] = [];
  const pending = new Map<number, HistoryOp>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const event = parseEventLine(lines[index], index + 1);
    if (!event) continue;
    if (event.type === "invoke") {
      const op = invocation(event);
      history.push(op);
      pending.set(event.process, op);
      continue;
    }
    const op = pending.get(event.process);
    if (!op || op.kind !== event.kind) continue; // a completion without its invocation: noise
    complete(op, event);
    pending.delete(event.process);
  }
  return history;
}

/** Print a time of a parsed log (a line number), e.g. "line 42". */
export function formatLineTime(line: number): string {
  return `line ${line}`;
}

function parseEventLine(line: string, lineNumber: number): JepsenEvent | null {
  const match = EVENT_LINE.exec(line);
  if (!match) return null;
  const [, process, type, kind, rawValue] = match;
  const value = parseValue(rawValue);
  if (value === undefined) return null;
  const keyword = rawValue.startsWith(":") ? rawValue.slice(1) : undefined;
  return {
    process: Number(process),
    type: type as JepsenEvent["type"],
    kind: kind as HistoryOpKind,
    value: keyword === undefined ? value : null,
    keyword,
    line: lineNumber,
  };
}

/** `nil` -> null, `3` -> 3, `[1 2]` -> [1, 2], `:timed-out` -> the keyword; anything else -> undefined. */
function parseValue(raw: string): unknown {
  if (raw === "nil") return null;
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const pair = /^\[\s*(-?\d+|nil)\s+(-?\d+|nil)\s*\]$/.exec(raw);
  if (pair) return [parseValue(pair[1]), parseValue(pair[2])];
  if (/^:[\w-]+$/.test(raw)) return raw;
  return undefined;
}

function invocation(event: JepsenEvent): HistoryOp {
  return {
    process: event.process,
    kind: event.kind,
    key: ETCD_KEY,
    input: event.kind === "read" ? null : event.value,
    status: "info",
    invokeUs: event.line,
    completeUs: null,
  };
}

/** Apply a completion line to its pending invocation. */
function complete(op: HistoryOp, event: JepsenEvent): void {
  op.completeUs = event.line;
  if (event.keyword !== undefined) {
    // A timeout, even one logged as :fail (the etcd client does so for reads): nobody knows what happened.
    op.status = "info";
    op.error = event.keyword;
  } else if (event.type === "ok") {
    op.status = "ok";
    if (op.kind === "read") op.output = event.value;
  } else if (event.type === "fail") {
    op.status = "fail";
    op.error = op.kind === "cas" ? "compare failed" : "failed";
  } else {
    op.status = "info";
  }
}
