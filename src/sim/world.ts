import type { DbNode, Job } from "../cluster/db-node";
import type { Message, Network } from "../cluster/network";
import type { Topology } from "../cluster/topology";
import type { LogEntry } from "../cluster/command-log";
import type { ReplicationSpec } from "../scenario/types";
import type { ClientOp } from "../cluster/client-op";
import type { Bugs } from "./bugs";
import type { RunStats } from "../metrics/run-stats";

/**
 * What the protocol modules (replication, clients, faults) may use of the simulation around them.
 * They never touch the event queue or the event log directly: everything goes through here, so the
 * rules "every effect is an event" and "time only moves forward" live in one place.
 */
export interface World {
  readonly topology: Topology;
  readonly network: Network;
  readonly nodes: readonly DbNode[];
  /** The run's counters (conflicts, discarded writes, floors...). */
  readonly stats: RunStats;
  /** Nodes that vote in elections (every node that holds data, and witnesses). */
  readonly voters: readonly number[];
  /** Whether epochs fence off deposed primaries (replication.failover.fencing, default true). */
  readonly fencing: boolean;
  /** A node stood for election (for failover statistics). */
  electionStarted(node: DbNode): void;
  /** A primary's reign ends (crash, step-down, superseded): count the writes only it holds as at risk. */
  reignEnding(node: DbNode): void;
  /** A node won an election: it registers as the primary. */
  primaryElected(node: DbNode): void;
  /** Deliberate bugs switched on for checker-sensitivity tests (none in real use). */
  readonly bugs: Bugs;
  readonly replication: Required<Pick<ReplicationSpec, "mode" | "heartbeatMs" | "logRetentionEntries">> & ReplicationSpec;
  /** Current virtual time, µs. */
  now(): number;
  /** Records an event (see `decodeRow` in events.ts for the fields of each type). */
  emit(type: number, a: number, b: number, c: number, d: number): void;
  send(message: Message): void;
  /** Runs a job on one of the node's workers (at once if it has unlimited capacity). */
  runJob(node: DbNode, job: Job): void;
  /** Gives a database node's answer to a client operation (travels back along the request's path). */
  respond(node: DbNode, request: RequestMessage, error: number, value: number, version: number): void;
  /** A primary acknowledged a write at (term, index): the ledger of lost and at-risk writes needs it. */
  writeAcknowledged(node: DbNode, entry: LogEntry): void;
  /** Runs `fn` at an absolute virtual time. */
  at(timeUs: number, fn: () => void): void;
  /** Quorum mode: a write was acknowledged as version `version` of `key`. */
  quorumWriteAcknowledged(key: number, version: number, op: number): void;
  /** A replica applied an entry: its apply lag feeds the run's statistics. */
  replicaApplied(node: DbNode, entry: LogEntry): void;
  /** The node that clients currently believe is the primary. */
  directoryPrimary(): number;
  /** Next epoch number for a scripted promotion: higher than any epoch so far. */
  nextEpoch(): number;
}

/** A client operation travelling through the servers: `path` is the way back to the client. */
export interface RequestMessage extends Message {
  op: ClientOp;
  path: number[];
}

/** The answer to a client operation, travelling back along `path`. */
export interface ResponseMessage extends Message {
  op: ClientOp;
  path: number[];
  error: number;
  value: number;
  version: number;
}
