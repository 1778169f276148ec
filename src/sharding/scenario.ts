import { z } from "zod";
import { crossCheck as clusterCrossCheck } from "../scenario/cross-checks";
import { firstInDocumentOrder } from "../scenario/document-order";
import { quote, ScenarioError, type PathSegment, type Problem } from "../scenario/errors";
import { findHostileInput } from "../scenario/hostile";
import { readJsonFile } from "../scenario/load";
import { distributionSchema, faultSchema, ms, networkSchema, positiveInt, positiveMs, probability, replicationSchema } from "../scenario/schema";
import { issueMessage, toProblem } from "../scenario/shape-check";
import { shardNames, shardNodeIds, shardOfNode, shardScenario } from "./shard-scenario";
import type { ShardedFaultSpec, ShardedScenario } from "./types";

/**
 * Validation of sharded scenarios: the shape with zod (strict objects, the cluster format's own
 * field schemas reused: replication, network, faults, distributions), then the rules between fields
 * (ranges that tile the key space, node ids that exist, a shard's replica set that the cluster
 * engine accepts). Errors are one line naming the path, e.g.
 * `shard-ranges.json: shards.partitioning.ranges[1].from: must be 101 (right after the previous range, which ends at 100), got 150`.
 */

const MAX_SHARDS = 64;
const MAX_KEYS = 1_000_000;
const MAX_REPLICAS = 8;

const partitioningSchema = z.discriminatedUnion("strategy", [
  z.strictObject({ strategy: z.literal("range"), ranges: z.array(z.strictObject({ from: z.number().int().min(0), to: z.number().int().min(0) })).min(1) }),
  z.strictObject({ strategy: z.literal("hash") }),
  z.strictObject({ strategy: z.literal("consistent-hash"), virtualNodes: positiveInt.max(10_000) }),
]);

const shardDownSchema = z.strictObject({ type: z.literal("shard-down"), shard: z.string().min(1).max(16), atMs: ms, durationMs: positiveMs.optional() });

export const shardedScenarioSchema = z.strictObject({
  format: z.literal(1),
  kind: z.literal("sharded"),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  durationMs: positiveMs,
  keys: positiveInt.max(MAX_KEYS),
  shards: z.strictObject({
    count: positiveInt.max(MAX_SHARDS),
    partitioning: partitioningSchema,
    replicaSet: z.strictObject({
      replicas: z.number().int().min(0).max(MAX_REPLICAS).optional(),
      replication: replicationSchema,
      workers: positiveInt.optional(),
      serviceTimeMs: distributionSchema.optional(),
      queueLimit: z.number().int().min(0).optional(),
    }),
  }),
  network: networkSchema,
  workload: z
    .strictObject({
      opsPerSec: z.number().positive().max(1e6),
      readRatio: probability,
      distribution: z.discriminatedUnion("type", [z.strictObject({ type: z.literal("uniform") }), z.strictObject({ type: z.literal("zipf"), exponent: z.number().positive().max(10) })]).optional(),
      writeOp: z.enum(["set", "add"]).optional(),
      readFrom: z.enum(["primary", "replicas", "least-loaded", "any"]).optional(),
      timeoutMs: positiveMs.optional(),
      stopAtMs: ms.optional(),
      maxRetries: z.number().int().min(0).max(100).optional(),
      retryBackoffMs: positiveMs.optional(),
    })
    .optional(),
  faults: z.array(z.discriminatedUnion("type", [...faultSchema.options, shardDownSchema])).max(10_000).optional(),
  rebalance: z.strictObject({ addShardAtMs: ms, moveMsPerKey: ms.optional(), parallelMoves: positiveInt.max(10_000).optional() }).optional(),
  transfers: z
    .strictObject({
      perSec: z.number().positive().max(10_000),
      accounts: z.number().int().min(2).max(MAX_KEYS).optional(),
      initialBalance: z.number().int().min(0).max(1e12).optional(),
      amount: z.number().int().min(1).max(1e9).optional(),
      protocol: z.literal("2pc"),
      stopAtMs: ms.optional(),
    })
    .optional(),
  windowMs: positiveMs.optional(),
  maxEvents: positiveInt.max(1e9).optional(),
});

