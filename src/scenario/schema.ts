import { z } from "zod";
import type { Assert, DeepRequired, MutuallyAssignable } from "./schema-contract";
import { describeValue, quote, quoteAll } from "./errors";
import type { Scenario } from "./types";

/**
 * The SHAPE of a scenario file: which fields exist, their types and their ranges, one field at a time.
 * Rules that relate two fields (ids that must exist, one primary, times within the run) live in
 * `cross-checks.ts` and run only once the shape is right.
 *
 * Every object is strict: an unknown field is an error, so a typo ("rol") never passes silently and
 * leaves the default in force. Numbers must be finite (zod rejects NaN and Infinity).
 *
 * Messages for the common cases come from `shape-check.ts`; a schema names its own message only where
 * it can say something more useful than the generic one.
 */

/** Latest virtual time we accept, in ms (about 31 years): microseconds stay exact integers. */
export const MAX_TIME_MS = 1e12;
export const MAX_NODES = 1000;
export const MAX_EVENTS = 1e9;
export const MAX_OPS_PER_SEC = 1e7;
export const MAX_CLIENTS = 100_000;
/** Longest node, domain or client id. */
export const MAX_ID_LENGTH = 64;
const ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** A node, domain or client id: short, and safe to print in paths, charts and file names. */
const id = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(ID_PATTERN, {
    error: (iss) => `${quote(String(iss.input))} is not a valid id (use only letters, digits and _ . : -)`,
  });

/** A point in time or a duration in ms of virtual time: never negative. */
export const ms = z.number().min(0).max(MAX_TIME_MS);
/** A duration that must be longer than zero (a timeout, a period). */
export const positiveMs = z.number().positive().max(MAX_TIME_MS);
export const probability = z.number().min(0).max(1);
export const positiveInt = z.number().int().min(1);
const key = z.string().min(1).max(256);

/** One option of a discriminated union: a strict object with a literal tag. */
const uniform = z
  .strictObject({ dist: z.literal("uniform"), min: ms, max: ms })
  .refine((d) => d.min <= d.max, {
    path: ["max"],
    error: (iss) => {
      const d = iss.input as { min: number; max: number };
      return `must be >= min (${d.min}), got ${d.max}`;
    },
  });

/** Clocks more than a day off are a typo, not a lesson. */
const MAX_SKEW_MS = 86_400_000;

export const distributionSchema = z.discriminatedUnion("dist", [
  z.strictObject({ dist: z.literal("constant"), value: ms }),
  uniform,
  z.strictObject({ dist: z.literal("exponential"), mean: positiveMs }),
  z.strictObject({ dist: z.literal("lognormal"), mu: z.number(), sigma: z.number().min(0) }),
]);

export const nodeSchema = z.strictObject({
  id,
  role: z.enum(["primary", "replica", "witness"]),
  domain: id.optional(),
  workers: positiveInt.optional(),
  serviceTimeMs: distributionSchema.optional(),
  queueLimit: z.number().int().min(0).optional(),
  clockSkewMs: z.number().min(-MAX_SKEW_MS).max(MAX_SKEW_MS).optional(),
});

/** Modes that later chapters of the course add: named in the error so nobody hunts for a typo. */
const FUTURE_MODES: string[] = [];
const MODES = ["none", "async", "sync", "semi-sync", "multi-master", "quorum"] as const;

export const replicationSchema = z.strictObject({
  mode: z.enum(MODES, {
    error: (iss) =>
      typeof iss.input === "string" && FUTURE_MODES.includes(iss.input)
        ? `${quote(iss.input)} is not supported by this version yet; must be one of ${quoteAll(MODES)}`
        : undefined,
  }),
  acks: positiveInt.optional(),
  fallbackToAsyncAfterMs: positiveMs.optional(),
  heartbeatMs: positiveMs.optional(),
  logRetentionEntries: positiveInt.optional(),
  log: z.enum(["statement", "row"]).optional(),
  failover: z
    .strictObject({
      electionTimeoutMs: positiveMs,
      leases: z.boolean().optional(),
      leaseMs: positiveMs.optional(),
      fencing: z.boolean().optional(),
      clientRefreshMs: positiveMs.optional(),
    })
    .optional(),
  resolution: z.enum(["lww", "reject", "merge"]).optional(),
  readQuorum: positiveInt.optional(),
  writeBack: z.boolean().optional(),
  ballots: z.boolean().optional(),
  proposalTimeoutMs: positiveMs.optional(),
});

export const linkSchema = z.strictObject({
  from: id,
  to: id,
  latencyMs: distributionSchema.optional(),
  lossRate: probability.optional(),
});

export const networkSchema = z.strictObject({
  latencyMs: distributionSchema,
  lossRate: probability.optional(),
  clientLatencyMs: distributionSchema.optional(),
  links: z.array(linkSchema).optional(),
});

