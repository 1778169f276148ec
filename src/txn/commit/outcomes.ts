import { COORDINATOR_NAME, compareNodeNames } from "./nodes";
import type { TxnEvent } from "./events";

/** What became of one transaction, node by node. */
export interface TxnOutcome {
  txn: number;
  /** When it arrived, ms. */
  startMs: number;
  participants: string[];
  /**
   * Each node's decision: the coordinator's logged decision (under "coordinator") and each
   * participant's applied outcome. Nodes that never decided are absent.
   */
  decisions: Record<string, "commit" | "abort">;
  /** Participants that voted yes and had not learned the outcome when the run ended. */
  inDoubt: string[];
}

/**
 * Records outcomes from the event stream: `txn-start` names the participants, the coordinator's
 * first `decide` is its decision, a participant's first `commit` or `abort` is its outcome, and an
 * `in-doubt` without a later outcome is a participant still in doubt.
 */
export class OutcomeRecorder {
  private readonly byTxn = new Map<number, { outcome: TxnOutcome; inDoubt: Set<string> }>();

  observe(e: TxnEvent): void {
    switch (e.type) {
      case "txn-start":
        this.byTxn.set(e.txn, { outcome: { txn: e.txn, startMs: e.timeMs, participants: e.participants, decisions: {}, inDoubt: [] }, inDoubt: new Set() });
        break;
      case "decide":
        if (e.node === COORDINATOR_NAME) this.decided(e.txn, e.node, e.commit);
        break;
      case "commit":
      case "abort":
        this.decided(e.txn, e.node, e.type === "commit");
        this.byTxn.get(e.txn)?.inDoubt.delete(e.node);
        break;
      case "in-doubt":
        this.byTxn.get(e.txn)?.inDoubt.add(e.node);
        break;
    }
  }

  /** Every started transaction, in order of arrival. */
  outcomes(): TxnOutcome[] {
    return [...this.byTxn.values()].map(({ outcome, inDoubt }) => ({ ...outcome, inDoubt: [...inDoubt].sort(compareNodeNames) }));
  }

  private decided(txn: number, node: string, commit: boolean): void {
    const decisions = this.byTxn.get(txn)?.outcome.decisions;
    if (decisions && decisions[node] === undefined) decisions[node] = commit ? "commit" : "abort";
  }
}

/** The outcomes of a recorded run (a pure function of its events). */
export function outcomesOf(events: Iterable<TxnEvent>): TxnOutcome[] {
  const recorder = new OutcomeRecorder();
  for (const e of events) recorder.observe(e);
  return recorder.outcomes();
}
