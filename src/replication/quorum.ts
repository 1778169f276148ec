import { Command } from "../cluster/client-op";
import type { DbNode } from "../cluster/db-node";
import { MSG, type Message } from "../cluster/network";
import { ERROR_CODES, EV } from "../events";
import { msToUs } from "../sim/time";
import type { RequestMessage, World } from "../sim/world";

/**
 * Quorum writes, in the lecture's shape: two masters A and B and a witness C; a write commits only
 * when a majority of the three has accepted it for the key's NEXT VERSION.
 *
 * With ballots (the default) each (key, version) is one instance of single-decree Paxos (Lamport,
 * "Paxos Made Simple", 2001):
 * 1. prepare: the proposer picks a ballot higher than any it has seen and asks every acceptor to
 *    promise to ignore lower ballots; each answers with any value it already accepted for that version.
 * 2. accept: with promises from a majority, the proposer asks them to accept a value: the accepted
 *    value with the highest ballot among the answers if there is one (someone may already have
 *    committed it: it must be finished, not overwritten), otherwise its own.
 * 3. decide: once a majority accepted, the value is committed for that version and every node learns it.
 * Two majorities of the same nodes always share a node, which is why two proposers can never commit
 * different values for one version, whatever fails. In the lecture's story B proposes SY on top of
 * S0, finds that C already accepted SX for that version, finishes SX instead, rolls its own change
 * back and tells its client "stale: retry"; the retry is decided on top of SX.
 *
 * Without ballots (`ballots: false`) nodes do the version check the lecture describes: accept a
 * proposal if it is based on the version they hold, apply it at once, and undo "version v" when told
 * that a proposal failed. The undo cannot tell whose version v it undoes: a slow proposer's cleanup
 * can erase a value another proposer already committed, and the version is then committed again with
 * a different value. That is why real systems use Paxos or Raft.
 */

const ERR = Object.freeze(Object.fromEntries(ERROR_CODES.map((c, i) => [c, i])) as Record<(typeof ERROR_CODES)[number], number>);
const DEFAULT_PROPOSAL_TIMEOUT_MS = 500;
const BALLOT_NODES = 1024;

/** What an acceptor remembers about one (key, version) it has not yet seen committed. */
interface Slot {
  promised: number;
  acceptedBallot: number;
  acceptedValue: number;
  acceptedOp: number;
}

interface Proposal {
  id: number;
  key: number;
  version: number;
  ballot: number;
  value: number;
  op: number;
  req: RequestMessage | null;
  promises: Set<number>;
  highest: { ballot: number; value: number; op: number } | null;
  accepted: Set<number>;
  proposedValue: number;
  proposedOp: number;
  phase: 1 | 2 | 3;
  /** Phase 2 ever asked acceptors to take THIS write's own value (so it may be chosen, even if we lose track). */
  sentOwnValue: boolean;
  /** Times phase 1 was restarted after another proposer's higher ballot. */
  attempts: number;
  /** Phase 3: nodes that have committed the chosen value. */
  learned: Set<number>;
  done: boolean;
}

interface PendingRead {
  id: number;
  key: number;
  req: RequestMessage;
  replies: number;
  best: { version: number; value: number; op: number };
  acks: number;
  writingBack: boolean;
  done: boolean;
}

/** A node's quorum state; the committed values live in its store (version = the key's committed version). */
export class QuorumState {
  readonly committedOp: Float64Array;
  readonly slots = new Map<number, Slot>();
  /** Naive mode: the state each key had before the last version this node took, to undo it. */
  readonly undo = new Map<number, { version: number; value: number; op: number }>();
  maxRound = 0;
  /** Ids of this node's proposals and reads (answers come back to it, so they need only be unique here). */
  nextId = 0;
  readonly proposals = new Map<number, Proposal>();
  readonly reads = new Map<number, PendingRead>();
  /** When each node was last heard from: a node that cannot hear a majority refuses writes. */
  readonly lastHeardUs: Float64Array;

  constructor(nodeCount: number, keyCount: number) {
    this.committedOp = new Float64Array(keyCount);
    this.lastHeardUs = new Float64Array(nodeCount);
  }

