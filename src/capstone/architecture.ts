/**
 * The architecture a learner writes: a handful of decisions, not a whole scenario.
 *
 * ```ts
 * const design: Architecture = {
 *   name: "semi-sync + elections",
 *   replication: "semi-sync", acks: 1, replicas: 2,
 *   failover: { electionTimeoutMs: 300 },
 * };
 * ```
 *
 * `buildScenario(card, design)` turns it into a runnable scenario by merging it with the card's
 * traffic, hardware, network and faults: a cluster scenario for one replica set, or a `"kind":
 * "sharded"` scenario (src/sharding) when `shards` is more than 1. `validateArchitecture` checks a
 * design first and throws one line naming the field, e.g. `architecture.replicas: must be 0-6, got 9`.
 */
import type { FaultSpec, FailoverSpec, NodeSpec, ReplicationSpec, Scenario, WorkloadSpec } from "../scenario/types";
import { parseScenario } from "../scenario/load";
import { parseShardedScenario, type ShardedFaultSpec, type ShardedScenario } from "../sharding";
import type { CardFault, RequirementCard } from "./cards";

export type ReplicationChoice = "none" | "async" | "sync" | "semi-sync" | "quorum";
export type ReadChoice = "primary" | "replicas" | "least-loaded";

export interface Architecture {
  /** A label for tables and charts. Default: built from the choices ("semi-sync(1) ×3"). */
  name?: string;
  /**
   * How writes are copied: "none" (one database), "async" (acknowledge, then ship), "sync" (wait for
   * every replica to apply), "semi-sync" (wait for `acks` replicas to log), "quorum" (a majority votes
   * on every write; no single primary).
   */
  replication: ReplicationChoice;
  /** Copies besides the primary (quorum: data nodes besides the first). 0-6. */
  replicas: number;
  /** semi-sync: how many replicas must have logged a write before it is acknowledged. 1..replicas. */
  acks?: number;
  /** quorum: add a witness, a node that votes but holds no data and serves no clients. */
  witness?: boolean;
  /** Where reads go. Default "primary". Replicas answer faster when the primary is busy, but may be behind. */
  reads?: ReadChoice;
  /**
   * Automatic failover (elections decided by a majority; see notebook 04). Absent: nobody replaces a
   * crashed primary. `electionTimeoutMs` is the failure detector's timeout.
   */
  failover?: FailoverSpec;
  /** Where the card's reports run, if it has any. Default "primary". */
  analytics?: "primary" | "replicas";
  /** Replica sets that split the keys between them (user ids in equal ranges). Default 1. */
  shards?: number;
}

/** A design that cannot be built, with the field it concerns: `architecture.acks: ...`. */
export class ArchitectureError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
    this.name = "ArchitectureError";
  }
}

export const MAX_REPLICAS = 6;
const FIELDS = ["name", "replication", "replicas", "acks", "witness", "reads", "failover", "analytics", "shards"];
const MODES: readonly ReplicationChoice[] = ["none", "async", "sync", "semi-sync", "quorum"];
const READS: readonly ReadChoice[] = ["primary", "replicas", "least-loaded"];
const FAILOVER_FIELDS = ["electionTimeoutMs", "leases", "leaseMs", "fencing", "clientRefreshMs"];

/**
 * Checks a design (also one typed by hand in a notebook cell, so nothing is assumed about its
 * shape) against the rules of the engine and the card. Throws the first problem as an
 * `ArchitectureError`; returns the design when it is fine.
 */
