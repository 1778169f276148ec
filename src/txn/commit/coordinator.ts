import type { CoordinatorRecord, CoordinatorRound } from "./coordinator-state";
import type { DecideReason, TxnMessageKind } from "./events";
import { decisionKind, isCommitDecision, prepareKind, type CommitMessage, type MessageBody } from "./messages";
import { COORDINATOR, keyName } from "./nodes";
import type { CoordinatorPhase } from "./scenario-types";
import type { Transaction } from "./transaction";
import type { CommitWorld } from "./world";

/**
 * The coordinator of two-phase commit (Gray 1978) and three-phase commit (Skeen 1981).
 *
 * 2PC: prepare -> votes -> decision. Any "no", or a vote that does not come within `voteMs`, aborts.
 * 3PC adds a round between the votes and the decision: "pre-commit" tells every participant that all
 * voted yes, so that no participant can be uncertain while another has committed; that is what lets
 * participants finish without the coordinator (see termination-3pc.ts).
 *
 * The decision (and, in 3PC, the pre-commit state) is forced to the log before anyone hears it.
 */

const C = COORDINATOR;

/** A transaction arrives. If the coordinator is down it is refused: nothing was prepared anywhere. */
export function beginTransaction(w: CommitWorld, tx: Transaction): void {
  const c = w.coordinator;
  if (!c.up) {
    w.emit({ type: "txn-refused", txn: tx.id });
    return;
  }
  w.emit({ type: "txn-start", txn: tx.id, participants: tx.participants.map((p) => w.name(p)), keys: tx.keys.map(keyName) });
  c.rounds.set(tx.id, { txn: tx.id, participants: tx.participants, phase: "voting", votes: 0, yes: new Set(), acks: new Set() });
  if (!w.checkpoint(C, "before-prepare", tx.id, 0)) return;
  const body = (p: number): MessageBody => ({ participants: tx.participants, keys: tx.keysAt.get(p) ?? [] });
  if (!broadcast(w, tx.id, tx.participants, prepareKind(w.settings.protocol), "after-prepare-sent", body)) return;
  w.afterVirtual(C, w.settings.voteUs, () => onVoteTimeout(w, tx.id));
}

/** What arrives at the coordinator. */
export function coordinatorReceives(w: CommitWorld, m: CommitMessage): void {
  switch (m.kind) {
    case "vote-yes":
    case "vote-no":
      return onVote(w, m);
    case "pre-commit-ack":
      return onPreCommitAck(w, m);
    case "ack":
      return onAck(w, m);
    case "decision-request":
      return onDecisionRequest(w, m);
    case "commit":
    case "do-commit":
    case "abort":
      return learnDecision(w, m.txn, isCommitDecision(m.kind));
  }
}

function onVote(w: CommitWorld, m: CommitMessage): void {
  const round = w.coordinator.rounds.get(m.txn);
  if (!round || round.phase !== "voting") return; // late, or for a round a crash erased
  round.votes++;
  if (m.kind === "vote-yes") round.yes.add(m.from);
  if (!w.checkpoint(C, "after-votes", m.txn, round.votes)) return;
  if (m.kind === "vote-no") decide(w, round, false, noVoteReason(m));
  else if (round.yes.size === round.participants.length) allVotedYes(w, round);
  else if (w.bugs.has("commit-without-all-votes")) decide(w, round, true, "bug");
}

/** Why a "no" arrived, as a decision reason ("ready" never comes with a "no"). */
function noVoteReason(m: CommitMessage): DecideReason {
  return m.reason === undefined || m.reason === "ready" ? "constraint" : m.reason;
}

function onVoteTimeout(w: CommitWorld, txn: number): void {
  const round = w.coordinator.rounds.get(txn);
  if (!round || round.phase !== "voting") return;
  w.emit({ type: "timeout", node: w.name(C), txn, waitingFor: "votes" });
  decide(w, round, false, "vote-timeout");
}

function allVotedYes(w: CommitWorld, round: CoordinatorRound): void {
  if (w.settings.protocol === "2pc") decide(w, round, true, "all-voted-yes");
  else preCommit(w, round);
}

/** 3PC phase 2: force "pre-committed" to the log, then tell every participant. */
function preCommit(w: CommitWorld, round: CoordinatorRound): void {
  round.phase = "pre-committing";
  recordOf(w, round).preCommitted = true;
  w.emit({ type: "pre-commit", node: w.name(C), txn: round.txn });
  if (!broadcast(w, round.txn, round.participants, "pre-commit", "after-precommit-sent")) return;
  w.afterVirtual(C, w.settings.preCommitAckUs, () => onPreCommitAckTimeout(w, round.txn));
}

function onPreCommitAck(w: CommitWorld, m: CommitMessage): void {
  const round = w.coordinator.rounds.get(m.txn);
  if (!round || round.phase !== "pre-committing") return;
  round.acks.add(m.from);
  if (round.acks.size === round.participants.length) decide(w, round, true, "all-voted-yes");
}

/**
 * Skeen's rule: a participant that does not acknowledge pre-commit is taken to have crashed, and since
 * everyone voted yes the coordinator commits anyway; the silent one learns it when it recovers. This
 * is safe only if "no answer in time" really means "crashed": the bounded-delay assumption.
 */
