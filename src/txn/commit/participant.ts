import type { VoteReason } from "./events";
import { isCommitDecision, type CommitMessage } from "./messages";
import { COORDINATOR, keyName } from "./nodes";
import { applyDecision, armTimer, replyWithDecision, unilateralAbort } from "./participant-decisions";
import type { ParticipantNode } from "./participant-state";
import { askForDecision, onTwoPhaseTimeout } from "./termination-2pc";
import { findTerminator, onStateReply, onStateRequest, onTerminatorPreCommitAck, onThreePhaseTimeout, terminateOnRequest } from "./termination-3pc";
import type { CommitWorld } from "./world";

/**
 * A participant of 2PC or 3PC. On prepare (3PC: can-commit) it takes the locks of its keys and votes.
 * A "yes" is forced to the log before it leaves: from then on the participant is IN DOUBT, holding its
 * locks, and may not abort on its own, however long the coordinator takes (Gray 1978). A "no" (a
 * constraint violation, or a lock held by another transaction under the no-wait policy) aborts at once.
 */

const C = COORDINATOR;

/** What arrives at a participant. */
export function participantReceives(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  switch (m.kind) {
    case "prepare":
    case "can-commit":
      return onPrepare(w, p, m);
    case "pre-commit":
      return onPreCommit(w, p, m);
    case "commit":
    case "do-commit":
    case "abort":
      return onDecision(w, p, m);
    case "decision-request":
      return onDecisionRequest(w, p, m);
    case "state-request":
      return onStateRequest(w, p, m);
    case "state-reply":
      return onStateReply(w, p, m);
    case "pre-commit-ack":
      return onTerminatorPreCommitAck(w, p, m);
  }
}

function onPrepare(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  const record = p.log.get(m.txn);
  if (record?.state === "aborted") return vote(w, p, m.txn, false, "already-aborted");
  if (record || p.locks.isWaiting(m.txn)) return; // a duplicate: its vote is already on the way
  if (!w.checkpoint(p.node, "before-vote", m.txn, 0)) return;
  const keys = m.keys ?? [];
  const participants = m.participants ?? [];
  if (p.constraints.chance(w.settings.voteNoProbability)) return voteNo(w, p, m.txn, "constraint");
  const holder = p.locks.conflict(m.txn, keys);
  if (holder === null) return lockAndVoteYes(w, p, m.txn, participants, keys);
  if (w.settings.onLockConflict === "vote-no") return voteNo(w, p, m.txn, "lock-conflict");
  w.emit({ type: "lock-wait", node: w.name(p.node), txn: m.txn, blockedBy: holder });
  // The lock table takes the keys for it when they are free, then the grant votes.
  p.locks.wait({ txn: m.txn, keys, grant: () => voteYes(w, p, m.txn, participants, keys) });
}

function lockAndVoteYes(w: CommitWorld, p: ParticipantNode, txn: number, participants: readonly number[], keys: readonly number[]): void {
  p.locks.acquire(txn, keys);
  voteYes(w, p, txn, participants, keys);
}

/** Logs "prepared" (with the participant list, for termination), votes yes, and starts waiting. */
function voteYes(w: CommitWorld, p: ParticipantNode, txn: number, participants: readonly number[], keys: readonly number[]): void {
  emitLock(w, p, txn, keys);
  p.log.set(txn, { state: "prepared", participants, keys });
  w.emit({ type: "prepare", node: w.name(p.node), txn });
  vote(w, p, txn, true, "ready");
  w.emit({ type: "in-doubt", node: w.name(p.node), txn });
  armTimer(w, p, txn, C, w.settings.decisionUs, () => onInDoubtTimeout(w, p, txn));
  w.checkpoint(p.node, "after-vote", txn, 0);
}

function voteNo(w: CommitWorld, p: ParticipantNode, txn: number, reason: VoteReason): void {
  applyDecision(w, p, txn, false);
  vote(w, p, txn, false, reason);
  w.checkpoint(p.node, "after-vote", txn, 0);
}

function vote(w: CommitWorld, p: ParticipantNode, txn: number, yes: boolean, reason: VoteReason): void {
  w.emit({ type: "vote", node: w.name(p.node), txn, yes, reason });
  w.send(p.node, C, yes ? "vote-yes" : "vote-no", txn, yes ? undefined : { reason });
}

/** The decision did not come in time: 2PC asks (and keeps waiting), 3PC terminates. */
function onInDoubtTimeout(w: CommitWorld, p: ParticipantNode, txn: number): void {
  if (w.settings.protocol === "2pc") onTwoPhaseTimeout(w, p, txn);
  else onThreePhaseTimeout(w, p, txn);
}

/**
 * 3PC: all voted yes. Once pre-committed, a participant that loses the coordinator will commit
 * (termination finds a pre-committed participant). The acknowledgement goes to whoever sent it, the
 * coordinator or a participant running termination.
 */
function onPreCommit(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  const record = p.log.get(m.txn);
  if (!record || (record.state !== "prepared" && record.state !== "pre-committed")) return;
  if (record.state === "prepared") {
    record.state = "pre-committed";
    w.emit({ type: "pre-commit", node: w.name(p.node), txn: m.txn });
  }
  w.send(p.node, m.from, "pre-commit-ack", m.txn);
  const waitUs = m.from === C ? w.settings.decisionUs : w.settings.candidateUs;
  armTimer(w, p, m.txn, m.from, waitUs, () => onInDoubtTimeout(w, p, m.txn));
  w.checkpoint(p.node, "after-precommit", m.txn, 0);
}

/** An outcome, from the coordinator (acknowledged, so it can forget) or from a peer (not). */
function onDecision(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  applyDecision(w, p, m.txn, isCommitDecision(m.kind));
  if (m.from === C) w.send(p.node, C, "ack", m.txn);
}

/**
 * Someone asks this participant for the outcome: a peer in doubt (2PC cooperative termination), a
 * peer that wants it to run termination (3PC), or a recovered 3PC coordinator. A participant that
 * never voted aborts and says so; one that is itself in doubt has nothing to tell (2PC), or starts
 * terminating (3PC).
 */
function onDecisionRequest(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  if (p.decided(m.txn)) return replyWithDecision(w, p, m.txn, m.from);
  if (!p.log.has(m.txn)) {
    unilateralAbort(w, p, m.txn);
    return replyWithDecision(w, p, m.txn, m.from);
  }
  if (w.settings.protocol === "3pc" && m.from !== C) terminateOnRequest(w, p, m.txn);
}

function emitLock(w: CommitWorld, p: ParticipantNode, txn: number, keys: readonly number[]): void {
  w.emit({ type: "lock", node: w.name(p.node), txn, keys: keys.map(keyName) });
}

/** After a restart: take the locks of in-doubt transactions back and find out their outcome. */
export function recoverParticipant(w: CommitWorld, p: ParticipantNode): void {
  for (const [txn, record] of p.log) {
    if (!p.up) return;
    if (!p.inDoubt(txn)) continue;
    p.locks.acquire(txn, record.keys);
    emitLock(w, p, txn, record.keys);
    w.emit({ type: "in-doubt", node: w.name(p.node), txn });
    if (w.settings.protocol === "2pc") {
      askForDecision(w, p, txn);
      armTimer(w, p, txn, C, w.settings.retryUs, () => onInDoubtTimeout(w, p, txn));
    } else findTerminator(w, p, txn);
  }
}
