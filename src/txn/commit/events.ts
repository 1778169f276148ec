/**
 * Everything that happens in an atomic-commit run, as one discriminated union (`TxnEvent`). Times are
 * virtual milliseconds; nodes are names ("coordinator", "p1", ...); transactions are numbers (1 is the
 * first to arrive); `msg` numbers every message, so a send, its delivery or its drop can be matched.
 *
 * This world is small (thousands of events per run, not millions), so events are plain objects; the
 * replication engine's columnar rows (`src/events.ts`) would buy nothing here. Some type names are
 * also `SimEvent` types with other fields (send, deliver, drop, vote, timeout, crash, recover,
 * fault-start, fault-end): merging the two unions needs a prefix ("txn-vote") or a world tag.
 */

/** Message kinds of both protocols. 2PC decides with "commit"; 3PC calls the same message "do-commit". */
export const TXN_MESSAGE_KINDS = [
  "prepare", // 2PC coordinator -> participant: lock your keys and vote
  "can-commit", // 3PC coordinator -> participant: the same question, phase 1 of 3
  "vote-yes",
  "vote-no",
  "pre-commit", // 3PC: everyone voted yes; get ready to commit (from the coordinator or a terminator)
  "pre-commit-ack",
  "commit", // 2PC decision
  "do-commit", // 3PC decision
  "abort", // decision, both protocols
  "ack", // participant -> coordinator: decision applied, the coordinator may forget the transaction
  "decision-request", // in-doubt participant -> coordinator or peer: what was decided? (3PC: please terminate)
  "state-request", // 3PC terminator -> participants: what state are you in?
  "state-reply",
] as const;
export type TxnMessageKind = (typeof TXN_MESSAGE_KINDS)[number];

/** Why a message did not arrive (the same reasons as the replication network's). */
export const TXN_DROP_REASONS = ["loss", "cut", "receiver-down", "link-broken"] as const;
export type TxnDropReason = (typeof TXN_DROP_REASONS)[number];

/** Why a participant voted as it did. */
export const VOTE_REASONS = ["ready", "constraint", "lock-conflict", "already-aborted"] as const;
export type VoteReason = (typeof VOTE_REASONS)[number];

/**
 * Why a coordinator (or a 3PC terminator) decided. The vote reasons say which "no" aborted the
 * transaction; the "some-..."/"all-uncertain" reasons are the termination rules of 3PC.
 */
export const DECIDE_REASONS = [
  "all-voted-yes",
  "constraint",
  "lock-conflict",
  "already-aborted",
  "vote-timeout",
  "presumed-abort", // a recovered coordinator has no decision record: nothing can have committed
  "some-committed",
  "some-aborted",
  "some-pre-committed",
  "all-uncertain",
  "learned", // a recovered 3PC coordinator learned the outcome from a participant
  "bug", // a deliberate bug (see bugs.ts)
] as const;
export type DecideReason = (typeof DECIDE_REASONS)[number];

/** What a timer was waiting for when it fired. */
export const TIMEOUT_KINDS = ["votes", "pre-commit-acks", "decision", "candidate", "state-replies", "termination-acks"] as const;
export type TimeoutKind = (typeof TIMEOUT_KINDS)[number];

/** What a participant tells a 3PC terminator about itself. */
export const PARTICIPANT_STATES = ["uncertain", "pre-committed", "committed", "aborted"] as const;
export type ParticipantStateName = (typeof PARTICIPANT_STATES)[number];

export type TxnFaultKind = "crash" | "partition";

export type TxnEvent =
  /** The run begins: the protocol and every node, in lane order. */
  | { type: "start"; timeMs: number; protocol: "2pc" | "3pc"; nodes: string[] }
  | { type: "txn-start"; timeMs: number; txn: number; participants: string[]; keys: string[] }
  /** A transaction arrived while the coordinator was down: it never started. */
  | { type: "txn-refused"; timeMs: number; txn: number }
  | { type: "send"; timeMs: number; msg: number; from: string; to: string; kind: TxnMessageKind; txn: number }
  | { type: "deliver"; timeMs: number; msg: number; from: string; to: string; kind: TxnMessageKind; txn: number }
  | { type: "drop"; timeMs: number; msg: number; from: string; to: string; kind: TxnMessageKind; txn: number; reason: TxnDropReason }
  | { type: "lock"; timeMs: number; node: string; txn: number; keys: string[] }
  /** A prepare waits for a lock held by `blockedBy` (policy "wait"). */
  | { type: "lock-wait"; timeMs: number; node: string; txn: number; blockedBy: number }
  | { type: "unlock"; timeMs: number; node: string; txn: number }
  /** A participant durably recorded that it is prepared (it can no longer abort on its own). */
  | { type: "prepare"; timeMs: number; node: string; txn: number }
  | { type: "vote"; timeMs: number; node: string; txn: number; yes: boolean; reason: VoteReason }
  /** A participant voted yes and now waits for the decision, holding its locks. */
  | { type: "in-doubt"; timeMs: number; node: string; txn: number }
  /** 3PC: the coordinator (or a participant) durably entered the pre-committed state. */
  | { type: "pre-commit"; timeMs: number; node: string; txn: number }
  /** A coordinator or a 3PC terminator decided the outcome. */
  | { type: "decide"; timeMs: number; node: string; txn: number; commit: boolean; reason: DecideReason }
  | { type: "commit"; timeMs: number; node: string; txn: number }
  | { type: "abort"; timeMs: number; node: string; txn: number }
  | { type: "timeout"; timeMs: number; node: string; txn: number; waitingFor: TimeoutKind }
  /** 3PC: a participant runs the termination protocol as the new coordinator of this transaction. */
  | { type: "termination-start"; timeMs: number; node: string; txn: number }
  | { type: "crash"; timeMs: number; node: string }
  | { type: "recover"; timeMs: number; node: string }
  /** A fault window opens or closes; `target` is a node, or the sides of a partition ("coordinator,p1 | p2,p3"). */
  | { type: "fault-start"; timeMs: number; fault: number; kind: TxnFaultKind; target: string }
  | { type: "fault-end"; timeMs: number; fault: number; kind: TxnFaultKind; target: string };