function onPreCommitAckTimeout(w: CommitWorld, txn: number): void {
  const round = w.coordinator.rounds.get(txn);
  if (!round || round.phase !== "pre-committing") return;
  w.emit({ type: "timeout", node: w.name(C), txn, waitingFor: "pre-commit-acks" });
  decide(w, round, true, "all-voted-yes");
}

/** Forces the decision to the log, then sends it to every participant (each acknowledges). */
function decide(w: CommitWorld, round: CoordinatorRound, commit: boolean, reason: DecideReason): void {
  round.phase = "deciding";
  round.acks.clear();
  recordOf(w, round).decision = commit;
  w.emit({ type: "decide", node: w.name(C), txn: round.txn, commit, reason });
  broadcast(w, round.txn, round.participants, decisionKind(w.settings.protocol, commit), "after-decision-sent");
}

function onAck(w: CommitWorld, m: CommitMessage): void {
  const round = w.coordinator.rounds.get(m.txn);
  if (!round || round.phase !== "deciding") return;
  round.acks.add(m.from);
  if (round.acks.size < round.participants.length) return;
  // Everyone knows: the coordinator need not resend the decision after a crash (an "end" record).
  const record = w.coordinator.log.get(m.txn);
  if (record) record.ended = true;
  w.coordinator.rounds.delete(m.txn);
}

/**
 * A participant in doubt asks. The logged decision answers; a transaction still being voted on gets
 * its answer with the decision. A transaction the coordinator has no record of was lost in a crash
 * before any decision was logged, so nothing can have committed: "presumed abort" (2PC). A 3PC
 * coordinator never presumes: its participants may have decided without it.
 */
function onDecisionRequest(w: CommitWorld, m: CommitMessage): void {
  const c = w.coordinator;
  const record = c.log.get(m.txn);
  if (record && record.decision !== null) {
    w.send(C, m.from, decisionKind(w.settings.protocol, record.decision), m.txn);
    return;
  }
  if (c.rounds.has(m.txn) || w.settings.protocol === "3pc") return;
  c.log.set(m.txn, { participants: [], preCommitted: false, decision: false, ended: true }); // others will ask too
  w.emit({ type: "decide", node: w.name(C), txn: m.txn, commit: false, reason: "presumed-abort" });
  w.send(C, m.from, "abort", m.txn);
}

/** A recovered 3PC coordinator learns what the participants decided without it. */
function learnDecision(w: CommitWorld, txn: number, commit: boolean): void {
  const record = w.coordinator.log.get(txn);
  if (!record || record.decision !== null) return;
  record.decision = commit;
  w.emit({ type: "decide", node: w.name(C), txn, commit, reason: "learned" });
}

/**
 * The coordinator restarts with its log only. Decided transactions that not everyone acknowledged
 * get their decision again. A 3PC transaction it had pre-committed but not decided may have been
 * finished either way by the participants' termination protocol, so it asks them, periodically.
 * Anything else it forgets: participants that ask get "abort" (2PC) or terminate on their own (3PC).
 */
export function recoverCoordinator(w: CommitWorld): void {
  const c = w.coordinator;
  for (const [txn, record] of c.log) {
    if (!c.up) return; // a fault struck again while it was resending
    if (record.decision !== null && !record.ended) resendDecision(w, txn, record);
    else if (record.decision === null && record.preCommitted) askParticipants(w, txn, record);
  }
}

function resendDecision(w: CommitWorld, txn: number, record: CoordinatorRecord): void {
  const round: CoordinatorRound = { txn, participants: record.participants, phase: "deciding", votes: 0, yes: new Set(), acks: new Set() };
  w.coordinator.rounds.set(txn, round);
  broadcast(w, txn, record.participants, decisionKind(w.settings.protocol, record.decision === true), "after-decision-sent");
}

function askParticipants(w: CommitWorld, txn: number, record: CoordinatorRecord): void {
  if (record.decision !== null) return;
  for (const p of record.participants) w.send(C, p, "decision-request", txn);
  w.afterVirtual(C, w.settings.retryUs, () => askParticipants(w, txn, record));
}

/**
 * Sends one message per participant, checking the fault points before the first and after each
 * (so a fault can strike "after the decision reached one participant"). False if the coordinator crashed.
 */
function broadcast(w: CommitWorld, txn: number, to: readonly number[], kind: TxnMessageKind, phase: CoordinatorPhase, body?: (p: number) => MessageBody): boolean {
  if (!w.checkpoint(C, phase, txn, 0)) return false;
  for (let i = 0; i < to.length; i++) {
    w.send(C, to[i], kind, txn, body?.(to[i]));
    if (!w.checkpoint(C, phase, txn, i + 1)) return false;
  }
  return true;
}

function recordOf(w: CommitWorld, round: CoordinatorRound): CoordinatorRecord {
  const log = w.coordinator.log;
  let record = log.get(round.txn);
  if (!record) {
    record = { participants: round.participants, preCommitted: false, decision: null, ended: false };
    log.set(round.txn, record);
  }
  return record;
}