export function validateArchitecture(design: unknown, c?: RequirementCard): Architecture {
  const fail = (path: string, problem: string): never => {
    throw new ArchitectureError(path === "" ? "architecture" : `architecture.${path}`, problem);
  };
  if (typeof design !== "object" || design === null || Array.isArray(design)) fail("", `must be an object like { replication: "async", replicas: 2 }`);
  const d = design as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!FIELDS.includes(key)) fail(key, `unknown field (fields: ${FIELDS.join(", ")})`);
  }
  if (!MODES.includes(d.replication as ReplicationChoice)) fail("replication", `must be one of ${MODES.join(", ")}, got ${show(d.replication)}`);
  const mode = d.replication as ReplicationChoice;
  if (!isInt(d.replicas) || d.replicas < 0 || d.replicas > MAX_REPLICAS) fail("replicas", `must be 0-${MAX_REPLICAS}, got ${show(d.replicas)}`);
  const replicas = d.replicas as number;
  if (mode === "none" && replicas > 0) fail("replicas", `must be 0 with replication "none" (one database); pick "async", "sync" or "semi-sync" to use replicas`);
  if ((mode === "async" || mode === "sync" || mode === "semi-sync") && replicas === 0) fail("replicas", `must be at least 1 with replication "${mode}": there is nothing to copy to`);
  if (d.name !== undefined && (typeof d.name !== "string" || d.name.length === 0 || d.name.length > 60)) fail("name", "must be a short string (1-60 characters)");

  if (d.acks !== undefined && mode !== "semi-sync") fail("acks", `only semi-sync counts acks; remove it or use replication "semi-sync"`);
  if (mode === "semi-sync" && (!isInt(d.acks) || d.acks < 1 || d.acks > replicas)) fail("acks", `must be 1-${replicas} (at most the number of replicas), got ${show(d.acks)}`);

  if (d.witness !== undefined && typeof d.witness !== "boolean") fail("witness", `must be true or false, got ${show(d.witness)}`);
  if (d.witness === true && mode !== "quorum") fail("witness", `a witness only votes in quorum replication; remove it or use replication "quorum"`);
  if (mode === "quorum") {
    const voters = 1 + replicas + (d.witness === true ? 1 : 0);
    if (voters < 3) fail("replicas", `a quorum needs at least 3 voters (data nodes + witness), this design has ${voters}`);
    if (d.reads !== undefined && d.reads !== "primary") fail("reads", `quorum reads ask a majority of nodes; leave reads out`);
    if (d.failover !== undefined) fail("failover", `quorum replication has no primary to replace (a majority votes on every write); leave failover out`);
  }

  if (d.reads !== undefined && !READS.includes(d.reads as ReadChoice)) fail("reads", `must be one of ${READS.join(", ")}, got ${show(d.reads)}`);
  if ((d.reads === "replicas" || d.reads === "least-loaded") && replicas === 0) fail("reads", `"${d.reads}" needs at least one replica`);

  if (d.failover !== undefined) {
    if (typeof d.failover !== "object" || d.failover === null || Array.isArray(d.failover)) fail("failover", `must be an object like { electionTimeoutMs: 300 }`);
    const f = d.failover as Record<string, unknown>;
    for (const key of Object.keys(f)) if (!FAILOVER_FIELDS.includes(key)) fail(`failover.${key}`, `unknown field (fields: ${FAILOVER_FIELDS.join(", ")})`);
    if (typeof f.electionTimeoutMs !== "number" || !(f.electionTimeoutMs >= 10 && f.electionTimeoutMs <= 60000)) fail("failover.electionTimeoutMs", `must be 10-60000 ms, got ${show(f.electionTimeoutMs)}`);
    for (const key of ["leases", "fencing"]) if (f[key] !== undefined && typeof f[key] !== "boolean") fail(`failover.${key}`, `must be true or false, got ${show(f[key])}`);
    for (const key of ["leaseMs", "clientRefreshMs"]) if (f[key] !== undefined && !(typeof f[key] === "number" && (f[key] as number) >= 1 && (f[key] as number) <= 60000)) fail(`failover.${key}`, `must be 1-60000 ms, got ${show(f[key])}`);
    if (replicas === 0) fail("failover", `there is no replica to fail over to; add replicas`);
    // A majority of the replica set must be able to vote without the crashed primary.
    if (replicas === 1) fail("failover", `with 1 replica, the survivor of a primary crash is 1 of 2 nodes, never a majority: use at least 2 replicas`);
  }

  if (d.analytics !== undefined && d.analytics !== "primary" && d.analytics !== "replicas") fail("analytics", `must be "primary" or "replicas", got ${show(d.analytics)}`);
  if (d.analytics === "replicas" && (replicas === 0 || mode === "quorum")) fail("analytics", `"replicas" needs a primary with at least one replica`);

  const maxShards = c?.maxShards ?? 8;
  if (d.shards !== undefined && (!isInt(d.shards) || d.shards < 1 || d.shards > 8)) fail("shards", `must be 1-8, got ${show(d.shards)}`);
  if (c && (d.shards as number | undefined ?? 1) > maxShards) fail("shards", `the ${c.id} card fits one replica set: must be 1`);
  if ((d.shards as number | undefined ?? 1) > 1 && mode === "quorum") fail("shards", `each shard here is a primary with replicas: use async, sync or semi-sync with shards`);
  return d as unknown as Architecture;
}

/** A short label for a design: its name, or one built from its choices, "semi-sync(1) ×3 elect 300ms" (×3: three copies of the data). */
export function designLabel(a: Architecture): string {
  if (a.name) return a.name;
  const mode = a.replication === "semi-sync" ? `semi-sync(${a.acks})` : a.replication;
  const parts = [mode, `×${1 + a.replicas}${a.witness ? "+w" : ""}`];
  if (a.failover) parts.push(`elect ${a.failover.electionTimeoutMs}ms`);
  if (a.reads && a.reads !== "primary") parts.push(`reads:${a.reads}`);
  if (a.analytics === "replicas") parts.push("reports:replicas");
  if ((a.shards ?? 1) > 1) parts.push(`${a.shards} shards`);
  return parts.join(" ");
}

/** A runnable scenario of either kind. */
export type BuiltScenario = { kind: "cluster"; scenario: Scenario } | { kind: "sharded"; scenario: ShardedScenario };

/**
 * Merges a (validated) design with a card into a scenario, validated by the engine's own scenario
 * checks. One replica set: db1 is the primary (rack-1), db2.. the replicas (rack-2..), w1 the
 * witness. Shards: s1..sN, each `s<i>-db1..`, keys split into equal ranges of user ids.
 */