/** Validates parsed JSON (or an object built in code); throws a one-line `ScenarioError` naming the first problem in the file. */
export function parseShardedScenario(value: unknown, file?: string): ShardedScenario {
  const hostile = findHostileInput(value);
  const shape = shardedScenarioSchema.safeParse(value, { error: issueMessage });
  const problems: Problem[] = [...(hostile === undefined ? [] : [hostile]), ...(shape.success ? crossCheck(shape.data as ShardedScenario) : shape.error.issues.map(toProblem))];
  const first = firstInDocumentOrder(value, problems);
  if (first !== undefined) throw ScenarioError.from(first, file);
  return (shape as { data: ShardedScenario }).data;
}

/** Reads, parses and validates a sharded scenario file. */
export function loadShardedScenarioFile(path: string): ShardedScenario {
  return parseShardedScenario(readJsonFile(path), path);
}

/** Rules between fields, each reported at the field to fix. */
export function crossCheck(s: ShardedScenario): Problem[] {
  return [...checkPartitioning(s), ...checkReplicaSet(s), ...checkLinks(s), ...checkWorkload(s), ...checkFaults(s), ...checkRebalance(s), ...checkTransfers(s)];
}

function at(path: PathSegment[], problem: string): Problem {
  return { path, problem };
}

/** Ranges tile 0 .. keys-1 in order, one per shard; every shard must be able to own a key. */
function checkPartitioning(s: ShardedScenario): Problem[] {
  const p = s.shards.partitioning;
  if (s.shards.count > s.keys) return [at(["shards", "count"], `${s.shards.count} shards for ${s.keys} keys: every shard needs at least one key`)];
  if (p.strategy !== "range") return [];
  const base: PathSegment[] = ["shards", "partitioning", "ranges"];
  if (p.ranges.length !== s.shards.count) return [at(base, `needs exactly one range per shard (${s.shards.count}), got ${p.ranges.length}`)];
  const problems: Problem[] = [];
  p.ranges.forEach((r, i) => {
    const expectedFrom = i === 0 ? 0 : p.ranges[i - 1].to + 1;
    if (r.from !== expectedFrom) {
      const why = i === 0 ? "the first range starts at key 0" : `right after the previous range, which ends at ${p.ranges[i - 1].to}`;
      problems.push(at([...base, i, "from"], `must be ${expectedFrom} (${why}), got ${r.from}`));
    }
    if (r.to < r.from) problems.push(at([...base, i, "to"], `must be >= from (${r.from}), got ${r.to}`));
  });
  const last = p.ranges[p.ranges.length - 1];
  if (last.to !== s.keys - 1) problems.push(at([...base, p.ranges.length - 1, "to"], `the last range must end at the last key, ${s.keys - 1} (keys is ${s.keys}), got ${last.to}`));
  return problems;
}

/** The replica set is a cluster: let the cluster format's own rules judge it (acks vs replicas, failover...). */
function checkReplicaSet(s: ShardedScenario): Problem[] {
  const shard = shardScenario({ ...s, faults: [], network: { ...s.network, links: [] } }, "s1", s.durationMs);
  return clusterCrossCheck(shard)
    .filter((p) => p.path[0] === "replication" || (p.path[0] === "workload" && p.path[1] === "readFrom"))
    .map((p) => (p.path[0] === "replication" ? at(["shards", "replicaSet", ...p.path], p.problem) : at(["workload", "readFrom"], p.problem)));
}

/** Links connect two nodes of one shard (shards share no network: only the router talks to them). */
function checkLinks(s: ShardedScenario): Problem[] {
  const nodes = allNodes(s);
  return (s.network.links ?? []).flatMap((l, i) => {
    for (const end of ["from", "to"] as const) if (!nodes.has(l[end])) return [at(["network", "links", i, end], notANode(s, l[end]))];
    return shardOfNode(l.from) === shardOfNode(l.to) ? [] : [at(["network", "links", i, "to"], `${quote(l.to)} is in another shard than ${quote(l.from)}; shards do not talk to each other`)];
  });
}

function checkWorkload(s: ShardedScenario): Problem[] {
  const w = s.workload;
  const problems: Problem[] = [];
  if (w?.stopAtMs !== undefined && w.stopAtMs > s.durationMs) problems.push(at(["workload", "stopAtMs"], `must be within the run (durationMs ${s.durationMs}), got ${w.stopAtMs}`));
  if (!w && !s.transfers) problems.push(at(["workload"], "a sharded scenario needs a workload or transfers"));
  return problems;
}

