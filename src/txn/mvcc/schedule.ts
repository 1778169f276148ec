import type { Key, Predicate, Row, Value } from "./types";

/**
 * Schedules as data: a list of (transaction, operation) steps, in the order they are issued. This is
 * the notation of the isolation literature (`r1[x] w2[x] c2 r1[x] c1`), with values:
 *
 * ```ts
 * const lostUpdate = [r("T1", "x"), r("T2", "x"), w("T2", "x", (o) => o.values.x! + 1), c("T2"),
 *                     w("T1", "x", (o) => o.values.x! + 1), c("T1")];
 * ```
 *
 * A written value may be a function of what the transaction observed so far, because that is how
 * real programs write (read the balance, then write balance - 200), and how lost updates happen.
 */
export interface Observed {
  /** The last value each key was read as (null: the row did not exist). */
  values: Record<Key, Value | null>;
  /** The rows each labelled scan returned, last time it ran. */
  scans: Record<string, Row[]>;
}

export type WrittenValue = Value | ((observed: Observed) => Value);

export type Op =
  | { kind: "read"; key: Key }
  | { kind: "write"; key: Key; value: WrittenValue }
  | { kind: "scan"; label: string; predicate: Predicate }
  | { kind: "commit" }
  | { kind: "abort" };

export interface Step {
  /** The transaction's name in the schedule ("T1"); it begins at its first step. */
  tx: string;
  op: Op;
}

export function r(tx: string, key: Key): Step {
  return { tx, op: { kind: "read", key } };
}

export function w(tx: string, key: Key, value: WrittenValue): Step {
  return { tx, op: { kind: "write", key, value } };
}

export function scan(tx: string, label: string, predicate: Predicate): Step {
  return { tx, op: { kind: "scan", label, predicate } };
}

export function c(tx: string): Step {
  return { tx, op: { kind: "commit" } };
}

export function a(tx: string): Step {
  return { tx, op: { kind: "abort" } };
}

/** One step in the literature's notation: `r1[x]`, `w2[y]`, `r1[P]`, `c1`, `a2`. */
export function formatStep(step: Step): string {
  const n = step.tx.replace(/^T/, "");
  switch (step.op.kind) {
    case "read":
      return `r${n}[${step.op.key}]`;
    case "write":
      return typeof step.op.value === "number" ? `w${n}[${step.op.key}=${step.op.value}]` : `w${n}[${step.op.key}]`;
    case "scan":
      return `r${n}[${step.op.label}]`;
    case "commit":
      return `c${n}`;
    case "abort":
      return `a${n}`;
  }
}

/** A whole schedule in the literature's notation. */
export function formatSchedule(steps: readonly Step[]): string {
  return steps.map(formatStep).join(" ");
}

/** The value a write step writes, given what its transaction observed. */
export function writtenValue(value: WrittenValue, observed: Observed): Value {
  return typeof value === "number" ? value : value(observed);
}

export function emptyObserved(): Observed {
  return { values: {}, scans: {} };
}
