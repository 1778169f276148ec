import type { DecideReason } from "./events";
import { decisionKind, type CommitMessage } from "./messages";
import { COORDINATOR } from "./nodes";
import { applyDecision, armTimer, unilateralAbort } from "./participant-decisions";
import { stateName, type ParticipantNode, type TerminationRound } from "./participant-state";
import type { CommitWorld } from "./world";

/**
 * The termination protocol of three-phase commit (Skeen 1981; the rules as in Bernstein, Hadzilacos
 * & Goodman 1987, ch. 7): when the coordinator goes silent, the participants finish on their own.
 *
 * Election: each participant that times out asks the lowest-numbered participant it does not suspect
 * to terminate, and suspects it when no outcome comes within `CANDIDATE_WAIT_ROUNDS` rounds; the
 * lowest that is alive ends up doing it. The elected participant collects everyone's state and decides:
 *   any committed -> commit; any aborted -> abort;
 *   any pre-committed -> pre-commit the uncertain ones, then commit;
 *   all uncertain -> abort (no one can have committed: the coordinator commits only after pre-commit).
 *
 * All of this rests on two assumptions: failures are crash-stop, and delays are bounded below the
 * timeouts, so that "no answer in time" means "crashed". Under a partition each side elects its own
 * terminator, and one side can commit while the other aborts. The engine lets that happen: it is the lesson.
 */

const C = COORDINATOR;

/** The participant's timer fired: the coordinator (or the participant it asked) is silent. */
export function onThreePhaseTimeout(w: CommitWorld, p: ParticipantNode, txn: number): void {
  const work = p.workOn(txn);
  w.emit({ type: "timeout", node: w.name(p.node), txn, waitingFor: work.awaiting === C ? "decision" : "candidate" });
  if (work.awaiting !== C) work.suspected.add(work.awaiting);
  findTerminator(w, p, txn);
}

/** Asks the lowest participant it does not suspect to terminate, or terminates itself if that is itself. */
export function findTerminator(w: CommitWorld, p: ParticipantNode, txn: number): void {
  const work = p.workOn(txn);
  const participants = p.log.get(txn)?.participants ?? [];
  const candidate = participants.find((q) => q === p.node || !work.suspected.has(q));
  if (candidate === undefined || candidate === p.node) return startTermination(w, p, txn);
  w.send(p.node, candidate, "decision-request", txn);
  armTimer(w, p, txn, candidate, w.settings.candidateUs, () => onThreePhaseTimeout(w, p, txn));
}

/** A peer asked this in-doubt participant to terminate: it is the lowest the peer believes alive. */
export function terminateOnRequest(w: CommitWorld, p: ParticipantNode, txn: number): void {
  startTermination(w, p, txn);
}

function startTermination(w: CommitWorld, p: ParticipantNode, txn: number): void {
  const work = p.workOn(txn);
  const record = p.log.get(txn);
  if (!record || (work.termination && work.termination.phase !== "done")) return;
  w.emit({ type: "termination-start", node: w.name(p.node), txn });
  const round: TerminationRound = { phase: "collecting", states: new Map([[p.node, stateName(record)]]), pendingAcks: new Set() };
  work.termination = round;
  work.timerGen++; // its own wait is over: it is the one who decides now
  const others = record.participants.filter((q) => q !== p.node);
  for (const q of others) w.send(p.node, q, "state-request", txn);
  if (others.length === 0) return conclude(w, p, txn, round);
  w.afterVirtual(p.node, w.settings.terminationRoundUs, () => {
    if (!isCurrent(p, txn, round, "collecting")) return;
    w.emit({ type: "timeout", node: w.name(p.node), txn, waitingFor: "state-replies" });
    conclude(w, p, txn, round);
  });
}

/**
 * A terminator asks for this participant's state. One that never voted aborts first (it may: it
 * promised nothing). One in doubt then waits for the terminator's outcome, and suspects it if none comes.
 */
