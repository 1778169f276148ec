/**
 * The scenario format: plain data that describes a cluster, its workload, its faults and a seed.
 *
 * This is a public contract (instructors write their own files): extend it, never break it.
 * `schema.ts` validates untrusted JSON into these types; the engine only ever sees validated data.
 * Times are milliseconds of VIRTUAL time in this format (the engine works in integer microseconds).
 */

/** A latency or service-time distribution, in milliseconds. */
export type Distribution =
  | { dist: "constant"; value: number }
  | { dist: "uniform"; min: number; max: number }
  | { dist: "exponential"; mean: number }
  /** ln(ms) is normal with mean `mu` and standard deviation `sigma`. */
  | { dist: "lognormal"; mu: number; sigma: number };

export type NodeRole = "primary" | "replica" | "witness";

export interface NodeSpec {
  id: string;
  role: NodeRole;
  /** Failure domain (a rack, a RAID card): a `domain-failure` fault takes every node in it. */
  domain?: string;
  /** Parallel workers (M/M/c). Absent: unlimited capacity, operations take no service time. */
  workers?: number;
  /** Time one operation occupies a worker (default: exponential, mean 1 ms, when `workers` is set). */
  serviceTimeMs?: Distribution;
  /** Queued operations beyond this are rejected as overloaded (default: unbounded). */
  queueLimit?: number;
  /** How far this node's clock is ahead (+) or behind (-) true time, ms. Read by `set-now`. Default 0. */
  clockSkewMs?: number;
}

/**
 * none: one database. async/sync/semi-sync: one primary ships its log to replicas. multi-master:
 * every node with role "primary" accepts writes and they replicate to each other (conflicts happen).
 * quorum: a write commits only when a majority accepts it (single-decree Paxos per key and version);
 * nodes with role "witness" vote and store versions but serve no clients.
 */
export type ReplicationMode = "none" | "async" | "sync" | "semi-sync" | "multi-master" | "quorum";

/** How multi-master resolves concurrent writes to one key. */
export type ConflictResolution = "lww" | "reject" | "merge";

/**
 * Automatic failover decided by a majority (Raft-style elections with epochs), not by one monitor.
 * Every node that holds data (and every witness) votes; a replica becomes primary only with votes
 * from a majority, and only if its log is at least as up to date as theirs.
 */
export interface FailoverSpec {
  /** A replica that hears nothing from the primary for this long, plus a random part of up to as much again, starts an election. */
  electionTimeoutMs: number;
  /** Leases (default true): a primary acknowledges nothing once it has not heard from a majority for `leaseMs`, and a new primary waits `leaseMs` before serving. */
  leases?: boolean;
  /** Lease length. Default: electionTimeoutMs. */
  leaseMs?: number;
  /** Fencing (default true): nodes reject messages from lower epochs, and a primary that sees a higher epoch steps down. */
  fencing?: boolean;
  /** Clients (and app servers) ask the registry who the primary is this often, and after any failed operation. Default 1000. */
  clientRefreshMs?: number;
}

export interface ReplicationSpec {
  mode: ReplicationMode;
  /** semi-sync: acknowledge after this many replicas have durably logged the entry. */
  acks?: number;
  /** sync: stop waiting for a replica that has not acknowledged for this long (async until it catches up). */
  fallbackToAsyncAfterMs?: number;
  /** How often the primary sends heartbeats (empty appends) that also repair lost messages. Default 50. */
  heartbeatMs?: number;
  /** Log entries kept behind the slowest live replica before a laggard must be re-seeded. Default 10000. */
  logRetentionEntries?: number;
  /**
   * What the log carries. "statement" (default): the command itself ("set x to NOW()"), re-executed
   * by every replica. "row": the resulting value ("set x to 1717"), so replay is deterministic even for
   * commands that read a clock or a random number.
   */
  log?: "statement" | "row";
  /** Automatic failover by majority election. Absent: only a scripted `promote` changes the primary. */
  failover?: FailoverSpec;
  /**
   * multi-master: what to do with concurrent writes to one key. "lww": last writer wins by the
   * writing node's clock (`clockSkewMs` can make the older write "later"); "reject": the later write is
   * discarded; "merge": `add` deltas are all applied (sets fall back to last-writer-wins).
   */
  resolution?: ConflictResolution;
  /** quorum: how many nodes a read asks (R). Default: a majority. With W + R <= N reads can be stale. */
  readQuorum?: number;
  /** quorum: a read writes the value it returns back to a majority first (ABD), which makes reads linearizable. Default true. */
  writeBack?: boolean;
  /** quorum: Paxos ballots (default true). false: the naive version check with rollbacks, which can commit two values for one version. */
  ballots?: boolean;
  /** quorum: a proposer that has no majority answer after this long reports the write as indeterminate. Default 500. */
  proposalTimeoutMs?: number;
}

export interface LinkSpec {
  from: string;
  to: string;
  latencyMs?: Distribution;
  /** Probability that a message on this link is lost, 0..1. */
  lossRate?: number;
}