  /** After a crash: in-flight proposals and reads die; promises and accepted values are durable. */
  resetVolatile(): void {
    this.proposals.clear();
    this.reads.clear();
    this.lastHeardUs.fill(0);
  }
}

interface QuorumMessage extends Message {
  proposal: number;
  key: number;
  version: number;
  ballot: number;
  value: number;
  op: number;
  ok: boolean;
  /**
   * In promise and accepted answers: the ballot they answer. A proposer that restarted phase 1 with a
   * higher ballot must not count a late answer to its earlier ballot (that acceptor promised less).
   */
  answers?: number;
  /** In answers: the sender's committed version, value and op of the key (so a stale proposer catches up). */
  committedVersion: number;
  committedValue: number;
  committedOp: number;
}

function slotId(key: number, version: number): number {
  return key * 4294967296 + version;
}

export function majority(world: World): number {
  return Math.floor(world.voters.length / 2) + 1;
}

/** Does this node currently hear a majority (itself included)? If not, it is read-only. */
export function hearsMajority(world: World, node: DbNode): boolean {
  const q = node.quorum!;
  const recentUs = world.now() - 3 * msToUs(world.replication.heartbeatMs);
  let heard = 0;
  for (const v of world.voters) if (v === node.index || q.lastHeardUs[v] >= recentUs || world.now() < 3 * msToUs(world.replication.heartbeatMs)) heard++;
  return heard >= majority(world);
}

/** Sum of a node's committed versions: a cheap way for two nodes to notice that one is behind. */
function digest(node: DbNode): number {
  let sum = 0;
  const versions = node.store.versions;
  for (let k = 0; k < versions.length; k++) sum += versions[k];
  return sum;
}

function message(from: DbNode, to: number, kind: number, fields: Partial<QuorumMessage>): QuorumMessage {
  const q = from.quorum!;
  const key = fields.key ?? 0;
  return {
    kind,
    from: from.index,
    to,
    gen: 0,
    index: fields.version ?? 0,
    proposal: 0,
    key,
    version: 0,
    ballot: 0,
    value: NaN,
    op: 0,
    ok: true,
    committedVersion: from.store.versions[key],
    committedValue: from.store.get(key),
    committedOp: q.committedOp[key],
    ...fields,
  };
}

function broadcast(world: World, node: DbNode, kind: number, fields: Partial<QuorumMessage>): void {
  for (const v of world.voters) if (v !== node.index) world.send(message(node, v, kind, fields));
}

// ---- Writes ------------------------------------------------------------------------------------

/** A client write reaches a node: propose the key's next version. */
export function acceptQuorumWrite(world: World, node: DbNode, req: RequestMessage): void {
  const op = req.op;
  if (!hearsMajority(world, node)) return refuse(world, node, req, ERR["no-quorum"]);
  const current = node.store.valueOrZero(op.key);
  const isAdd = op.command === Command.Add;
  const value = isAdd ? current + op.arg : op.arg;
  if (isAdd && value < op.floor) return refuse(world, node, req, ERR.floor);
  if (isAdd && !Number.isNaN(op.floor)) world.stats.declareFloor(op.key, op.floor);
  const version = node.store.versions[op.key] + 1;
  const proposal: Proposal = {
    id: ++node.quorum!.nextId,
    key: op.key,
    version,
    ballot: 0,
    value,
    op: op.id,
    req,
    promises: new Set(),
    highest: null,
    accepted: new Set(),
    proposedValue: value,
    proposedOp: op.id,
    phase: 1,
    sentOwnValue: false,
    attempts: 0,
    learned: new Set(),
    done: false,
  };
  node.quorum!.proposals.set(proposal.id, proposal);
  world.emit(EV.append, node.index, version, op.id, op.key);
  const timeoutMs = world.replication.proposalTimeoutMs ?? DEFAULT_PROPOSAL_TIMEOUT_MS;
  const incarnation = node.incarnation;
  world.at(world.now() + msToUs(timeoutMs), () => {
    if (node.incarnation === incarnation) proposalTimedOut(world, node, proposal);
  });
  if (world.replication.ballots === false) proposeNaively(world, node, proposal);
  else prepare(world, node, proposal);
}

function refuse(world: World, node: DbNode, req: RequestMessage, error: number): void {
  world.emit(EV.reject, node.index, req.op.id, error, 0);
  world.respond(node, req, error, NaN, 0);
}

