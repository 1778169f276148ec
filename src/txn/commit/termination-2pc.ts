import { COORDINATOR } from "./nodes";
import { applyDecision, armTimer } from "./participant-decisions";
import type { ParticipantNode } from "./participant-state";
import type { CommitWorld } from "./world";

/**
 * What a 2PC participant in doubt does when the decision is late: it asks the coordinator again, and
 * again every `retryMs`, for as long as it takes. It never decides on its own: the coordinator may
 * have decided commit and told someone else (Gray 1978). That is 2PC's blocking problem.
 *
 * With `cooperativeTermination` it also asks the other participants. A peer that knows the outcome
 * tells it; a peer that never voted aborts and says "abort" (the coordinator cannot have committed
 * without its vote). If every peer is in doubt too, nobody can help: still blocked.
 */
export function onTwoPhaseTimeout(w: CommitWorld, p: ParticipantNode, txn: number): void {
  w.emit({ type: "timeout", node: w.name(p.node), txn, waitingFor: "decision" });
  if (w.bugs.has("in-doubt-abort")) {
    applyDecision(w, p, txn, false);
    return;
  }
  askForDecision(w, p, txn);
  armTimer(w, p, txn, COORDINATOR, w.settings.retryUs, () => onTwoPhaseTimeout(w, p, txn));
}

/** One decision request to the coordinator, and one to each peer under cooperative termination. */
export function askForDecision(w: CommitWorld, p: ParticipantNode, txn: number): void {
  w.send(p.node, COORDINATOR, "decision-request", txn);
  if (!w.settings.cooperativeTermination) return;
  for (const peer of p.log.get(txn)?.participants ?? []) if (peer !== p.node) w.send(p.node, peer, "decision-request", txn);
}