export interface NetworkSpec {
  /** Default one-way latency of every link. */
  latencyMs: Distribution;
  /** Default loss probability of every link between servers, 0..1. Default 0. */
  lossRate?: number;
  /** One-way latency between clients and the first server they talk to. Default: `latencyMs`. */
  clientLatencyMs?: Distribution;
  /** Overrides for one direction of one link. */
  links?: LinkSpec[];
}

/**
 * Where client reads go (writes always go to the primary, as the client knows it): the primary,
 * the replicas in turn (round robin), the replica with the fewest of this client's requests
 * outstanding (least loaded), or any node in turn.
 */
export type ReadRouting = "primary" | "replicas" | "least-loaded" | "any";

export interface WorkloadSpec {
  /** Open loop: a Poisson stream of operations at this rate (of virtual time). */
  opsPerSec?: number;
  /** Closed loop: this many client processes, each with one operation outstanding. */
  clients?: number;
  /** Closed loop: pause between an answer and the next request. Default constant 0. */
  thinkTimeMs?: Distribution;
  /** Fraction of operations that are reads, 0..1. */
  readRatio: number;
  /** Number of distinct keys, chosen uniformly ("key-0" .. "key-<n-1>"). */
  keys: number;
  /** Writes are `set` (a fresh value) or `add` (an amount). Default "set". */
  writeOp?: "set" | "add";
  /** Where reads go. Default "primary". */
  readFrom?: ReadRouting;
  /** Client timeout for each operation. Default 1000. */
  timeoutMs?: number;
  /** Stop issuing new operations after this virtual time (default: the whole run). */
  stopAtMs?: number;
  /** Heavy analytics queries (reports), besides the operations above. They need nodes with `workers`. */
  analytics?: AnalyticsSpec;
}

/**
 * Analytics and reporting: long read-only queries (a monthly sales report) that hold a worker for a
 * long service time. On the primary they take workers from writes; on an async replica they slow its
 * apply (more lag, more stale reads) instead; with sync replication a slow replica slows the primary's
 * writes too.
 */
export interface AnalyticsSpec {
  /** Poisson arrivals of queries per second of virtual time. */
  queriesPerSec: number;
  /** How long one query holds a worker. */
  serviceTimeMs: Distribution;
  /** Where the queries run: the primary, or the replicas in turn. */
  on: "primary" | "replicas";
  /** Client timeout of a query. Default 60000. */
  timeoutMs?: number;
}

export type ScriptOp =
  | { atMs: number; op: "set"; key: string; value: number; node?: string; client?: string; timeoutMs?: number }
  | { atMs: number; op: "add"; key: string; amount: number; floor?: number; node?: string; client?: string; timeoutMs?: number }
  | { atMs: number; op: "get"; key: string; node?: string; client?: string; timeoutMs?: number }
  /** Sets the key to the executing node's clock reading (ms): like SQL's NOW(). Not deterministic. */
  | { atMs: number; op: "set-now"; key: string; node?: string; client?: string; timeoutMs?: number }
  /** Sets the key to a random number in [0, 1): like SQL's RAND(). Not deterministic. */
  | { atMs: number; op: "set-random"; key: string; node?: string; client?: string; timeoutMs?: number }
  | { atMs: number; op: "promote"; node: string };

interface TimedFault {
  atMs: number;
  /** Undo the fault after this long (restart, restore, heal, unslow). */
  durationMs?: number;
}

export type FaultSpec =
  | (TimedFault & { type: "crash"; node: string })
  | (TimedFault & { type: "restart"; node: string })
  | (TimedFault & { type: "disk-loss"; node: string })
  | (TimedFault & { type: "partition"; groups: string[][] })
  | (TimedFault & { type: "heal" })
  | (TimedFault & { type: "cut"; from: string; to: string; oneWay?: boolean })
  | (TimedFault & { type: "restore"; from: string; to: string; oneWay?: boolean })
  | (TimedFault & { type: "slow"; from: string; to: string; latencyMs: Distribution; oneWay?: boolean })
  | (TimedFault & { type: "domain-failure"; domain: string })
  | {
      type: "random-crashes";
      nodes: string[];
      /** Mean time between failures (exponential), per node. */
      mtbfMs: number;
      /** Mean time to repair (exponential). */
      mttrMs: number;
      /** Window in which random crashes may start (default: the whole run). */
      fromMs?: number;
      untilMs?: number;
    };

export type FaultType = FaultSpec["type"];

/** The optional front tier of the seed's system: phones -> load balancer -> app servers -> databases. */
export interface FrontendSpec {
  loadBalancer: string;
  appServers: string[];
  /** How long the load balancer takes to notice that an app server is down (or back). Default 1000. */
  healthCheckMs?: number;
}

export interface Scenario {
  /** Format version of this file. */
  format: 1;
  name: string;
  description?: string;
  seed: number;
  durationMs: number;
  /** Stop after this many events (a guard for runaway runs). Default 100,000,000. */
  maxEvents?: number;
  nodes: NodeSpec[];
  replication: ReplicationSpec;
  network: NetworkSpec;
  frontend?: FrontendSpec;
  workload?: WorkloadSpec;
  script?: ScriptOp[];
  faults?: FaultSpec[];
}