function prepare(world: World, node: DbNode, p: Proposal): void {
  const q = node.quorum!;
  q.maxRound++;
  p.ballot = q.maxRound * BALLOT_NODES + node.index;
  p.phase = 1;
  p.promises.clear();
  p.highest = null;
  p.accepted.clear(); // accepts of an earlier ballot (perhaps of another value) say nothing about this one
  broadcast(world, node, MSG.prepare, { proposal: p.id, key: p.key, version: p.version, ballot: p.ballot });
  onPromise(world, node, answerPrepare(node, node.index, p.id, p.key, p.version, p.ballot));
}

/** Acceptor, phase 1: promise to ignore lower ballots, and tell what was accepted already. */
function answerPrepare(node: DbNode, to: number, proposal: number, key: number, version: number, ballot: number): QuorumMessage {
  const q = node.quorum!;
  q.maxRound = Math.max(q.maxRound, Math.floor(ballot / BALLOT_NODES));
  if (node.store.versions[key] >= version) return message(node, to, MSG.promise, { proposal, key, version, ok: false, answers: ballot });
  const slot = slotOf(q, key, version);
  if (ballot <= slot.promised) return message(node, to, MSG.promise, { proposal, key, version, ok: false, ballot: slot.promised, answers: ballot });
  slot.promised = ballot;
  return message(node, to, MSG.promise, { proposal, key, version, ok: true, ballot: slot.acceptedBallot, value: slot.acceptedValue, op: slot.acceptedOp, answers: ballot });
}

function slotOf(q: QuorumState, key: number, version: number): Slot {
  const id = slotId(key, version);
  let slot = q.slots.get(id);
  if (!slot) q.slots.set(id, (slot = { promised: -1, acceptedBallot: -1, acceptedValue: NaN, acceptedOp: 0 }));
  return slot;
}

function onPromise(world: World, node: DbNode, m: QuorumMessage): void {
  const p = node.quorum!.proposals.get(m.proposal);
  if (!p || p.done || p.phase !== 1 || m.answers !== p.ballot) return; // a late answer to an earlier ballot
  if (!m.ok) return answeredNo(world, node, p, m);
  p.promises.add(m.from);
  if (m.ballot >= 0 && (!p.highest || m.ballot > p.highest.ballot)) p.highest = { ballot: m.ballot, value: m.value, op: m.op };
  if (p.promises.size < majority(world)) return;
  // Phase 2: a value some acceptor already accepted must be finished, not replaced.
  p.phase = 2;
  p.proposedValue = p.highest ? p.highest.value : p.value;
  p.proposedOp = p.highest ? p.highest.op : p.op;
  if (p.proposedOp === p.op) p.sentOwnValue = true;
  broadcast(world, node, MSG.accept, { proposal: p.id, key: p.key, version: p.version, ballot: p.ballot, value: p.proposedValue, op: p.proposedOp });
  onAccepted(world, node, answerAccept(node, node.index, p.id, p.key, p.version, p.ballot, p.proposedValue, p.proposedOp));
}

/** Acceptor, phase 2: accept unless it promised a higher ballot. */
function answerAccept(node: DbNode, to: number, proposal: number, key: number, version: number, ballot: number, value: number, op: number): QuorumMessage {
  if (node.store.versions[key] >= version) return message(node, to, MSG.accepted, { proposal, key, version, ok: false, answers: ballot });
  const slot = slotOf(node.quorum!, key, version);
  if (ballot < slot.promised) return message(node, to, MSG.accepted, { proposal, key, version, ok: false, ballot: slot.promised, answers: ballot });
  slot.promised = ballot;
  slot.acceptedBallot = ballot;
  slot.acceptedValue = value;
  slot.acceptedOp = op;
  return message(node, to, MSG.accepted, { proposal, key, version, ok: true, answers: ballot });
}

