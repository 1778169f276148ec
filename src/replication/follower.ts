import { CommandKind } from "../cluster/command-log";
import type { DbNode } from "../cluster/db-node";
import { MSG } from "../cluster/network";
import { EV } from "../events";
import type { World } from "../sim/world";
import { resetElectionTimer } from "./election";
import { stepDown } from "./leader";
import { NEED_SNAPSHOT, type AppendMessage, type AppendReplyMessage, type SnapshotMessage } from "./messages";

/**
 * The replica's side of log shipping: accept entries only in order and only from the current epoch's
 * primary, log them durably, apply them strictly in log order, and tell the primary how far it got.
 * A replica never applies anything the primary did not send, so it never runs ahead of the primary.
 */

export function onAppend(world: World, node: DbNode, m: AppendMessage): void {
  if (!acceptsPrimary(world, node, m.from, m.epoch)) {
    reply(world, node, m.from, false, 0, m.sentUs); // a deposed primary: tell it the news
    return;
  }
  resetElectionTimer(world, node);
  const log = node.log;
  if (node.needsSnapshot) {
    reply(world, node, m.from, false, NEED_SNAPSHOT, m.sentUs); // asked before; the answer may have been lost
    return;
  }
  if (m.prevIndex > log.lastIndex) {
    reply(world, node, m.from, false, log.lastIndex + 1, m.sentUs); // a gap: something was lost on the way
    return;
  }
  if (log.termAt(m.prevIndex) !== m.prevTerm) {
    divergedAt(world, node, m.from, m.prevIndex, m.sentUs);
    return;
  }
  for (const entry of m.entries) {
    if (entry.index <= log.lastIndex) {
      if (log.termAt(entry.index) === entry.term) continue; // already have it (a resend)
      if (!discardSuffix(world, node, entry.index - 1)) {
        reply(world, node, m.from, false, NEED_SNAPSHOT, m.sentUs);
        return;
      }
    }
    log.append(entry);
  }
  // Raft removes a deposed primary's tail when the first entry of the new term conflicts with it; with
  // no new write that never comes, so drop what lies beyond the primary's whole log now (and re-seed
  // from a snapshot if it was applied: async primaries apply before anyone has the entry).
  if (log.lastIndex > m.leaderLastIndex && !discardSuffix(world, node, m.leaderLastIndex)) {
    reply(world, node, m.from, false, NEED_SNAPSHOT, m.sentUs);
    return;
  }
  if (node.unlimited) {
    applyAllLogged(world, node);
    reply(world, node, m.from, true, 0, m.sentUs);
  } else {
    reply(world, node, m.from, true, 0, m.sentUs); // logged (durable): semi-sync counts this
    scheduleApply(world, node, m.from);
  }
}

/**
 * Fencing: a node follows a primary only if its epoch is at least the newest the node has seen; a
 * primary that hears of a newer epoch steps down. Without fencing, replicas follow whoever sends
 * entries and a primary never doubts itself: two primaries can then both believe they lead.
 */
function acceptsPrimary(world: World, node: DbNode, from: number, epoch: number): boolean {
  if (!world.fencing) {
    if (node.role === "primary" && from !== node.index) return false; // it believes it is the primary
    if (epoch > node.epoch) node.epoch = epoch;
    return true;
  }
  if (epoch < node.epoch) return false;
  if (epoch > node.epoch || node.role === "primary") stepDown(world, node, epoch);
  node.epoch = epoch;
  return true;
}

/** The entry before the new ones is not the one the primary has: find where the logs part. */
function divergedAt(world: World, node: DbNode, primary: number, prevIndex: number, echoUs: number): void {
  const log = node.log;
  // Resend from the first index of our conflicting term (Raft's fast log backtracking).
  const term = log.termAt(prevIndex);
  let from = prevIndex;
  while (from > 1 && log.termAt(from - 1) === term) from--;
  if (!discardSuffix(world, node, from - 1)) {
    reply(world, node, primary, false, NEED_SNAPSHOT, echoUs);
    return;
  }
  reply(world, node, primary, false, from, echoUs);
}

/**
 * Drops log entries after `index` that the new primary does not have. If some were already applied
 * to the store, the store must be rebuilt from the primary (as pg_rewind or a re-clone does): answer
 * false and ask for a snapshot.
 */
function discardSuffix(world: World, node: DbNode, index: number): boolean {
  const removed = node.log.truncateAfter(index);
  if (removed > 0) world.emit(EV.truncate, node.index, index + 1, removed, 0);
  if (node.appliedIndex > index) node.needsSnapshot = true;
  return !node.needsSnapshot;
}

function applyOne(world: World, node: DbNode): void {
  const index = node.appliedIndex + 1;
  const entry = node.log.entry(index)!;
  if (entry.kind === CommandKind.SetNow) node.store.set(entry.key, node.clockMs(world.now()), index);
  else if (entry.kind === CommandKind.SetRandom) node.store.set(entry.key, node.random.next(), index);
  else node.store.apply(entry);
  if (world.bugs.has("double-apply") && entry.kind === CommandKind.Add && index % 2 === 0) node.store.apply(entry);
  node.appliedIndex = index;
  world.emit(EV.apply, node.index, index, world.now() - entry.createdUs, node.log.lastIndex - index);
  world.replicaApplied(node, entry);
}

function applyAllLogged(world: World, node: DbNode): void {
  while (node.appliedIndex < node.log.lastIndex) applyOne(world, node);
  compactReplicaLog(world, node);
}

/** With finite capacity, each apply holds a worker for a service time, one entry at a time, in order. */
function scheduleApply(world: World, node: DbNode, primary: number): void {
  if (node.applying || node.appliedIndex >= node.log.lastIndex) return;
  node.applying = true;
  world.runJob(node, {
    run: () => {
      node.applying = false;
      if (node.appliedIndex < node.log.lastIndex) applyOne(world, node);
      compactReplicaLog(world, node);
      reply(world, node, primary, true, 0, -1);
      scheduleApply(world, node, primary);
    },
    reject: () => {
      node.applying = false;
    },
  });
}

/** A replica keeps a bounded tail of the log (to serve as primary later); the store holds the rest. */
function compactReplicaLog(world: World, node: DbNode): void {
  const retention = world.replication.logRetentionEntries;
  if (node.log.retained > 2 * retention) node.log.compactBefore(node.appliedIndex - retention + 1);
}

export function onSnapshot(world: World, node: DbNode, m: SnapshotMessage): void {
  if (!acceptsPrimary(world, node, m.from, m.epoch)) {
    reply(world, node, m.from, false, 0, -1);
    return;
  }
  resetElectionTimer(world, node);
  node.store.values.set(m.values);
  node.store.versions.set(m.versions);
  node.log.resetTo(m.lastIndex, m.termRuns);
  node.appliedIndex = m.lastIndex;
  node.applying = false;
  node.needsSnapshot = false;
  world.emit(EV.snapshot, node.index, m.lastIndex, 0, 0);
  reply(world, node, m.from, true, 0, -1);
}

function reply(world: World, node: DbNode, to: number, ok: boolean, resendFrom: number, echoUs: number): void {
  const message: AppendReplyMessage = {
    kind: MSG["append-reply"],
    from: node.index,
    to,
    gen: 0,
    index: node.log.lastIndex,
    epoch: node.epoch,
    ok,
    logged: node.log.lastIndex,
    // Never claim more than the log holds (a store awaiting its snapshot is ahead of its log).
    applied: Math.min(node.appliedIndex, node.log.lastIndex),
    resendFrom,
    echoUs,
  };
  world.send(message);
}
