import { decisionKind } from "./messages";
import type { ParticipantNode } from "./participant-state";
import type { CommitWorld } from "./world";

/**
 * The steps every participant module shares: learning an outcome, aborting a transaction it never
 * voted for, answering who asks, and its one timer per transaction.
 */

/**
 * Applies an outcome once: logs it, releases the locks (letting waiting prepares go), and ends the
 * doubt. A participant that already decided keeps its first decision; a conflicting later one is
 * ignored (when that happens the protocol is broken, and the atomicity checker will say so).
 */
export function applyDecision(w: CommitWorld, p: ParticipantNode, txn: number, commit: boolean): void {
  if (p.decided(txn)) return;
  const record = p.log.get(txn);
  const keys = record?.keys ?? [];
  p.log.set(txn, { state: commit ? "committed" : "aborted", participants: record?.participants ?? [], keys });
  p.locks.cancelWait(txn);
  p.work.delete(txn); // its timers and termination round are void now
  w.emit({ type: commit ? "commit" : "abort", node: w.name(p.node), txn });
  if (p.locks.holds(txn, keys)) releaseLocks(w, p, txn, keys);
}

function releaseLocks(w: CommitWorld, p: ParticipantNode, txn: number, keys: readonly number[]): void {
  w.emit({ type: "unlock", node: w.name(p.node), txn });
  for (const waiter of p.locks.release(txn, keys)) {
    if (!p.up) return; // a granted prepare may crash the node at "after-vote"
    waiter.grant();
  }
}

/**
 * A participant that has not voted yes may abort on its own: it promised nothing. It logs the abort
 * first, so a prepare that arrives later gets a "no". A prepare that was waiting for locks answers "no" now.
 */
export function unilateralAbort(w: CommitWorld, p: ParticipantNode, txn: number): void {
  const wasWaiting = p.locks.isWaiting(txn);
  applyDecision(w, p, txn, false);
  if (!wasWaiting) return;
  w.emit({ type: "vote", node: w.name(p.node), txn, yes: false, reason: "already-aborted" });
  w.send(p.node, 0, "vote-no", txn, { reason: "already-aborted" });
}

/** Sends this participant's outcome to whoever asked. */
export function replyWithDecision(w: CommitWorld, p: ParticipantNode, txn: number, to: number): void {
  const state = p.log.get(txn)?.state;
  if (state !== "committed" && state !== "aborted") return;
  w.send(p.node, to, decisionKind(w.settings.protocol, state === "committed"), txn);
}

/**
 * (Re)arms the participant's timer for `txn`: it waits for a message from `awaiting` (the coordinator
 * or another participant) and runs `onFire` if none comes in `delayUs` and it is still in doubt.
 * Re-arming voids the previous timer.
 */
export function armTimer(w: CommitWorld, p: ParticipantNode, txn: number, awaiting: number, delayUs: number, onFire: () => void): void {
  const work = p.workOn(txn);
  const gen = ++work.timerGen;
  work.awaiting = awaiting;
  w.afterVirtual(p.node, delayUs, () => {
    if (p.work.get(txn)?.timerGen === gen && p.inDoubt(txn)) onFire();
  });
}