function onAccepted(world: World, node: DbNode, m: QuorumMessage): void {
  const p = node.quorum!.proposals.get(m.proposal);
  if (!p || p.done || p.phase !== 2 || m.answers !== p.ballot) return; // a late answer to an earlier ballot
  if (!m.ok) return answeredNo(world, node, p, m);
  p.accepted.add(m.from);
  if (p.accepted.size < majority(world)) return;
  // Chosen. Acknowledge only once a majority has COMMITTED it, so that every later read quorum
  // (R + W > N) finds it committed somewhere, not merely accepted.
  p.phase = 3;
  broadcast(world, node, MSG.decide, { proposal: p.id, key: p.key, version: p.version, value: p.proposedValue, op: p.proposedOp });
  learn(world, node, p.key, p.version, p.proposedValue, p.proposedOp);
  onDecideAck(world, node, message(node, node.index, MSG["decide-ack"], { proposal: p.id }));
}

function onDecideAck(world: World, node: DbNode, m: QuorumMessage): void {
  const p = node.quorum!.proposals.get(m.proposal);
  if (!p || p.done || p.phase !== 3) return;
  p.learned.add(m.from);
  if (p.learned.size >= majority(world)) finish(world, node, p, p.proposedOp === p.op ? ERR.ok : ERR.stale);
}

/**
 * An acceptor said no. Either the version is already committed (this write is stale: catch up, roll
 * back, tell the client to retry), or another proposer holds a higher ballot (try again, higher).
 */
function answeredNo(world: World, node: DbNode, p: Proposal, m: QuorumMessage): void {
  if (m.committedVersion >= p.version) {
    learn(world, node, p.key, m.committedVersion, m.committedValue, m.committedOp);
    finish(world, node, p, versionTakenOutcome(world, p, m));
    return;
  }
  const q = node.quorum!;
  q.maxRound = Math.max(q.maxRound, Math.floor(m.ballot / BALLOT_NODES));
  // Randomised exponential backoff: two proposers that keep pre-empting each other (duelling
  // proposers, Paxos's known livelock) soon stop colliding.
  p.attempts++;
  const backoffUs = msToUs((1 + node.random.next()) * Math.min(200, 2 ** p.attempts));
  const incarnation = node.incarnation;
  p.phase = 1;
  p.promises.clear();
  world.at(world.now() + backoffUs, () => {
    if (!p.done && node.incarnation === incarnation) prepare(world, node, p);
  });
}

/**
 * Our version is committed. By whom? If the answer names the op committed at exactly our version we
 * know; otherwise our own value may have been chosen (if we ever proposed it) and we cannot tell:
 * the honest answer is "indeterminate", never "stale" (a stale write certainly did not happen).
 */
function versionTakenOutcome(world: World, p: Proposal, m: QuorumMessage): number {
  if (m.committedVersion === p.version) {
    if (m.committedOp === p.op) {
      world.quorumWriteAcknowledged(p.key, p.version, p.op);
      return ERR.ok;
    }
    return ERR.stale;
  }
  return p.sentOwnValue ? ERR.indeterminate : ERR.stale;
}

/** A node learns that `version` of `key` is committed with `value`. */
function learn(world: World, node: DbNode, key: number, version: number, value: number, op: number): void {
  world.stats.commitObserved(key, version, op);
  if (version <= node.store.versions[key]) return;
  node.store.set(key, value, version);
  node.quorum!.committedOp[key] = op;
  world.emit(EV.commit, node.index, key, version, op);
  for (const id of node.quorum!.slots.keys()) if (Math.floor(id / 4294967296) === key && id % 4294967296 <= version) node.quorum!.slots.delete(id);
}

function finish(world: World, node: DbNode, p: Proposal, error: number): void {
  if (p.done) return;
  p.done = true;
  node.quorum!.proposals.delete(p.id);
  if (!p.req) return;
  if (error === ERR.stale) {
    world.stats.rejectedStaleWrites++;
    world.emit(EV.rollback, node.index, p.key, p.version, p.op);
  }
  if (error === ERR.indeterminate) world.stats.indeterminateWrites++;
  if (error === ERR.ok) world.quorumWriteAcknowledged(p.key, p.version, p.op);
  world.respond(node, p.req, error, error === ERR.ok ? p.value : NaN, p.version);
}

function proposalTimedOut(world: World, node: DbNode, p: Proposal): void {
  if (p.done) return;
  if (world.replication.ballots === false) rollBackEverywhere(world, node, p);
  finish(world, node, p, ERR.indeterminate);
}