export const workloadSchema = z.strictObject({
  opsPerSec: z.number().positive().max(MAX_OPS_PER_SEC).optional(),
  clients: positiveInt.max(MAX_CLIENTS).optional(),
  thinkTimeMs: distributionSchema.optional(),
  readRatio: probability,
  keys: positiveInt,
  writeOp: z.enum(["set", "add"]).optional(),
  readFrom: z.enum(["primary", "replicas", "least-loaded", "any"]).optional(),
  timeoutMs: positiveMs.optional(),
  stopAtMs: ms.optional(),
  analytics: z
    .strictObject({
      queriesPerSec: z.number().positive().max(MAX_OPS_PER_SEC),
      serviceTimeMs: distributionSchema,
      on: z.enum(["primary", "replicas"]),
      timeoutMs: positiveMs.optional(),
    })
    .optional(),
});

/** Fields every client operation of a script may have. */
const clientOp = { atMs: ms, key, node: id.optional(), client: id.optional(), timeoutMs: positiveMs.optional() };

export const scriptOpSchema = z.discriminatedUnion("op", [
  z.strictObject({ ...clientOp, op: z.literal("set"), value: z.number() }),
  z.strictObject({ ...clientOp, op: z.literal("add"), amount: z.number(), floor: z.number().optional() }),
  z.strictObject({ ...clientOp, op: z.literal("get") }),
  z.strictObject({ ...clientOp, op: z.literal("set-now") }),
  z.strictObject({ ...clientOp, op: z.literal("set-random") }),
  z.strictObject({ atMs: ms, op: z.literal("promote"), node: id }),
]);

/** Fields of every fault that happens at one moment (and may be undone after `durationMs`). */
const timed = { atMs: ms, durationMs: positiveMs.optional() };
const link = { from: id, to: id, oneWay: z.boolean().optional() };

export const faultSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...timed, type: z.literal("crash"), node: id }),
  z.strictObject({ ...timed, type: z.literal("restart"), node: id }),
  z.strictObject({ ...timed, type: z.literal("disk-loss"), node: id }),
  z.strictObject({
    ...timed,
    type: z.literal("partition"),
    groups: z
      .array(z.array(id).min(1, { error: "a group needs at least one node" }))
      .min(2, { error: (iss) => `a partition needs at least 2 groups, got ${countOf(iss.input)}` }),
  }),
  z.strictObject({ ...timed, type: z.literal("heal") }),
  z.strictObject({ ...timed, type: z.literal("cut"), ...link }),
  z.strictObject({ ...timed, type: z.literal("restore"), ...link }),
  z.strictObject({ ...timed, type: z.literal("slow"), ...link, latencyMs: distributionSchema }),
  z.strictObject({ ...timed, type: z.literal("domain-failure"), domain: id }),
  z.strictObject({
    type: z.literal("random-crashes"),
    nodes: z.array(id).min(1, { error: "random crashes need at least one node" }),
    mtbfMs: positiveMs,
    mttrMs: positiveMs,
    fromMs: ms.optional(),
    untilMs: ms.optional(),
  }),
]);

export const frontendSchema = z.strictObject({
  loadBalancer: id,
  appServers: z.array(id).min(1, { error: "a frontend needs at least one app server" }),
  healthCheckMs: positiveMs.optional(),
});

export const scenarioSchema = z.strictObject({
  format: z.literal(1, {
    error: (iss) =>
      iss.input === undefined
        ? 'missing required field; write "format": 1 (the version of the scenario format)'
        : `this version reads format 1 only, got ${describeValue(iss.input)}`,
  }),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  seed: z.number().int().min(0),
  durationMs: positiveMs,
  maxEvents: positiveInt.max(MAX_EVENTS).optional(),
  nodes: z
    .array(nodeSchema)
    .min(1, { error: "a cluster needs at least one node" })
    .max(MAX_NODES, { error: (iss) => `too many nodes (${countOf(iss.input)}; at most ${MAX_NODES})` }),
  replication: replicationSchema,
  network: networkSchema,
  frontend: frontendSchema.optional(),
  workload: workloadSchema.optional(),
  script: z.array(scriptOpSchema).optional(),
  faults: z.array(faultSchema).optional(),
});

function countOf(input: unknown): number {
  return Array.isArray(input) ? input.length : 0;
}

// ---- The contract: the validator produces exactly the types of `types.ts`, field for field. ----


type Parsed = z.output<typeof scenarioSchema>;
/** Fails to compile when the schema and `Scenario` disagree (a field, a type, or optional-ness). */
export type SchemaMatchesTypes = [
  Assert<MutuallyAssignable<Parsed, Scenario>>,
  Assert<MutuallyAssignable<DeepRequired<Parsed>, DeepRequired<Scenario>>>,
];