function checkFaults(s: ShardedScenario): Problem[] {
  const nodes = allNodes(s);
  const shards = new Set(shardNames(s));
  return (s.faults ?? []).flatMap((f, i) => {
    const base: PathSegment[] = ["faults", i];
    const problems: Problem[] = [];
    if ("atMs" in f && f.atMs >= s.durationMs) problems.push(at([...base, "atMs"], `must be before the end of the run (durationMs ${s.durationMs}), got ${f.atMs}`));
    if (f.type === "shard-down" && !shards.has(f.shard)) problems.push(at([...base, "shard"], `${quote(f.shard)} is not a shard (shards are ${[...shards].join(", ")})`));
    if (f.type === "domain-failure") problems.push(at([...base, "type"], 'shard nodes have no failure domains; use "shard-down" to take a whole replica set down'));
    for (const [path, id] of nodeRefs(f)) if (!nodes.has(id)) problems.push(at([...base, ...path], notANode(s, id)));
    if (f.type === "partition") {
      const touched = new Set(f.groups.flat().map(shardOfNode));
      if (touched.size > 1) problems.push(at([...base, "groups"], "a partition must lie inside one shard (shards share no network)"));
    }
    return problems;
  });
}

/** The node ids a fault names, with their paths inside the fault. */
function nodeRefs(f: ShardedFaultSpec): [PathSegment[], string][] {
  switch (f.type) {
    case "crash":
    case "restart":
    case "disk-loss":
      return [[["node"], f.node]];
    case "cut":
    case "restore":
    case "slow":
      return [[["from"], f.from], [["to"], f.to]];
    case "partition":
      return f.groups.flatMap((g, i) => g.map((id, j): [PathSegment[], string] => [["groups", i, j], id]));
    case "random-crashes":
      return f.nodes.map((id, j): [PathSegment[], string] => [["nodes", j], id]);
    default:
      return [];
  }
}

function checkRebalance(s: ShardedScenario): Problem[] {
  const r = s.rebalance;
  if (!r) return [];
  const problems: Problem[] = [];
  if (r.addShardAtMs >= s.durationMs) problems.push(at(["rebalance", "addShardAtMs"], `must be before the end of the run (durationMs ${s.durationMs}), got ${r.addShardAtMs}`));
  if (s.shards.count + 1 > s.keys) problems.push(at(["rebalance"], `no key left for a new shard (${s.keys} keys, ${s.shards.count} shards)`));
  const mode = s.shards.replicaSet.replication.mode;
  if (mode === "multi-master" || mode === "quorum") problems.push(at(["rebalance"], `moving keys copies them from the source shard's primary; mode ${quote(mode)} has none`));
  return problems;
}

function checkTransfers(s: ShardedScenario): Problem[] {
  const t = s.transfers;
  if (!t) return [];
  const problems: Problem[] = [];
  if (s.shards.count < 2) problems.push(at(["shards", "count"], "transfers between shards need at least 2 shards"));
  if (t.accounts !== undefined && t.accounts > s.keys) problems.push(at(["transfers", "accounts"], `must be at most keys (${s.keys}), got ${t.accounts}`));
  if (s.workload && s.workload.readRatio < 1) problems.push(at(["workload", "readRatio"], "with transfers, the workload may only read (1): its writes would change the balances the transfers conserve"));
  if (s.workload?.readFrom !== undefined && s.workload.readFrom !== "primary") problems.push(at(["workload", "readFrom"], 'with transfers, reads go to the primary ("primary"): a transfer reads a balance before it writes it'));
  const mode = s.shards.replicaSet.replication.mode;
  if (mode === "multi-master" || mode === "quorum") problems.push(at(["shards", "replicaSet", "replication", "mode"], `transfers need a single primary per shard; got ${quote(mode)}`));
  return problems;
}

/** Every node id of the run (including the shard a rebalance adds). */
function allNodes(s: ShardedScenario): Set<string> {
  return new Set(shardNames(s).flatMap((shard) => shardNodeIds(s, shard)));
}

function notANode(s: ShardedScenario, id: string): string {
  const names = shardNames(s);
  const size = 1 + (s.shards.replicaSet.replicas ?? 0);
  return `${quote(id)} is not a node of this sharded cluster (nodes are ${names[0]}-db1 .. ${names[names.length - 1]}-db${size})`;
}

// ---- The contract: the validator produces exactly `ShardedScenario`. ----
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type ShardedSchemaMatchesTypes = Assert<Same<z.output<typeof shardedScenarioSchema>, ShardedScenario>>;
