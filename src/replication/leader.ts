import { CommandKind, type LogEntry } from "../cluster/command-log";
import { Command } from "../cluster/client-op";
import type { DbNode } from "../cluster/db-node";
import { MSG } from "../cluster/network";
import { EV, ERROR_CODES } from "../events";
import { msToUs } from "../sim/time";
import type { RequestMessage, World } from "../sim/world";
import { acknowledgeablePoint } from "./ack-rules";
import { majority, resetElectionTimer } from "./election";
import { LeaderState } from "./leader-state";
import { NEED_SNAPSHOT, type AppendMessage, type AppendReplyMessage, type SnapshotMessage } from "./messages";

/**
 * The primary's side of log shipping, in the style of Raft's leader (without elections, which come
 * with failover): every write becomes a log entry, is applied locally, and is sent to each replica in
 * order; each replica says how far its log reaches; the replication mode decides when the client
 * hears "ok". Heartbeats (empty appends) find replicas that missed messages and bring them back.
 */

const MAX_BATCH = 64;
const ERR = Object.freeze(Object.fromEntries(ERROR_CODES.map((c, i) => [c, i])) as Record<(typeof ERROR_CODES)[number], number>);

/**
 * Makes a node the primary of an epoch. With leases, a new primary first waits out the lease the old
 * one may still hold (the initial primary of a fresh cluster has nobody to wait for).
 */
export function becomePrimary(world: World, node: DbNode, epoch: number, initial = false): void {
  node.role = "primary";
  node.epoch = epoch;
  node.electionDeadlineUs = Infinity;
  node.leader = new LeaderState(epoch, world.nodes.length, node.log.lastIndex, replicasOf(world, node));
  const lease = leaseOptions(world);
  if (lease && initial) node.leader.answeredSentUs.fill(0);
  if (lease && !initial) node.leader.servingFromUs = world.now() + msToUs(lease.leaseMs);
  world.emit(EV.promote, node.index, epoch, 0, 0);
  sendHeartbeats(world, node);
}

/** Lease settings, or null when leases do not apply (no automatic failover, or leases switched off). */
function leaseOptions(world: World): { leaseMs: number } | null {
  const failover = world.replication.failover;
  if (!failover || failover.leases === false) return null;
  return { leaseMs: failover.leaseMs ?? failover.electionTimeoutMs };
}

/**
 * May this primary act as primary right now? Only if a majority of voters (itself included) answered
 * an append it sent less than `leaseMs` ago: then no other primary can have been elected since (each
 * of those voters would have had to move to a newer epoch first, and answered us before that), nor
 * before `leaseMs` from then. And a new primary only after its own waiting period.
 */
export function holdsLease(world: World, node: DbNode): boolean {
  const lease = leaseOptions(world);
  const leader = node.leader;
  if (!leader) return false;
  if (!lease) return true;
  const now = world.now();
  if (now < leader.servingFromUs) return false;
  const needed = majority(world) - 1; // answers needed besides our own
  if (needed <= 0) return true;
  const answered = world.voters.filter((v) => v !== node.index).map((v) => leader.answeredSentUs[v]);
  answered.sort((a, b) => b - a);
  const leaseStartUs = answered.length >= needed ? answered[needed - 1] : -Infinity;
  return now < leaseStartUs + msToUs(lease.leaseMs);
}

/** A primary learns of a newer epoch: it becomes a replica and stops acknowledging anything. */
export function stepDown(world: World, node: DbNode, epoch: number): void {
  if (epoch > node.epoch) node.votedFor = -1;
  node.epoch = Math.max(node.epoch, epoch);
  if (node.role !== "primary") return;
  world.reignEnding(node);
  node.role = "replica";
  node.leader = null;
  resetElectionTimer(world, node); // a replica again: it must be able to stand for election
  world.emit(EV.demote, node.index, node.epoch, 0, 0);
}

/** The nodes a primary ships its log to: every other node that holds data. */
export function replicasOf(world: World, node: DbNode): number[] {
  if (world.replication.mode === "none") return [];
  return world.nodes.filter((n) => n !== node && n.spec.role !== "witness").map((n) => n.index);
}

