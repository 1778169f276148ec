import { Command } from "../cluster/client-op";
import type { DbNode } from "../cluster/db-node";
import { MSG, type Message } from "../cluster/network";
import { ERROR_CODES, EV } from "../events";
import type { RequestMessage, World } from "../sim/world";
import { compareVectors, winnerOf, type WriteStamp } from "./conflicts";

/**
 * Master-master replication: every master accepts writes and sends them to every other master.
 * Each master numbers its own writes; a write carries its version vector (how many writes of each
 * master its writer had seen), and is delivered in causal order (after every write it depended on),
 * so "A then B" never arrives as "B then A". Writes that were concurrent — made on two masters that
 * had not seen each other's — are conflicts, settled by the configured rule (conflicts.ts).
 *
 * Without a partition, conflicts need two writes to one key within one network delay; with the link
 * cut, every pair of writes to one key on the two sides is a conflict: that is split-brain.
 */

const MAX_BATCH = 64;
const ERR = Object.freeze(Object.fromEntries(ERROR_CODES.map((c, i) => [c, i])) as Record<(typeof ERROR_CODES)[number], number>);

/** One write as it travels between masters. */
interface MasterWrite {
  origin: number;
  /** Position in the origin's own sequence of writes, from 1. */
  seq: number;
  key: number;
  /** The value the origin produced, and the `add` amount (NaN for a set). */
  value: number;
  delta: number;
  /** Writes of each master the origin had delivered when it wrote (its own included). */
  deps: Float64Array;
  clockMs: number;
  op: number;
  /** True virtual time of the write (µs), for replication lag. */
  createdUs: number;
}

/** A write on a key's frontier: its stamp and what it had seen. */
interface FrontierWrite {
  stamp: WriteStamp;
  deps: Float64Array;
}

interface SyncMessage extends Message {
  writes: MasterWrite[];
}

interface SyncAckMessage extends Message {
  /** How many of the addressee's own writes the sender has delivered. */
  delivered: number;
}

/** A master's replication state (its store holds the values). */
export class MasterState {
  /** Writes delivered from each master (own writes included): this node's version vector. */
  readonly delivered: Float64Array;
  /** Per key: the writes no later write has superseded (usually one; several after a conflict). */
  readonly frontier: (FrontierWrite[] | undefined)[];
  /** This master's own writes not yet delivered everywhere (durable: its log). */
  outbox: MasterWrite[] = [];
  /** Per peer: own writes it acknowledged, and the next one to send. */
  readonly acked: Float64Array;
  readonly next: Float64Array;
  /** Writes received that still wait for a write they depend on. */
  waiting: MasterWrite[] = [];

  constructor(nodeCount: number, keyCount: number) {
    this.delivered = new Float64Array(nodeCount);
    this.frontier = new Array(keyCount);
    this.acked = new Float64Array(nodeCount);
    this.next = new Float64Array(nodeCount).fill(1);
  }

  /** After a crash: what was in memory only is gone; peers resend what we had not acknowledged. */
  resetVolatile(): void {
    this.waiting = [];
    for (let p = 0; p < this.next.length; p++) this.next[p] = this.acked[p] + 1;
  }
}

function peersOf(world: World, node: DbNode): DbNode[] {
  return world.nodes.filter((n) => n !== node && n.spec.role === "primary");
}

/** A client write reaches a master: apply it locally, acknowledge it, send it to the other masters. */
export function acceptMasterWrite(world: World, node: DbNode, req: RequestMessage): void {
  const state = node.master!;
  const op = req.op;
  const current = node.store.valueOrZero(op.key);
  const isAdd = op.command === Command.Add;
  const value = isAdd ? current + op.arg : op.arg;
  if (isAdd && value < op.floor) {
    world.emit(EV.reject, node.index, op.id, ERR.floor, 0);
    world.respond(node, req, ERR.floor, NaN, 0);
    return;
  }
  if (isAdd && !Number.isNaN(op.floor)) world.stats.declareFloor(op.key, op.floor);
  const seq = ++state.delivered[node.index];
  const write: MasterWrite = {
    origin: node.index,
    seq,
    key: op.key,
    value,
    delta: isAdd ? op.arg : NaN,
    deps: state.delivered.slice(),
    clockMs: node.clockMs(world.now()),
    op: op.id,
    createdUs: world.now(),
  };
  holdValue(node, write, value);
  state.outbox.push(write);
  world.emit(EV.append, node.index, seq, op.id, op.key);
  for (const peer of peersOf(world, node)) {
    if (state.next[peer.index] === seq) {
      sendWrites(world, node, peer.index, [write]);
      state.next[peer.index] = seq + 1;
    }
  }
  world.emit(EV.ack, node.index, op.id, seq, 0);
  world.respond(node, req, ERR.ok, value, seq);
}

/** A local write supersedes everything this node had for the key. */
function holdValue(node: DbNode, write: MasterWrite, value: number): void {
  node.store.set(write.key, value, write.seq);
  node.master!.frontier[write.key] = [{ stamp: stampOf(write), deps: write.deps }];
}

