import { round3, type LatencySummary } from "../../metrics/latency-histogram";
import type { DecideReason } from "./events";
import type { CommitMetrics } from "./metrics";
import type { TxnOutcome } from "./outcomes";
import type { CommitProtocol } from "./scenario-types";
import type { CommitSettings } from "./settings";

/**
 * The result of one atomic-commit run, field by field. Times are virtual milliseconds.
 *
 * Message counts, fault-free, per transaction with n participants (acknowledgements included):
 * 2PC = 4n (prepare, vote, decision, ack; 3n without the acks), 3PC = 6n (can-commit, vote,
 * pre-commit, pre-commit-ack, do-commit, ack). Round trips: 2PC 2, 3PC 3.
 */
export interface AtomicCommitSummary {
  /** The scenario's name. */
  name: string;
  protocol: CommitProtocol;
  /** Participants in the world (a transaction involves those that hold its keys). */
  participants: number;
  /** The seed the run used. */
  seed: number;
  durationMs: number;
  /**
   * Transactions by fate. `started` = committed + aborted + inDoubt + atomicityViolations.
   * - committed: every participant that decided, committed, and none is still in doubt.
   * - aborted: every node that decided, aborted (or none decided and none is in doubt: nothing
   *   was prepared, so nothing can commit), and none is still in doubt.
   * - inDoubt: unresolved at the end: some participant voted yes and still waits for the outcome,
   *   holding its locks (whether it is up or crashed).
   * - refused: arrived while the coordinator was down; never started (not in `started`).
   */
  transactions: { started: number; committed: number; aborted: number; inDoubt: number; refused: number };
  /**
   * Aborted transactions by the reason of their first abort decision: a participant voted no
   * (`constraint`, `lockConflict`), votes did not arrive in time (`voteTimeout`), a recovered 2PC
   * coordinator had no decision record (`presumedAbort`), 3PC termination or a participant that had
   * already aborted on a peer's request (`termination`), or no node decided at all (`noDecision`).
   */
  abortedBy: { constraint: number; lockConflict: number; voteTimeout: number; presumedAbort: number; termination: number; noDecision: number };
  /** Total time participants spent in doubt: from voting yes to learning the outcome, while up, summed over participants and transactions. */
  inDoubtMs: number;
  /** The part of each participant's in-doubt time beyond `timeouts.decisionMs`, summed: time blocked. Zero without faults (when the timeouts cover the delays). */
  blockedMs: number;
  /** Messages sent (including those lost or dropped) per started transaction. */
  messagesPerTx: number;
  /** Round trips per started transaction: waves of requests that wait for answers (see metrics.ts). */
  roundTripsPerTx: number;
  /** Mean participants per started transaction (messages per participant = messagesPerTx / this). */
  participantsPerTx: number;
  /** From arrival to the moment every live participant applied the commit; committed transactions only. */
  commitLatencyMs: LatencySummary;
  /** Committed transactions per second of virtual time. */
  throughputPerSec: number;
  /** Transactions that committed at one node and aborted at another (see atomicity.ts). Zero for a correct protocol under its assumptions. */
  atomicityViolations: number;
  /** Events recorded, and their running hash: same scenario and seed, same hash. */
  events: number;
  eventHash: string;
}

type Fate = "committed" | "aborted" | "inDoubt" | "violation";

export function fateOf(outcome: TxnOutcome): Fate {
  const decisions = Object.values(outcome.decisions);
  const committed = decisions.includes("commit");
  if (committed && decisions.includes("abort")) return "violation";
  if (outcome.inDoubt.length > 0) return "inDoubt";
  return committed ? "committed" : "aborted";
}

export function summarize(settings: CommitSettings, metrics: CommitMetrics, outcomes: readonly TxnOutcome[], events: { count: number; hash: string }): AtomicCommitSummary {
  const fates = { committed: 0, aborted: 0, inDoubt: 0, violation: 0 };
  const abortedBy = { constraint: 0, lockConflict: 0, voteTimeout: 0, presumedAbort: 0, termination: 0, noDecision: 0 };
  for (const outcome of outcomes) {
    const fate = fateOf(outcome);
    fates[fate]++;
    if (fate === "aborted") abortedBy[abortCategory(metrics.abortReason.get(outcome.txn))]++;
  }
  const durationMs = settings.endUs / 1000;
  const perTx = (n: number) => (metrics.started === 0 ? 0 : round3(n / metrics.started));
  return {
    name: settings.name,
    protocol: settings.protocol,
    participants: settings.participants,
    seed: settings.seed,
    durationMs,
    transactions: { started: metrics.started, committed: fates.committed, aborted: fates.aborted, inDoubt: fates.inDoubt, refused: metrics.refused },
    abortedBy,
    inDoubtMs: round3(metrics.inDoubtMs),
    blockedMs: round3(metrics.blockedMs),
    messagesPerTx: perTx(metrics.messages),
    roundTripsPerTx: perTx(metrics.rounds),
    participantsPerTx: perTx(metrics.participantSlots),
    commitLatencyMs: metrics.commitLatency.summary(),
    throughputPerSec: round3(fates.committed / (durationMs / 1000)),
    atomicityViolations: fates.violation,
    events: events.count,
    eventHash: events.hash,
  };
}

function abortCategory(reason: DecideReason | undefined): keyof AtomicCommitSummary["abortedBy"] {
  switch (reason) {
    case "constraint":
      return "constraint";
    case "lock-conflict":
      return "lockConflict";
    case "vote-timeout":
      return "voteTimeout";
    case "presumed-abort":
      return "presumedAbort";
    case undefined:
      return "noDecision";
    default:
      return "termination";
  }
}
