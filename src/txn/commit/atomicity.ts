import { resultOf, type CheckResult } from "../../checkers/result";
import { compareNodeNames } from "./nodes";
import type { TxnOutcome } from "./outcomes";

/** One transaction that committed somewhere and aborted somewhere else. */
export interface AtomicityViolation {
  txn: number;
  /** Nodes that committed (the coordinator counts: it told the client "committed"). */
  committed: string[];
  aborted: string[];
  /** One sentence, e.g. "T12: coordinator, p1 committed but p2, p3 aborted". */
  explanation: string;
}

/**
 * Atomic commitment's safety property: for each transaction, every node that decided, decided the
 * same. A participant that crashed for good, or is still in doubt, has not decided: it is waiting,
 * which is 2PC's blocking, not a violation. A commit at one node and an abort at another is.
 *
 * Pure: it reads recorded outcomes only (see `outcomesOf`), so it can check any run, or a hand-made history.
 */
export function checkAtomicity(outcomes: readonly TxnOutcome[]): CheckResult<AtomicityViolation> {
  const violations: AtomicityViolation[] = [];
  for (const outcome of outcomes) {
    const violation = violationIn(outcome);
    if (violation) violations.push(violation);
  }
  return resultOf(violations);
}

function violationIn(outcome: TxnOutcome): AtomicityViolation | null {
  const entries = Object.entries(outcome.decisions).sort(([a], [b]) => compareNodeNames(a, b));
  const committed = entries.filter(([, d]) => d === "commit").map(([node]) => node);
  const aborted = entries.filter(([, d]) => d === "abort").map(([node]) => node);
  if (committed.length === 0 || aborted.length === 0) return null;
  const explanation = `T${outcome.txn}: ${committed.join(", ")} committed but ${aborted.join(", ")} aborted`;
  return { txn: outcome.txn, committed, aborted, explanation };
}