// ---- The naive version check (ballots: false) ----------------------------------------------------

function proposeNaively(world: World, node: DbNode, p: Proposal): void {
  p.phase = 2;
  takeVersion(world, node, p.key, p.version - 1, p.value, p.op);
  p.accepted.add(node.index);
  broadcast(world, node, MSG.accept, { proposal: p.id, key: p.key, version: p.version, value: p.value, op: p.op });
}

/** Naive acceptor: take the proposed value if it builds on the version held here; remember how to undo it. */
function takeVersion(world: World, node: DbNode, key: number, baseVersion: number, value: number, op: number): boolean {
  if (node.store.versions[key] !== baseVersion) return false;
  node.quorum!.undo.set(key, { version: baseVersion, value: node.store.get(key), op: node.quorum!.committedOp[key] });
  node.store.set(key, value, baseVersion + 1);
  node.quorum!.committedOp[key] = op;
  world.emit(EV.commit, node.index, key, baseVersion + 1, op);
  return true;
}

function onNaiveAccepted(world: World, node: DbNode, m: QuorumMessage): void {
  const p = node.quorum!.proposals.get(m.proposal);
  if (!p || p.done) return;
  if (!m.ok) {
    rollBackEverywhere(world, node, p);
    learn(world, node, p.key, m.committedVersion, m.committedValue, m.committedOp);
    finish(world, node, p, ERR.stale);
    return;
  }
  p.accepted.add(m.from);
  if (p.accepted.size < majority(world)) return;
  world.stats.commitObserved(p.key, p.version, p.op);
  broadcast(world, node, MSG.decide, { key: p.key, version: p.version, value: p.value, op: p.op });
  finish(world, node, p, ERR.ok);
}

/** The naive cleanup: "undo version v of this key", here and everywhere, whoever's version v it is. */
function rollBackEverywhere(world: World, node: DbNode, p: Proposal): void {
  undoVersion(world, node, p.key, p.version);
  broadcast(world, node, MSG.rollback, { key: p.key, version: p.version, op: p.op });
}

function undoVersion(world: World, node: DbNode, key: number, version: number): void {
  const previous = node.quorum!.undo.get(key);
  if (node.store.versions[key] !== version || !previous) return;
  node.store.set(key, previous.value, previous.version);
  node.quorum!.committedOp[key] = previous.op;
  node.quorum!.undo.delete(key);
  world.emit(EV.rollback, node.index, key, version, 0);
}

// ---- Reads -------------------------------------------------------------------------------------

/**
 * A quorum read asks R nodes for their committed version and returns the newest. If W + R > N every
 * read quorum shares a node with every write quorum, so a read that starts after a write finished
 * sees it. But a read that overlaps a write can see it while a later read does not (new, then old);
 * writing the value back to a majority before returning (ABD) closes that gap.
 */
export function acceptQuorumRead(world: World, node: DbNode, req: RequestMessage): void {
  const r = world.replication.readQuorum ?? majority(world);
  const read: PendingRead = {
    id: ++node.quorum!.nextId,
    key: req.op.key,
    req,
    replies: 1,
    best: { version: node.store.versions[req.op.key], value: node.store.get(req.op.key), op: node.quorum!.committedOp[req.op.key] },
    acks: 0,
    writingBack: false,
    done: false,
  };
  node.quorum!.reads.set(read.id, read);
  if (read.replies >= r) return readQuorumReached(world, node, read);
  broadcast(world, node, MSG["quorum-read"], { proposal: read.id, key: read.key });
}

function onReadReply(world: World, node: DbNode, m: QuorumMessage): void {
  const read = node.quorum!.reads.get(m.proposal);
  if (!read || read.done || read.writingBack) return;
  read.replies++;
  if (m.committedVersion > read.best.version) read.best = { version: m.committedVersion, value: m.committedValue, op: m.committedOp };
  if (read.replies >= (world.replication.readQuorum ?? majority(world))) readQuorumReached(world, node, read);
}

function readQuorumReached(world: World, node: DbNode, read: PendingRead): void {
  if (world.replication.writeBack === false) return answerRead(world, node, read);
  read.writingBack = true;
  const { version, value, op } = read.best;
  learn(world, node, read.key, version, value, op);
  read.acks = 1;
  if (read.acks >= majority(world)) return answerRead(world, node, read);
  broadcast(world, node, MSG["write-back"], { proposal: read.id, key: read.key, version, value, op });
}