export type TxnEventType = TxnEvent["type"];

/** An event as the engine emits it: the log stamps the time. */
export type TxnEventInput = WithoutTime<TxnEvent>;
type WithoutTime<E> = E extends unknown ? Omit<E, "timeMs"> : never;

/** Type codes in a fixed order: the canonical encoding (and so every golden hash) depends on it. */
export const TXN_EVENT_TYPES: readonly TxnEventType[] = [
  "start",
  "txn-start",
  "txn-refused",
  "send",
  "deliver",
  "drop",
  "lock",
  "lock-wait",
  "unlock",
  "prepare",
  "vote",
  "in-doubt",
  "pre-commit",
  "decide",
  "commit",
  "abort",
  "timeout",
  "termination-start",
  "crash",
  "recover",
  "fault-start",
  "fault-end",
];

const TYPE_CODE = new Map<string, number>(TXN_EVENT_TYPES.map((t, i) => [t, i]));

/**
 * The canonical encoding of an event, which the event hash folds: its type code, then every field
 * after `type` in the order the event object lists them (time first), each as numbers: a number as
 * itself, a boolean as 0 or 1, a string as its length then its UTF-16 code units, a list as its
 * length then its items. Same run, same numbers, bit for bit.
 */
export function encodeEvent(e: TxnEvent): number[] {
  const out = [TYPE_CODE.get(e.type) ?? -1];
  for (const [field, value] of Object.entries(e)) if (field !== "type") encodeValue(value, out);
  return out;
}

function encodeValue(value: unknown, out: number[]): void {
  if (typeof value === "number") out.push(value);
  else if (typeof value === "boolean") out.push(value ? 1 : 0);
  else if (typeof value === "string") {
    out.push(value.length);
    for (let i = 0; i < value.length; i++) out.push(value.charCodeAt(i));
  } else if (Array.isArray(value)) {
    out.push(value.length);
    for (const item of value) encodeValue(item, out);
  } else throw new Error(`cannot encode ${typeof value} in an event`);
}

/** One line in words, for logs and notebooks ("12.500 ms: p2 votes no on T3 (lock-conflict)"). */
export function describeTxnEvent(e: TxnEvent): string {
  const at = `${e.timeMs.toFixed(3)} ms: `;
  switch (e.type) {
    case "start":
      return `${at}${e.protocol} with ${e.nodes.join(", ")}`;
    case "txn-start":
      return `${at}T${e.txn} starts on ${e.participants.join(", ")} (keys ${e.keys.join(", ")})`;
    case "txn-refused":
      return `${at}T${e.txn} refused: the coordinator is down`;
    case "send":
    case "deliver":
      return `${at}${e.kind} T${e.txn} ${e.from} -> ${e.to} ${e.type === "send" ? "sent" : "delivered"} (#${e.msg})`;
    case "drop":
      return `${at}${e.kind} T${e.txn} ${e.from} -> ${e.to} dropped (${e.reason}, #${e.msg})`;
    case "vote":
      return `${at}${e.node} votes ${e.yes ? "yes" : "no"} on T${e.txn} (${e.reason})`;
    case "decide":
      return `${at}${e.node} decides ${e.commit ? "commit" : "abort"} for T${e.txn} (${e.reason})`;
    case "timeout":
      return `${at}${e.node} timed out waiting for ${e.waitingFor} of T${e.txn}`;
    case "lock-wait":
      return `${at}${e.node} waits for T${e.blockedBy}'s locks before voting on T${e.txn}`;
    case "crash":
      return `${at}${e.node} crashed`;
    case "recover":
      return `${at}${e.node} restarted`;
    case "fault-start":
    case "fault-end":
      return `${at}fault #${e.fault} (${e.kind} ${e.target}) ${e.type === "fault-start" ? "begins" : "ends"}`;
    default:
      return `${at}${e.node} ${e.type} T${e.txn}`;
  }
}
