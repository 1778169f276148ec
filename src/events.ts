/**
 * Everything that happens in a simulated cluster, as one discriminated union (`SimEvent`).
 *
 * On the hot path the engine does not build an object per event: it records each event as a
 * fixed-width numeric row (type code, virtual time in µs, four numeric fields) into a columnar
 * `EventBatch`, one batch per millisecond of virtual time. That row is also the canonical encoding
 * the event hash is computed over. `EventBatch.event(i)` turns a row into a readable `SimEvent` for
 * notebooks; metric operators read the columns directly, which keeps subscribing cheap
 * (see platform-facts: per-event objects on a Subject cost 1.4-1.5x, columnar batches about 1.1x).
 */

/** Message kinds on the simulated network. */
export const MESSAGE_KINDS = [
  "request", // client -> server: an operation
  "response", // server -> client: the answer
  "append", // primary -> replica: log entries (or an empty heartbeat)
  "append-reply", // replica -> primary: how far its log reaches
  "snapshot", // primary -> replica: a whole store, for a replica too far behind
  "vote-request", // candidate -> every voter: make me primary of this epoch
  "vote", // voter -> candidate: yes or no
  "mm-sync", // master -> master: its own writes, in order
  "mm-ack", // master -> master: how many of your writes I have
  "prepare", // quorum proposer -> acceptors: phase 1 (ballot)
  "promise", // acceptor -> proposer: phase 1 answer (with any value it accepted)
  "accept", // proposer -> acceptors: phase 2 (ballot, value); naive mode: "take this value on top of version v"
  "accepted", // acceptor -> proposer: phase 2 answer
  "decide", // proposer -> everyone: this value is committed for this key and version
  "quorum-read", // reader -> nodes: your committed version of this key?
  "quorum-read-reply",
  "write-back", // reader -> nodes: learn this committed version before I return it
  "write-back-ack",
  "rollback", // naive mode: undo version v of this key
  "ping", // quorum liveness: who can I reach? (carries a digest of the sender's committed versions)
  "catch-up", // quorum: I am behind you: here are my versions, send me what is newer
  "catch-up-reply",
  "decide-ack", // learner -> proposer: I have committed it (the write is acknowledged once a majority has)
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** Why a message was dropped. */
export const DROP_REASONS = ["loss", "cut", "receiver-down", "sender-crashed", "link-broken"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

/** Why an operation was refused or failed (client-visible error codes). */
export const ERROR_CODES = [
  "ok",
  "timeout", // no answer within the client's timeout
  "read-only", // a write sent to a replica
  "floor", // an add that would take a value below its floor
  "overloaded", // the node's queue is full
  "not-primary", // a write sent to a node that is not (or no longer) the primary
  "no-backend", // the load balancer has no live app server
  "lease-expired", // a primary without a valid lease (or a new one waiting out the old lease)
  "stale", // quorum: the version this write was based on was already taken (roll back, catch up, retry)
  "indeterminate", // quorum: no majority answered in time; the write may or may not commit later
  "no-quorum", // quorum: this node cannot reach a majority, so it refuses writes (read-only)
  "wrong-shard", // sharding: this shard does not own the key (or it is moving): ask for a fresh shard map
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const FAULT_TYPES = [
  "crash",
  "restart",
  "disk-loss",
  "partition",
  "heal",
  "cut",
  "restore",
  "slow",
  "domain-failure",
  "random-crash",
] as const;
export type FaultKind = (typeof FAULT_TYPES)[number];

export type OpKind = "read" | "write";

/** The readable form of every event. Times are virtual milliseconds. Node names are ids. */
export type SimEvent =
  | { type: "request"; timeMs: number; client: string; op: number; kind: OpKind; key: string }
  | { type: "response"; timeMs: number; client: string; op: number; error: ErrorCode; value: number | null }
  | { type: "timeout"; timeMs: number; client: string; op: number }
  | { type: "received"; timeMs: number; node: string; op: number; kind: OpKind }
  | { type: "append"; timeMs: number; node: string; index: number; op: number; key: string }
  | { type: "ack"; timeMs: number; node: string; op: number; index: number }
  | { type: "send"; timeMs: number; from: string; to: string; message: MessageKind; index: number }
  | { type: "deliver"; timeMs: number; from: string; to: string; message: MessageKind; index: number }
  | { type: "drop"; timeMs: number; from: string; to: string; message: MessageKind; reason: DropReason }
  | { type: "apply"; timeMs: number; node: string; index: number; lagMs: number; behind: number }
  | { type: "reject"; timeMs: number; node: string; op: number; error: ErrorCode }
  | { type: "crash"; timeMs: number; node: string }
  | { type: "recover"; timeMs: number; node: string }
  | { type: "data-loss"; timeMs: number; node: string }
  | { type: "link-down"; timeMs: number; from: string; to: string }
  | { type: "link-up"; timeMs: number; from: string; to: string }
  | { type: "link-slow"; timeMs: number; from: string; to: string }
  | { type: "link-normal"; timeMs: number; from: string; to: string }
  | { type: "promote"; timeMs: number; node: string; epoch: number }
  | { type: "demote"; timeMs: number; node: string; epoch: number }
  | { type: "snapshot"; timeMs: number; node: string; index: number }
  | { type: "truncate"; timeMs: number; node: string; fromIndex: number; count: number }
  | { type: "fallback"; timeMs: number; node: string; replica: string; async: boolean }
  | { type: "fault-start"; timeMs: number; fault: number; kind: FaultKind; target: string | null; peer: string | null }
  | { type: "fault-end"; timeMs: number; fault: number; kind: FaultKind; target: string | null; peer: string | null }
  | { type: "election-start"; timeMs: number; node: string; epoch: number }
  | { type: "vote"; timeMs: number; from: string; to: string; granted: boolean; epoch: number }
  | { type: "conflict"; timeMs: number; node: string; key: string; kept: number; discarded: number }
  | { type: "rollback"; timeMs: number; node: string; key: string; version: number; op: number }
  | { type: "commit"; timeMs: number; node: string; key: string; version: number; op: number };

export type SimEventType = SimEvent["type"];

/** Type codes, in a fixed order: the canonical encoding (and so every golden hash) depends on it. */
export const EVENT_TYPES: readonly SimEventType[] = [
  "request",
  "response",
  "timeout",
  "received",
  "append",
  "ack",
  "send",
  "deliver",
  "drop",
  "apply",
  "reject",
  "crash",
  "recover",
  "data-loss",
  "link-down",
  "link-up",
  "link-slow",
  "link-normal",
  "promote",
  "demote",
  "snapshot",
  "truncate",
  "fallback",
  "fault-start",
  "fault-end",
  "election-start",
  "vote",
  "conflict",
  "rollback",
  "commit",
];

/** Numeric code of each event type (the first column of a row). */
export const EV = Object.freeze(
  Object.fromEntries(EVENT_TYPES.map((name, code) => [name, code])) as { [K in SimEventType]: number },
);

/** Names the numeric fields of a row refer to, so a row can be decoded. */
export interface EventNames {
  /** Actor names by index: servers first (in scenario order), then clients. */
  actors: readonly string[];
  /** Key names by index. */
  keys: readonly string[];
}

/**
 * One slice of the event log: rows of (type, time, a, b, c, d), in the order they happened.
 * Field meaning per type is given by `decodeRow` below; `a` is the acting node or client for most types.
 */
export class EventBatch {
  constructor(
    readonly length: number,
    readonly types: Uint8Array,
    readonly timesUs: Float64Array,
    readonly a: Float64Array,
    readonly b: Float64Array,
    readonly c: Float64Array,
    readonly d: Float64Array,
    readonly names: EventNames,
  ) {}

  /** The readable event at row i. Allocates: use it in notebooks and tests, not in metric hot paths. */
  event(i: number): SimEvent {
    return decodeRow(this.types[i], this.timesUs[i], this.a[i], this.b[i], this.c[i], this.d[i], this.names);
  }

  /** All readable events of this batch. */
  events(): SimEvent[] {
    const out: SimEvent[] = new Array(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.event(i);
    return out;
  }

  /** Virtual time of the first row, in µs (or NaN for an empty batch). */
  get startUs(): number {
    return this.length > 0 ? this.timesUs[0] : NaN;
  }
}

const NONE = -1;

function actor(names: EventNames, index: number): string {
  return names.actors[index] ?? `#${index}`;
}

function optionalActor(names: EventNames, index: number): string | null {
  return index === NONE ? null : actor(names, index);
}

function key(names: EventNames, index: number): string {
  return names.keys[index] ?? `#${index}`;
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Turns one numeric row into its readable event. The single place that defines each row's fields. */
export function decodeRow(
  type: number,
  timeUs: number,
  a: number,
  b: number,
  c: number,
  d: number,
  names: EventNames,
): SimEvent {
  const timeMs = timeUs / 1000;
  switch (EVENT_TYPES[type]) {
    case "request":
      return { type: "request", timeMs, client: actor(names, a), op: b, kind: c === 0 ? "read" : "write", key: key(names, d) };
    case "response":
      return { type: "response", timeMs, client: actor(names, a), op: b, error: ERROR_CODES[c], value: nullable(d) };
    case "timeout":
      return { type: "timeout", timeMs, client: actor(names, a), op: b };
    case "received":
      return { type: "received", timeMs, node: actor(names, a), op: b, kind: c === 0 ? "read" : "write" };
    case "append":
      return { type: "append", timeMs, node: actor(names, a), index: b, op: c, key: key(names, d) };
    case "ack":
      return { type: "ack", timeMs, node: actor(names, a), op: b, index: c };
    case "send":
    case "deliver":
      return { type: EVENT_TYPES[type] as "send", timeMs, from: actor(names, a), to: actor(names, b), message: MESSAGE_KINDS[c], index: d };
    case "drop":
      return { type: "drop", timeMs, from: actor(names, a), to: actor(names, b), message: MESSAGE_KINDS[c], reason: DROP_REASONS[d] };
    case "apply":
      return { type: "apply", timeMs, node: actor(names, a), index: b, lagMs: c / 1000, behind: d };
    case "reject":
      return { type: "reject", timeMs, node: actor(names, a), op: b, error: ERROR_CODES[c] };
    case "crash":
    case "recover":
    case "data-loss":
      return { type: EVENT_TYPES[type] as "crash", timeMs, node: actor(names, a) };
    case "link-down":
    case "link-up":
    case "link-slow":
    case "link-normal":
      return { type: EVENT_TYPES[type] as "link-down", timeMs, from: actor(names, a), to: actor(names, b) };
    case "promote":
    case "demote":
      return { type: EVENT_TYPES[type] as "promote", timeMs, node: actor(names, a), epoch: b };
    case "snapshot":
      return { type: "snapshot", timeMs, node: actor(names, a), index: b };
    case "truncate":
      return { type: "truncate", timeMs, node: actor(names, a), fromIndex: b, count: c };
    case "fallback":
      return { type: "fallback", timeMs, node: actor(names, a), replica: actor(names, b), async: c === 1 };
    case "fault-start":
    case "fault-end":
      return { type: EVENT_TYPES[type] as "fault-start", timeMs, fault: a, kind: FAULT_TYPES[b], target: optionalActor(names, c), peer: optionalActor(names, d) };
    case "election-start":
      return { type: "election-start", timeMs, node: actor(names, a), epoch: b };
    case "vote":
      return { type: "vote", timeMs, from: actor(names, a), to: actor(names, b), granted: c === 1, epoch: d };
    case "conflict":
      return { type: "conflict", timeMs, node: actor(names, a), key: key(names, b), kept: c, discarded: d };
    case "rollback":
    case "commit":
      return { type: EVENT_TYPES[type] as "commit", timeMs, node: actor(names, a), key: key(names, b), version: c, op: d };
    default:
      throw new Error(`unknown event type code ${type}`);
  }
}

/** Readable one-line description of an event, for logs and live views ("db1 crashed"). */
export function describeEvent(e: SimEvent): string {
  const at = `${e.timeMs.toFixed(3)} ms`;
  switch (e.type) {
    case "crash":
      return `${at}: ${e.node} crashed`;
    case "recover":
      return `${at}: ${e.node} restarted`;
    case "data-loss":
      return `${at}: ${e.node} lost its data`;
    case "promote":
      return `${at}: ${e.node} became primary (epoch ${e.epoch})`;
    case "demote":
      return `${at}: ${e.node} stepped down to replica (epoch ${e.epoch})`;
    case "link-down":
      return `${at}: link ${e.from} -> ${e.to} cut`;
    case "link-up":
      return `${at}: link ${e.from} -> ${e.to} restored`;
    case "election-start":
      return `${at}: ${e.node} starts an election for epoch ${e.epoch}`;
    case "vote":
      return `${at}: ${e.from} ${e.granted ? "votes for" : "refuses to vote for"} ${e.to} (epoch ${e.epoch})`;
    case "conflict":
      return `${at}: ${e.node} found concurrent writes to ${e.key}: kept op ${e.kept}, discarded op ${e.discarded}`;
    case "rollback":
      return `${at}: ${e.node} rolled back ${e.key} version ${e.version} (op ${e.op})`;
    case "commit":
      return `${at}: ${e.node} committed ${e.key} version ${e.version} (op ${e.op})`;
    case "fault-start":
      return `${at}: fault #${e.fault} (${e.kind}${e.target ? ` ${e.target}` : ""}${e.peer ? `-${e.peer}` : ""}) begins`;
    case "fault-end":
      return `${at}: fault #${e.fault} (${e.kind}${e.target ? ` ${e.target}` : ""}${e.peer ? `-${e.peer}` : ""}) ends`;
    default:
      return `${at}: ${e.type} ${JSON.stringify({ ...e, type: undefined, timeMs: undefined })}`;
  }
}