export function buildScenario(c: RequirementCard, design: Architecture): BuiltScenario {
  validateArchitecture(design, c);
  return (design.shards ?? 1) > 1 ? { kind: "sharded", scenario: shardedScenario(c, design) } : { kind: "cluster", scenario: clusterScenario(c, design) };
}

function replicationSpec(design: Architecture): ReplicationSpec {
  const spec: ReplicationSpec = { mode: design.replication };
  if (design.replication === "semi-sync") spec.acks = design.acks;
  if (design.failover) spec.failover = { ...design.failover };
  return spec;
}

function clusterScenario(c: RequirementCard, design: Architecture): Scenario {
  const hw = c.hardware ? { workers: c.hardware.workers, serviceTimeMs: c.hardware.serviceTimeMs, ...(c.hardware.queueLimit !== undefined ? { queueLimit: c.hardware.queueLimit } : {}) } : {};
  const quorum = design.replication === "quorum";
  const nodes: NodeSpec[] = Array.from({ length: 1 + design.replicas }, (_, i) => ({
    id: `db${i + 1}`, role: quorum || i === 0 ? "primary" : "replica", domain: `rack-${i + 1}`, ...hw,
  }));
  if (design.witness) nodes.push({ id: "w1", role: "witness", domain: "rack-w" });
  const w = c.workload;
  const workload: WorkloadSpec = {
    opsPerSec: w.opsPerSec, readRatio: w.readRatio, keys: w.keys, writeOp: w.writeOp, timeoutMs: w.timeoutMs,
    readFrom: design.reads ?? "primary",
  };
  if (w.reports) workload.analytics = { ...w.reports, on: design.analytics ?? "primary" };
  const dataNodes = nodes.filter((n) => n.role !== "witness").map((n) => n.id);
  const faults = c.faults.flatMap((f): FaultSpec[] => clusterFaults(f, dataNodes));
  return parseScenario({
    format: 1,
    name: `${c.id}/${slug(designLabel(design))}`,
    description: `${c.title} (requirement card) with the design "${designLabel(design)}".`,
    seed: c.seed,
    durationMs: c.durationMs,
    nodes,
    replication: replicationSpec(design),
    network: c.network,
    workload,
    faults,
  });
}

function clusterFaults(f: CardFault, dataNodes: string[]): FaultSpec[] {
  const timing = { atMs: f.atMs, ...(f.durationMs !== undefined ? { durationMs: f.durationMs } : {}) };
  switch (f.kind) {
    case "primary-crash": return [{ type: "crash", node: dataNodes[0], ...timing }];
    // Without a replica there is nothing to crash: the design is spared this fault.
    case "replica-crash": return dataNodes.length > 1 ? [{ type: "crash", node: dataNodes[1], ...timing }] : [];
    case "replica-set-down": return dataNodes.map((node): FaultSpec => ({ type: "crash", node, ...timing }));
  }
}

function shardedScenario(c: RequirementCard, design: Architecture): ShardedScenario {
  const shards = design.shards ?? 1;
  const keys = c.workload.keys;
  const ranges = Array.from({ length: shards }, (_, i) => ({ from: Math.floor((i * keys) / shards), to: Math.floor(((i + 1) * keys) / shards) - 1 }));
  const w = c.workload;
  const faults = c.faults.flatMap((f): ShardedFaultSpec[] => {
    const timing = { atMs: f.atMs, ...(f.durationMs !== undefined ? { durationMs: f.durationMs } : {}) };
    switch (f.kind) {
      case "primary-crash": return [{ type: "crash", node: "s1-db1", ...timing }];
      case "replica-crash": return design.replicas > 0 ? [{ type: "crash", node: "s1-db2", ...timing }] : [];
      case "replica-set-down": return [{ type: "shard-down", shard: "s1", atMs: f.atMs, durationMs: f.durationMs }];
    }
  });
  return parseShardedScenario({
    format: 1,
    kind: "sharded",
    name: `${c.id}/${slug(designLabel(design))}`,
    description: `${c.title} (requirement card) with the design "${designLabel(design)}".`,
    seed: c.seed,
    durationMs: c.durationMs,
    keys,
    shards: {
      count: shards,
      partitioning: { strategy: "range", ranges },
      replicaSet: {
        replicas: design.replicas,
        replication: replicationSpec(design),
        ...(c.hardware ? { workers: c.hardware.workers, serviceTimeMs: c.hardware.serviceTimeMs } : {}),
        ...(c.hardware?.queueLimit !== undefined ? { queueLimit: c.hardware.queueLimit } : {}),
      },
    },
    network: c.network,
    workload: { opsPerSec: w.opsPerSec, readRatio: w.readRatio, writeOp: w.writeOp, timeoutMs: w.timeoutMs, readFrom: design.reads ?? "primary" },
    faults,
    windowMs: 250,
  });
}

function slug(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "design";
}

function isInt(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x);
}

function show(x: unknown): string {
  if (x === undefined) return "nothing";
  if (typeof x === "string") return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x);
  if (typeof x === "number" || typeof x === "boolean" || x === null) return String(x);
  return Array.isArray(x) ? "an array" : "an object";
}