function stampOf(w: MasterWrite): WriteStamp {
  return { clockMs: w.clockMs, node: w.origin, op: w.op, value: w.value, delta: w.delta };
}

function sendWrites(world: World, node: DbNode, to: number, writes: MasterWrite[]): void {
  const message: SyncMessage = { kind: MSG["mm-sync"], from: node.index, to, gen: 0, index: writes[writes.length - 1].seq, writes };
  world.send(message);
}

/** Writes from another master arrive: deliver those whose dependencies are met, hold the rest. */
export function onSync(world: World, node: DbNode, m: SyncMessage): void {
  const state = node.master!;
  for (const w of m.writes) if (w.seq > state.delivered[w.origin] && !state.waiting.some((x) => x.origin === w.origin && x.seq === w.seq)) state.waiting.push(w);
  let progress = true;
  while (progress) {
    progress = false;
    for (let i = 0; i < state.waiting.length; i++) {
      const w = state.waiting[i];
      if (!deliverable(state, w)) continue;
      state.waiting.splice(i--, 1);
      deliver(world, node, w);
      progress = true;
    }
  }
  const ack: SyncAckMessage = { kind: MSG["mm-ack"], from: node.index, to: m.from, gen: 0, index: state.delivered[m.from], delivered: state.delivered[m.from] };
  world.send(ack);
}

/** Causal delivery: the next write of its origin, after everything its writer had seen. */
function deliverable(state: MasterState, w: MasterWrite): boolean {
  if (w.seq !== state.delivered[w.origin] + 1) return false;
  for (let k = 0; k < w.deps.length; k++) if (k !== w.origin && w.deps[k] > state.delivered[k]) return false;
  return true;
}

/**
 * Delivers a write from another master. The writes it had seen leave the key's frontier (they are
 * superseded); writes it had NOT seen stay beside it: a conflict, settled by the resolution rule.
 */
function deliver(world: World, node: DbNode, w: MasterWrite): void {
  const state = node.master!;
  state.delivered[w.origin] = w.seq;
  const concurrent = (state.frontier[w.key] ?? []).filter((f) => compareVectors(w.deps, f.deps) === "concurrent");
  const frontier = [...concurrent, { stamp: stampOf(w), deps: w.deps }];
  state.frontier[w.key] = frontier;
  const rule = world.replication.resolution ?? "lww";
  const isAdd = !Number.isNaN(w.delta);
  const winner = winnerOf(rule, frontier.map((f) => f.stamp));
  const merged = rule === "merge" && isAdd;
  const value = merged || (concurrent.length === 0 && isAdd) ? node.store.valueOrZero(w.key) + w.delta : winner.value;
  node.store.set(w.key, value, node.store.versions[w.key] + 1);
  world.emit(EV.apply, node.index, w.seq, world.now() - w.createdUs, 0);
  for (const other of concurrent) {
    world.emit(EV.conflict, node.index, w.key, winner.op, merged ? 0 : other.stamp.op === winner.op ? w.op : other.stamp.op);
    world.stats.conflictBetween(other.stamp.op, w.op);
  }
  if (!merged) for (const f of frontier) if (f.stamp.op !== winner.op) world.stats.writeDiscarded(f.stamp.op);
}

/** Ops that currently provide a key's value on some live master (a discarded write that later won is not lost). */
export function winningOps(world: World): Set<number> {
  const ops = new Set<number>();
  const rule = world.replication.resolution ?? "lww";
  for (const node of world.nodes) {
    for (const frontier of node.master?.frontier ?? []) if (frontier && frontier.length > 0) ops.add(winnerOf(rule, frontier.map((f) => f.stamp)).op);
  }
  return ops;
}

/** A peer says how many of our writes it has: forget what everyone has, send what it still lacks. */
export function onSyncAck(world: World, node: DbNode, m: SyncAckMessage): void {
  const state = node.master!;
  state.acked[m.from] = Math.max(state.acked[m.from], m.delivered);
  if (state.next[m.from] <= m.delivered) state.next[m.from] = m.delivered + 1;
  compactOutbox(world, node);
}

function compactOutbox(world: World, node: DbNode): void {
  const state = node.master!;
  let everywhere = state.delivered[node.index];
  for (const peer of peersOf(world, node)) everywhere = Math.min(everywhere, state.acked[peer.index]);
  const first = state.outbox.length > 0 ? state.outbox[0].seq : everywhere + 1;
  if (everywhere >= first) state.outbox = state.outbox.slice(everywhere - first + 1);
}

/** Every heartbeat: resend to each peer what it has not acknowledged (messages may have been lost). */
export function onMasterHeartbeat(world: World, node: DbNode): void {
  const state = node.master!;
  const first = state.outbox.length > 0 ? state.outbox[0].seq : state.delivered[node.index] + 1;
  for (const peer of peersOf(world, node)) {
    const from = state.acked[peer.index] + 1;
    if (from > state.delivered[node.index]) continue;
    const batch = state.outbox.slice(from - first, from - first + MAX_BATCH);
    if (batch.length === 0) continue;
    sendWrites(world, node, peer.index, batch);
    state.next[peer.index] = Math.max(state.next[peer.index], batch[batch.length - 1].seq + 1);
  }
}
