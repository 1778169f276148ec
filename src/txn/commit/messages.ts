import type { ParticipantStateName, TxnMessageKind, VoteReason } from "./events";
import type { CommitProtocol } from "./scenario-types";

/** A protocol message: an envelope (kind, ends, transaction) and the few fields some kinds carry. */
export interface CommitMessage {
  /** Numbers messages in sending order, so events can match a send to its delivery or drop. */
  id: number;
  kind: TxnMessageKind;
  from: number;
  to: number;
  txn: number;
  /** The link generation when sent (set by the network): a cut or a crash since then drops it. */
  gen: number;
  /** prepare / can-commit: every participant of the transaction (for termination among them). */
  participants?: readonly number[];
  /** prepare / can-commit: the keys the receiver holds for this transaction. */
  keys?: readonly number[];
  /** vote-no: why. */
  reason?: VoteReason;
  /** state-reply: the sender's state. */
  state?: ParticipantStateName;
}

/** The body of a message: what a protocol step fills in (the network adds id and gen). */
export type MessageBody = Pick<CommitMessage, "participants" | "keys" | "reason" | "state">;

export function isCommitDecision(kind: TxnMessageKind): boolean {
  return kind === "commit" || kind === "do-commit";
}

export function isDecision(kind: TxnMessageKind): boolean {
  return isCommitDecision(kind) || kind === "abort";
}

/** The decision message of a protocol: 2PC says "commit", 3PC (Skeen) "do-commit". */
export function decisionKind(protocol: CommitProtocol, commit: boolean): TxnMessageKind {
  if (!commit) return "abort";
  return protocol === "2pc" ? "commit" : "do-commit";
}

/** The first-phase question: 2PC "prepare", 3PC "can-commit". */
export function prepareKind(protocol: CommitProtocol): TxnMessageKind {
  return protocol === "2pc" ? "prepare" : "can-commit";
}