/** A client write reaches the primary (after its service time): log it, apply it, ship it. */
export function acceptClientWrite(world: World, node: DbNode, req: RequestMessage): void {
  const op = req.op;
  const leader = node.leader;
  if (!leader) {
    reject(world, node, req, node.role === "replica" ? ERR["read-only"] : ERR["not-primary"]);
    return;
  }
  if (!holdsLease(world, node)) {
    reject(world, node, req, ERR["lease-expired"]);
    return;
  }
  const current = node.store.valueOrZero(op.key);
  if (op.command === Command.Add && current + op.arg < op.floor) {
    reject(world, node, req, ERR.floor);
    return;
  }
  if (op.command === Command.Add && !Number.isNaN(op.floor)) world.stats.declareFloor(op.key, op.floor);
  const { kind, arg } = logCommand(world, node, op.command, op.arg);
  const entry: LogEntry = { index: node.log.lastIndex + 1, term: node.epoch, op: op.id, key: op.key, kind, arg, createdUs: world.now() };
  node.log.append(entry);
  node.store.apply(entry);
  node.appliedIndex = entry.index;
  world.emit(EV.append, node.index, entry.index, op.id, op.key);
  for (const r of leader.replicas) {
    if (leader.nextIndex[r] === entry.index) {
      sendEntries(world, node, r, [entry]);
      leader.nextIndex[r] = entry.index + 1;
    }
  }
  const acknowledge = () => {
    world.writeAcknowledged(node, entry);
    world.emit(EV.ack, node.index, op.id, entry.index, 0);
    world.respond(node, req, ERR.ok, node.store.get(op.key), entry.index);
  };
  const mode = world.replication.mode;
  if (mode === "none" || mode === "async" || world.bugs.has("ack-before-replicate")) acknowledge();
  else {
    leader.pending.push({ index: entry.index, sinceUs: world.now(), acknowledge });
    advanceAcknowledgements(world, node);
  }
}

/**
 * What goes into the log for a client command. A statement log ships NOW() and RAND() as they are
 * (each replica evaluates them again, so they diverge); a row log ships the value the primary got.
 */
function logCommand(world: World, node: DbNode, command: Command, arg: number): { kind: CommandKind; arg: number } {
  const row = world.replication.log === "row";
  switch (command) {
    case Command.Add:
      return { kind: CommandKind.Add, arg };
    case Command.SetNow:
      return { kind: row ? CommandKind.Set : CommandKind.SetNow, arg: node.clockMs(world.now()) };
    case Command.SetRandom:
      return { kind: row ? CommandKind.Set : CommandKind.SetRandom, arg: node.random.next() };
    default:
      return { kind: CommandKind.Set, arg };
  }
}

function reject(world: World, node: DbNode, req: RequestMessage, error: number): void {
  world.emit(EV.reject, node.index, req.op.id, error, 0);
  world.respond(node, req, error, NaN, 0);
}

function sendEntries(world: World, node: DbNode, to: number, entries: LogEntry[]): void {
  const prevIndex = entries.length > 0 ? entries[0].index - 1 : node.log.lastIndex;
  const message: AppendMessage = {
    kind: MSG.append,
    from: node.index,
    to,
    gen: 0,
    index: entries.length > 0 ? entries[entries.length - 1].index : prevIndex,
    epoch: node.epoch,
    sentUs: world.now(),
    prevIndex,
    prevTerm: node.log.termAt(prevIndex),
    entries,
    leaderLastIndex: node.log.lastIndex,
  };
  world.send(message);
}

/** Sends the next batch a replica needs, from its nextIndex (or a snapshot if those were compacted). */
function sendBatch(world: World, node: DbNode, r: number): void {
  const leader = node.leader!;
  const from = leader.nextIndex[r];
  if (from < node.log.firstIndex) {
    sendSnapshot(world, node, r);
    return;
  }
  const to = Math.min(node.log.lastIndex, from + MAX_BATCH - 1);
  const entries: LogEntry[] = [];
  for (let i = from; i <= to; i++) entries.push(node.log.entry(i)!);
  if (entries.length === 0) {
    sendHeartbeat(world, node, r);
    return;
  }
  sendEntries(world, node, r, entries);
  leader.nextIndex[r] = to + 1;
}

function sendHeartbeat(world: World, node: DbNode, r: number): void {
  const leader = node.leader!;
  const prevIndex = Math.min(leader.nextIndex[r] - 1, node.log.lastIndex);
  const message: AppendMessage = {
    kind: MSG.append,
    from: node.index,
    to: r,
    gen: 0,
    index: prevIndex,
    epoch: node.epoch,
    sentUs: world.now(),
    prevIndex,
    prevTerm: node.log.termAt(prevIndex),
    entries: [],
    leaderLastIndex: node.log.lastIndex,
  };
  world.send(message);
}

function sendSnapshot(world: World, node: DbNode, r: number): void {
  const message: SnapshotMessage = {
    kind: MSG.snapshot,
    from: node.index,
    to: r,
    gen: 0,
    index: node.appliedIndex,
    epoch: node.epoch,
    lastIndex: node.appliedIndex,
    termRuns: node.log.termHistory(),
    values: node.store.values.slice(),
    versions: node.store.versions.slice(),
  };
  world.send(message);
  node.leader!.nextIndex[r] = node.appliedIndex + 1;
}