export function onStateRequest(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  if (!p.log.has(m.txn)) unilateralAbort(w, p, m.txn);
  const record = p.log.get(m.txn);
  if (!record) return;
  w.send(p.node, m.from, "state-reply", m.txn, { state: stateName(record) });
  const terminating = p.work.get(m.txn)?.termination?.phase;
  if (p.inDoubt(m.txn) && (terminating === undefined || terminating === "done")) {
    armTimer(w, p, m.txn, m.from, w.settings.candidateUs, () => onThreePhaseTimeout(w, p, m.txn));
  }
}

export function onStateReply(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  const round = p.work.get(m.txn)?.termination;
  if (!round || round.phase !== "collecting") return;
  round.states.set(m.from, m.state ?? "uncertain");
  if (round.states.size === (p.log.get(m.txn)?.participants.length ?? 0)) conclude(w, p, m.txn, round);
}

/** The termination rules, applied to the states collected (its own state as it is now). */
function conclude(w: CommitWorld, p: ParticipantNode, txn: number, round: TerminationRound): void {
  const record = p.log.get(txn);
  if (!record || !p.inDoubt(txn)) {
    round.phase = "done";
    return;
  }
  round.states.set(p.node, stateName(record));
  const states = [...round.states.values()];
  if (states.includes("committed")) return finish(w, p, txn, round, true, "some-committed");
  if (states.includes("aborted")) return finish(w, p, txn, round, false, "some-aborted");
  if (states.includes("pre-committed")) return preCommitTheUncertain(w, p, txn, round);
  finish(w, p, txn, round, false, "all-uncertain");
}

/**
 * Someone is pre-committed, so the coordinator may have committed: commit, but first bring every
 * uncertain participant to pre-committed, so that if this terminator crashes too, the next one
 * still finds a pre-committed participant and also commits.
 */
function preCommitTheUncertain(w: CommitWorld, p: ParticipantNode, txn: number, round: TerminationRound): void {
  round.phase = "pre-committing";
  const record = p.log.get(txn);
  if (record && record.state === "prepared") {
    record.state = "pre-committed";
    w.emit({ type: "pre-commit", node: w.name(p.node), txn });
  }
  for (const [q, state] of round.states) if (q !== p.node && state === "uncertain") round.pendingAcks.add(q);
  for (const q of round.pendingAcks) w.send(p.node, q, "pre-commit", txn);
  if (round.pendingAcks.size === 0) return finish(w, p, txn, round, true, "some-pre-committed");
  w.afterVirtual(p.node, w.settings.terminationRoundUs, () => {
    if (!isCurrent(p, txn, round, "pre-committing")) return;
    w.emit({ type: "timeout", node: w.name(p.node), txn, waitingFor: "termination-acks" });
    finish(w, p, txn, round, true, "some-pre-committed");
  });
}

export function onTerminatorPreCommitAck(w: CommitWorld, p: ParticipantNode, m: CommitMessage): void {
  const round = p.work.get(m.txn)?.termination;
  if (!round || round.phase !== "pre-committing") return;
  round.pendingAcks.delete(m.from);
  if (round.pendingAcks.size === 0) finish(w, p, m.txn, round, true, "some-pre-committed");
}

/** Decides, applies the outcome here, and tells every other participant (no acknowledgements). */
function finish(w: CommitWorld, p: ParticipantNode, txn: number, round: TerminationRound, commit: boolean, reason: DecideReason): void {
  round.phase = "done";
  const participants = p.log.get(txn)?.participants ?? [];
  w.emit({ type: "decide", node: w.name(p.node), txn, commit, reason });
  applyDecision(w, p, txn, commit);
  for (const q of participants) if (q !== p.node) w.send(p.node, q, decisionKind("3pc", commit), txn);
}

function isCurrent(p: ParticipantNode, txn: number, round: TerminationRound, phase: TerminationRound["phase"]): boolean {
  return p.work.get(txn)?.termination === round && round.phase === phase;
}
