import type { FailoverSpec, NodeSpec, ReplicationSpec, Scenario } from "../scenario/types";
import { Random } from "../sim/random";
import type { HarnessFault } from "./fault-mix";

/**
 * The clusters the reliability harness tortures: one small scenario template per replication mode.
 * Each run is short on purpose (a safety phase of about 2 s of virtual time at 200-350 operations per
 * second, then a heal phase), so a seed costs a few milliseconds and thousands of seeds fit in a test.
 *
 * The template fixes the shape (how many replicas, which ack rule, which promotion rule); the seed
 * varies the rest (latency, key count, read ratio, set or add) from its own stream, so every seed is a
 * slightly different cluster as well as a different fault schedule.
 */

/** The cluster modes (one Simulation per seed). Every mode, cluster or not, is listed in registry.ts. */
export const CLUSTER_MODES = ["none", "async", "sync", "semi-sync", "semi-sync-safe", "elections", "elections-async", "quorum"] as const;
export type ClusterMode = (typeof CLUSTER_MODES)[number];
/**
 * A harness mode's name. Plain strings, checked against the registry (registry.ts) at run time, so
 * that a new mode (sharding, say) is one new file and one line in the registry, with no type to widen.
 */
export type HarnessMode = string;

/**
 * How the operator (operator.ts) chooses whom to promote when the primary is gone:
 * - `none`: nobody to promote (a single database);
 * - `most-up-to-date`: the live replica with the longest log (highest last term, then last index),
 *   as a DBA would, without knowing which writes were acknowledged;
 * - `holds-every-acknowledged-write`: only a replica whose log holds every acknowledged write, or
 *   nobody (the cluster waits, unavailable for writes, rather than lose one).
 */
export type PromotionRule = "none" | "most-up-to-date" | "holds-every-acknowledged-write";

export interface ModeTemplate {
  mode: ClusterMode;
  /** One line for reports. */
  description: string;
  replication: ReplicationSpec;
  replicaCount: number;
  promotionRule: PromotionRule;
  /**
   * True when losing an acknowledged write is a bug in this mode (sync; semi-sync with a promotion
   * rule that must pick a replica holding every acknowledged write). Otherwise the loss is measured,
   * and it must have been counted at risk.
   */
  promisesNoLoss: boolean;
  /**
   * Automatic failover by majority election (Raft-style, src/replication/election.ts): the cluster
   * elects its primaries and the operator only watches. Absent: the operator promotes.
   */
  failover?: FailoverSpec;
  /** Replication heartbeat, ms (default 50; elections need a shorter one than their election timeout). */
  heartbeatMs?: number;
  /** Nodes (besides db1) that vote but hold no client data (quorum's witness), counted in replicaCount. */
  witnesses?: number;
  /** Fault types this mode draws from (default: every harness fault). */
  faults?: readonly HarnessFault[];
  /** Multiplies the seed's operation rate (quorum: every write is a Paxos round, six messages per peer). */
  opsScale?: number;
}

/**
 * Faults that keep a majority-based protocol inside its fault model. Raft and Paxos assume that what a
 * node has promised (its vote, its log, its accepted values) survives a crash; a node whose disk is
 * destroyed comes back having forgotten its vote (db-node.ts resets epoch and vote) and can vote twice
 * in one epoch. Real systems make such a node rejoin as a new member; this engine does not, so the
 * election and quorum modes leave disk loss and domain failures out instead of reporting their
 * well-known consequences as bugs.
 */
export const DURABLE_FAULTS: readonly HarnessFault[] = ["crash", "partition", "one-way-cut", "slow-link", "loss", "random-crashes"];

/** Failover settings of the election modes: detection in 60-120 ms, leases and fencing on. */
const ELECTIONS: FailoverSpec = { electionTimeoutMs: 60, leases: true, fencing: true, clientRefreshMs: 100 };