/** A replica answered an append or a snapshot. */
export function onAppendReply(world: World, node: DbNode, m: AppendReplyMessage): void {
  if (m.epoch > node.epoch && world.fencing) {
    stepDown(world, node, m.epoch);
    return;
  }
  const leader = node.leader;
  if (!leader || (m.epoch < node.epoch && world.fencing)) return; // a reply to an earlier reign: ignore it
  const r = m.from;
  leader.lastHeardUs[r] = world.now();
  if (m.echoUs > leader.answeredSentUs[r]) leader.answeredSentUs[r] = m.echoUs;
  if (!m.ok) {
    rewind(world, node, r, m.resendFrom);
    return;
  }
  leader.loggedIndex[r] = Math.max(leader.loggedIndex[r], m.logged);
  leader.appliedIndex[r] = Math.max(leader.appliedIndex[r], m.applied);
  if (leader.nextIndex[r] <= m.logged) leader.nextIndex[r] = m.logged + 1;
  // Catching up: the reply is for the last batch sent and more remains.
  if (m.logged + 1 === leader.nextIndex[r] && leader.nextIndex[r] <= node.log.lastIndex) sendBatch(world, node, r);
  if (leader.fallenBack[r] && leader.appliedIndex[r] >= node.log.lastIndex) {
    leader.fallenBack[r] = 0;
    world.emit(EV.fallback, node.index, r, 0, 0);
  }
  advanceAcknowledgements(world, node);
}

function rewind(world: World, node: DbNode, r: number, resendFrom: number): void {
  const leader = node.leader!;
  const now = world.now();
  if (resendFrom === NEED_SNAPSHOT) {
    sendSnapshot(world, node, r);
    return;
  }
  // Several in-flight messages may report the same gap: resend once per heartbeat interval.
  if (leader.rewoundTo[r] === resendFrom && now - leader.rewoundAtUs[r] < msToUs(world.replication.heartbeatMs)) return;
  leader.rewoundTo[r] = resendFrom;
  leader.rewoundAtUs[r] = now;
  leader.nextIndex[r] = Math.max(1, resendFrom);
  sendBatch(world, node, r);
}

/** Acknowledges every pending write the replication mode now allows. */
function advanceAcknowledgements(world: World, node: DbNode): void {
  const leader = node.leader!;
  if (leader.pendingCount === 0) return;
  const point = acknowledgeablePoint(world.replication.mode, world.replication.acks ?? 1, leader, leader.replicas, node.log.lastIndex);
  leader.acknowledgeUpTo(point);
}

/** Periodic work of a primary: heartbeats, sync fallback, log compaction. */
export function onHeartbeatTimer(world: World, node: DbNode): void {
  if (!node.leader) return;
  sendHeartbeats(world, node);
  checkSyncFallback(world, node);
  compactLog(world, node);
}

function sendHeartbeats(world: World, node: DbNode): void {
  const leader = node.leader!;
  for (const r of leader.replicas) {
    if (leader.nextIndex[r] <= node.log.lastIndex && leader.loggedIndex[r] + 1 === leader.nextIndex[r]) sendBatch(world, node, r);
    else sendHeartbeat(world, node, r);
  }
}

/** Sync replication with a fallback: stop waiting for replicas that hold up the oldest write too long. */
function checkSyncFallback(world: World, node: DbNode): void {
  const { mode, fallbackToAsyncAfterMs } = world.replication;
  const leader = node.leader!;
  const oldest = leader.oldestPending();
  if (mode !== "sync" || fallbackToAsyncAfterMs === undefined || !oldest) return;
  if (world.now() - oldest.sinceUs < msToUs(fallbackToAsyncAfterMs)) return;
  for (const r of leader.replicas) {
    if (!leader.fallenBack[r] && leader.appliedIndex[r] < oldest.index) {
      leader.fallenBack[r] = 1;
      world.emit(EV.fallback, node.index, r, 1, 0);
    }
  }
  advanceAcknowledgements(world, node);
}

/**
 * Forgets log entries every recently heard replica already has, but keeps at most
 * `logRetentionEntries` for a replica that is silent (down or cut off): beyond that it will need a
 * snapshot when it returns. So the log's memory stays flat however long the run.
 */
function compactLog(world: World, node: DbNode): void {
  const leader = node.leader!;
  const now = world.now();
  const silenceUs = 10 * msToUs(world.replication.heartbeatMs);
  let keepFrom = node.log.lastIndex + 1;
  for (const r of leader.replicas) {
    if (now - leader.lastHeardUs[r] <= silenceUs) keepFrom = Math.min(keepFrom, leader.loggedIndex[r] + 1);
  }
  keepFrom = Math.max(keepFrom, node.log.lastIndex - world.replication.logRetentionEntries + 1);
  node.log.compactBefore(keepFrom);
}
