import type { DbNode } from "../cluster/db-node";
import { MSG } from "../cluster/network";
import { EV } from "../events";
import { msToUs } from "../sim/time";
import type { World } from "../sim/world";
import { becomePrimary, stepDown } from "./leader";
import type { VoteMessage, VoteRequestMessage } from "./messages";

/**
 * Failover decided by a majority, in the style of Raft's leader election. A single monitor that
 * decides "the primary is dead, promote db2" would itself be a single point of failure, and when it is
 * cut off it cannot tell a dead primary from an unreachable one. Instead:
 *
 * - Replicas watch the primary's heartbeats. One that hears nothing for its election timeout (the
 *   configured timeout plus a random part, so that replicas rarely stand at the same moment) becomes
 *   a candidate for the next epoch and asks every voter for its vote.
 * - A voter gives at most one vote per epoch (the vote is durable, like the epoch), and only to a
 *   candidate whose log is at least as up to date as its own (a later last term, or the same last
 *   term and at least as long). So a node that lacks writes a majority has cannot win.
 * - A candidate with votes from a majority becomes primary. Two majorities always share a node, and
 *   that node voted once per epoch: at most one primary per epoch.
 */

/** Number of votes that make a majority of the voters. */
export function majority(world: World): number {
  return Math.floor(world.voters.length / 2) + 1;
}

/** Pushes a node's election deadline into the future (it just heard from a primary, or voted). */
export function resetElectionTimer(world: World, node: DbNode): void {
  const failover = world.replication.failover;
  if (!failover) return;
  const timeoutMs = failover.electionTimeoutMs * (1 + node.random.next());
  node.electionDeadlineUs = world.now() + msToUs(timeoutMs);
}

/**
 * Called every heartbeat tick: nodes whose deadline passed stand for election. A node awaiting a
 * snapshot does not: it discarded log entries it had already applied, so its store is no longer the
 * replay of its log, and as primary it would ship a log that does not describe its own data.
 */
export function checkElectionTimers(world: World): void {
  if (!world.replication.failover) return;
  for (const node of world.nodes) {
    if (node.up && !node.leader && !node.needsSnapshot && node.spec.role !== "witness" && world.now() >= node.electionDeadlineUs) startElection(world, node);
  }
}

function startElection(world: World, node: DbNode): void {
  node.epoch++;
  node.votedFor = node.index;
  node.votes = 1;
  if (node.role === "primary") stepDown(world, node, node.epoch);
  world.emit(EV["election-start"], node.index, node.epoch, 0, 0);
  world.electionStarted(node);
  resetElectionTimer(world, node);
  for (const voter of world.voters) {
    if (voter === node.index) continue;
    const request: VoteRequestMessage = {
      kind: MSG["vote-request"],
      from: node.index,
      to: voter,
      gen: 0,
      index: node.log.lastIndex,
      epoch: node.epoch,
      lastIndex: node.log.lastIndex,
      lastTerm: node.log.lastTerm,
    };
    world.send(request);
  }
  if (node.votes >= majority(world)) win(world, node);
}

export function onVoteRequest(world: World, node: DbNode, m: VoteRequestMessage): void {
  if (m.epoch > node.epoch) {
    if (node.role === "primary" && world.fencing) stepDown(world, node, m.epoch);
    node.epoch = m.epoch;
    node.votedFor = -1;
    node.votes = 0;
  }
  const upToDate = m.lastTerm > node.log.lastTerm || (m.lastTerm === node.log.lastTerm && m.lastIndex >= node.log.lastIndex);
  const granted = m.epoch === node.epoch && (node.votedFor === -1 || node.votedFor === m.from) && upToDate && !node.leader;
  if (granted) {
    node.votedFor = m.from;
    resetElectionTimer(world, node);
  }
  world.emit(EV.vote, node.index, m.from, granted ? 1 : 0, node.epoch);
  const vote: VoteMessage = { kind: MSG.vote, from: node.index, to: m.from, gen: 0, index: 0, epoch: node.epoch, granted };
  world.send(vote);
}

export function onVote(world: World, node: DbNode, m: VoteMessage): void {
  if (m.epoch > node.epoch) {
    if (node.role === "primary" && world.fencing) stepDown(world, node, m.epoch);
    if (node.role !== "primary") {
      node.epoch = m.epoch;
      node.votedFor = -1;
      node.votes = 0;
    }
    return;
  }
  // Only a candidate still standing in this epoch counts the vote.
  if (!m.granted || m.epoch !== node.epoch || node.leader || node.votedFor !== node.index) return;
  node.votes++;
  if (node.votes === majority(world)) win(world, node);
}

function win(world: World, node: DbNode): void {
  node.votes = 0;
  node.electionDeadlineUs = Infinity;
  becomePrimary(world, node, node.epoch);
  world.primaryElected(node);
}
