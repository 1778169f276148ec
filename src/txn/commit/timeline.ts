import type { TxnEvent, TxnMessageKind } from "./events";
import { compareNodeNames } from "./nodes";

/** One arrow of a sequence diagram. */
export interface TimelineMessage {
  from: string;
  to: string;
  sentMs: number;
  /** null when the message was dropped (lost, cut, or its receiver was down). */
  deliveredMs: number | null;
  kind: TxnMessageKind;
  txn: number;
  /** When it was dropped (null when delivered or still in flight at the end). */
  droppedMs: number | null;
}

/** A point on one lane: a crash, a vote, a decision, a timeout, a partition. */
export interface TimelineMark {
  node: string;
  timeMs: number;
  label: string;
}

export interface Timeline {
  /** One lane per node: the coordinator first, then p1, p2, ... */
  lanes: string[];
  messages: TimelineMessage[];
  marks: TimelineMark[];
}

export interface TimelineOptions {
  /** Only this transaction's messages and marks (and the faults and crashes during it). */
  txn?: number;
  fromMs?: number;
  untilMs?: number;
}

/**
 * The data of a message sequence diagram (one lane per node, an arrow per message, marks for what
 * happened on a lane): a pure function of the events, ready for a Plotly builder to draw.
 */
export function timeline(events: readonly TxnEvent[], options: TimelineOptions = {}): Timeline {
  const window = timeWindow(events, options);
  const lanes = new Set<string>();
  const messages = new Map<number, TimelineMessage>();
  const marks: TimelineMark[] = [];
  for (const e of events) {
    if (e.type === "start") e.nodes.forEach((n) => lanes.add(n));
    if (e.timeMs < window.fromMs || e.timeMs > window.untilMs) continue;
    if ("txn" in e && options.txn !== undefined && e.txn !== options.txn) continue;
    addMessage(e, messages);
    marks.push(...marksOf(e, lanes));
  }
  for (const m of messages.values()) lanes.add(m.from).add(m.to);
  for (const mark of marks) lanes.add(mark.node);
  return { lanes: [...lanes].sort(compareNodeNames), messages: [...messages.values()], marks };
}

/** The window asked for; for one transaction, from its first event to its last. */
function timeWindow(events: readonly TxnEvent[], options: TimelineOptions): { fromMs: number; untilMs: number } {
  let fromMs = options.fromMs ?? -Infinity;
  let untilMs = options.untilMs ?? Infinity;
  if (options.txn !== undefined) {
    const own = events.filter((e) => "txn" in e && e.txn === options.txn);
    if (own.length > 0) {
      fromMs = Math.max(fromMs, own[0].timeMs);
      untilMs = Math.min(untilMs, own[own.length - 1].timeMs);
    }
  }
  return { fromMs, untilMs };
}

function addMessage(e: TxnEvent, messages: Map<number, TimelineMessage>): void {
  if (e.type === "send") {
    messages.set(e.msg, { from: e.from, to: e.to, sentMs: e.timeMs, deliveredMs: null, kind: e.kind, txn: e.txn, droppedMs: null });
  } else if (e.type === "deliver" || e.type === "drop") {
    const m = messages.get(e.msg);
    if (m && e.type === "deliver") m.deliveredMs = e.timeMs;
    if (m && e.type === "drop") m.droppedMs = e.timeMs;
  }
}

function marksOf(e: TxnEvent, lanes: ReadonlySet<string>): TimelineMark[] {
  const at = (node: string, label: string): TimelineMark[] => [{ node, timeMs: e.timeMs, label }];
  switch (e.type) {
    case "crash":
      return at(e.node, "crash");
    case "recover":
      return at(e.node, "restart");
    case "vote":
      return at(e.node, `vote ${e.yes ? "yes" : "no"}${e.yes ? "" : ` (${e.reason})`} T${e.txn}`);
    case "in-doubt":
      return at(e.node, `in doubt T${e.txn}`);
    case "pre-commit":
      return at(e.node, `pre-committed T${e.txn}`);
    case "decide":
      return at(e.node, `decide ${e.commit ? "commit" : "abort"} T${e.txn} (${e.reason})`);
    case "commit":
    case "abort":
      return at(e.node, `${e.type} T${e.txn}`);
    case "timeout":
      return at(e.node, `timeout: ${e.waitingFor} T${e.txn}`);
    case "termination-start":
      return at(e.node, `runs termination T${e.txn}`);
    case "lock-wait":
      return at(e.node, `waits for T${e.blockedBy} (T${e.txn})`);
    case "fault-start":
    case "fault-end":
      return e.kind === "partition" ? [...lanes].map((node) => ({ node, timeMs: e.timeMs, label: `partition ${e.type === "fault-start" ? "starts" : "heals"}: ${e.target}` })) : [];
    default:
      return [];
  }
}