function onWriteBackAck(world: World, node: DbNode, m: QuorumMessage): void {
  const read = node.quorum!.reads.get(m.proposal);
  if (!read || read.done || !read.writingBack) return;
  read.acks++;
  if (read.acks >= majority(world)) answerRead(world, node, read);
}

function answerRead(world: World, node: DbNode, read: PendingRead): void {
  read.done = true;
  node.quorum!.reads.delete(read.id);
  world.respond(node, read.req, ERR.ok, read.best.value, read.best.version);
}

// ---- Dispatch and liveness -----------------------------------------------------------------------

/** Every quorum message lands here. */
export function onQuorumMessage(world: World, node: DbNode, m: QuorumMessage): void {
  node.quorum!.lastHeardUs[m.from] = world.now();
  switch (m.kind) {
    case MSG.prepare:
      world.send(answerPrepare(node, m.from, m.proposal, m.key, m.version, m.ballot));
      break;
    case MSG.promise:
      onPromise(world, node, m);
      break;
    case MSG.accept:
      if (world.replication.ballots === false) {
        const ok = takeVersion(world, node, m.key, m.version - 1, m.value, m.op);
        world.send(message(node, m.from, MSG.accepted, { proposal: m.proposal, key: m.key, version: m.version, ok }));
      } else world.send(answerAccept(node, m.from, m.proposal, m.key, m.version, m.ballot, m.value, m.op));
      break;
    case MSG.accepted:
      if (world.replication.ballots === false) onNaiveAccepted(world, node, m);
      else onAccepted(world, node, m);
      break;
    case MSG.decide:
      learn(world, node, m.key, m.version, m.value, m.op);
      world.send(message(node, m.from, MSG["decide-ack"], { proposal: m.proposal, key: m.key }));
      break;
    case MSG["decide-ack"]:
      onDecideAck(world, node, m);
      break;
    case MSG.rollback:
      undoVersion(world, node, m.key, m.version);
      break;
    case MSG["quorum-read"]:
      world.send(message(node, m.from, MSG["quorum-read-reply"], { proposal: m.proposal, key: m.key }));
      break;
    case MSG["quorum-read-reply"]:
      onReadReply(world, node, m);
      break;
    case MSG["write-back"]:
      learn(world, node, m.key, m.version, m.value, m.op);
      world.send(message(node, m.from, MSG["write-back-ack"], { proposal: m.proposal, key: m.key }));
      break;
    case MSG["write-back-ack"]:
      onWriteBackAck(world, node, m);
      break;
    case MSG.ping:
      // The sender has committed versions this node has not learned (a decide it missed): ask.
      if (m.value > digest(node)) world.send({ ...message(node, m.from, MSG["catch-up"], {}), versions: node.store.versions.slice() } as CatchUpMessage);
      break;
    case MSG["catch-up"]:
      sendNewerVersions(world, node, m as CatchUpMessage);
      break;
    case MSG["catch-up-reply"]:
      for (const e of (m as CatchUpReply).entries) learn(world, node, e.key, e.version, e.value, e.op);
      break;
  }
}

interface CatchUpMessage extends QuorumMessage {
  versions: Float64Array;
}

interface CatchUpReply extends QuorumMessage {
  entries: { key: number; version: number; value: number; op: number }[];
}

function sendNewerVersions(world: World, node: DbNode, m: CatchUpMessage): void {
  const entries = [];
  const versions = node.store.versions;
  for (let k = 0; k < versions.length; k++) {
    if (versions[k] > m.versions[k]) entries.push({ key: k, version: versions[k], value: node.store.get(k), op: node.quorum!.committedOp[k] });
  }
  if (entries.length > 0) world.send({ ...message(node, m.from, MSG["catch-up-reply"], {}), entries } as CatchUpReply);
}

/** Every heartbeat: tell every other node this one is alive, with a digest of what it has committed. */
export function onQuorumHeartbeat(world: World, node: DbNode): void {
  broadcast(world, node, MSG.ping, { value: digest(node) });
}