export const MODE_TEMPLATES: { readonly [M in ClusterMode]: ModeTemplate } = {
  none: {
    mode: "none",
    description: "a single database, no replicas: a crash makes it unavailable, never wrong",
    replication: { mode: "none" },
    replicaCount: 0,
    promotionRule: "none",
    promisesNoLoss: false,
  },
  async: {
    mode: "async",
    description: "1 primary + 2 async replicas; the operator promotes the most up-to-date live replica",
    replication: { mode: "async" },
    replicaCount: 2,
    promotionRule: "most-up-to-date",
    promisesNoLoss: false,
  },
  sync: {
    mode: "sync",
    description: "1 primary + 2 sync replicas (every replica applies before the ack, no fallback); most up-to-date live replica promoted",
    replication: { mode: "sync" },
    replicaCount: 2,
    promotionRule: "most-up-to-date",
    promisesNoLoss: true,
  },
  "semi-sync": {
    mode: "semi-sync",
    description: "1 primary + 3 replicas, acks 1 of 3; most up-to-date live replica promoted (the acking replica may be down: loss measured)",
    replication: { mode: "semi-sync", acks: 1 },
    replicaCount: 3,
    promotionRule: "most-up-to-date",
    promisesNoLoss: false,
  },
  "semi-sync-safe": {
    mode: "semi-sync-safe",
    description: "1 primary + 3 replicas, acks 1 of 3; only a replica holding every acknowledged write is promoted (else wait)",
    replication: { mode: "semi-sync", acks: 1 },
    replicaCount: 3,
    promotionRule: "holds-every-acknowledged-write",
    promisesNoLoss: true,
  },
  elections: {
    mode: "elections",
    description: "1 primary + 2 sync replicas; failover by majority election with leases and fencing (no operator)",
    replication: { mode: "sync" },
    replicaCount: 2,
    promotionRule: "none",
    promisesNoLoss: true,
    failover: ELECTIONS,
    heartbeatMs: 15,
    faults: DURABLE_FAULTS,
  },
  "elections-async": {
    mode: "elections-async",
    description: "1 primary + 2 async replicas; failover by majority election with leases and fencing (loss measured, counted at risk)",
    replication: { mode: "async" },
    replicaCount: 2,
    promotionRule: "none",
    promisesNoLoss: false,
    failover: ELECTIONS,
    heartbeatMs: 15,
    faults: DURABLE_FAULTS,
  },
  quorum: {
    mode: "quorum",
    description: "2 data nodes + 1 witness; every write is single-decree Paxos per (key, version); quorum reads with write-back",
    replication: { mode: "quorum", proposalTimeoutMs: 100 },
    replicaCount: 2,
    promotionRule: "none",
    promisesNoLoss: false,
    witnesses: 1,
    heartbeatMs: 20,
    opsScale: 0.5,
    faults: DURABLE_FAULTS,
  },
};

/** The two phases of a run, in virtual milliseconds. */
export interface PhaseOptions {
  /** Workload and faults run from 0 to here; then the heal phase starts. */
  safetyMs: number;
  /** The heal phase must reach convergence within this long, or the run fails (unless rightly unavailable). */
  convergenceMsMax: number;
  /** The operator and the state invariants run between slices of this length. */
  sliceMs: number;
}

export const DEFAULT_PHASES: PhaseOptions = { safetyMs: 2000, convergenceMsMax: 5000, sliceMs: 50 };

/** Client timeout: short, so a blocked sync cluster frees its clients quickly. */
const TIMEOUT_MS = 500;

export function isClusterMode(value: string): value is ClusterMode {
  return (CLUSTER_MODES as readonly string[]).includes(value);
}

/**
 * The scenario of one seed for one mode, without faults (fault-mix.ts adds them). Node `db1` is the
 * initial primary; every node has its own failure domain (`rack-a`, `rack-b`, ...).
 */
export function scenarioFor(mode: ClusterMode, seed: number, phases: PhaseOptions = DEFAULT_PHASES): Scenario {
  const template = MODE_TEMPLATES[mode];
  const quorum = template.replication.mode === "quorum";
  const random = new Random(seed, "harness/scenario");
  const between = (min: number, max: number) => min + random.int(max - min + 1);
  const latencyMeanMs = between(2, 5);
  const opsPerSec = Math.round(between(200, 350) * (template.opsScale ?? 1));
  const readPercent = between(10, 50);
  const keys = between(5, 20);
  const writeOp = random.chance(0.5) ? "add" : "set";
  const witnessFrom = 1 + template.replicaCount - (template.witnesses ?? 0);
  // Quorum: every data node takes writes (role primary); the last nodes are witnesses.
  const roleOf = (i: number): NodeSpec["role"] => (i >= witnessFrom ? "witness" : i === 0 || quorum ? "primary" : "replica");
  const node = (i: number): NodeSpec => ({
    id: `db${i + 1}`,
    role: roleOf(i),
    domain: `rack-${String.fromCharCode(97 + i)}`,
    // Finite capacity: a replica applies entries one at a time on a worker, so it really lags.
    workers: 4,
    serviceTimeMs: { dist: "exponential", mean: 0.3 },
  });
  return {
    format: 1,
    name: `harness-${mode}`,
    description: `reliability harness: ${template.description}`,
    seed,
    // The heal phase ends at convergence; this is only the outer bound.
    durationMs: phases.safetyMs + phases.convergenceMsMax + phases.sliceMs,
    nodes: Array.from({ length: 1 + template.replicaCount }, (_, i) => node(i)),
    replication: { ...template.replication, ...(template.heartbeatMs ? { heartbeatMs: template.heartbeatMs } : {}), ...(template.failover ? { failover: { ...template.failover } } : {}) },
    network: { latencyMs: { dist: "exponential", mean: latencyMeanMs } },
    workload: { opsPerSec, readRatio: readPercent / 100, keys, writeOp, timeoutMs: TIMEOUT_MS, stopAtMs: phases.safetyMs },
  };
}
