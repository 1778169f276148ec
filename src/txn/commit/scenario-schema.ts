import { z } from "zod";
import type { Assert, DeepRequired, MutuallyAssignable } from "../../scenario/schema-contract";
import { describeValue } from "../../scenario/errors";
import { distributionSchema, ms, positiveInt, positiveMs, probability } from "../../scenario/schema";
import type { AtomicCommitScenario } from "./scenario-types";

/**
 * The SHAPE of an atomic-commit scenario: fields, types and ranges, one field at a time. Rules that
 * relate fields (a fault names a participant that exists, a phase the protocol has) live in
 * `scenario-checks.ts`. Every object is strict: an unknown field is an error, never silently ignored.
 */

/** More participants than this is not a lesson any more, and timelines become unreadable. */
export const MAX_PARTICIPANTS = 100;
export const MAX_KEYS = 1_000_000;
export const MAX_TX_PER_SEC = 100_000;
export const MAX_EVENTS = 1e9;

const count = z.number().int().min(0);
const nodeName = z.string().min(1).max(64);

export const COORDINATOR_PHASES = ["before-prepare", "after-prepare-sent", "after-votes", "after-precommit-sent", "after-decision-sent"] as const;
export const PARTICIPANT_PHASES = ["before-vote", "after-vote", "after-precommit"] as const;
export const PHASES = [...COORDINATOR_PHASES, ...PARTICIPANT_PHASES] as const;
/** Phases measured in messages (`afterMessages`); the others happen once, at one point. */
export const COUNTED_PHASES = ["after-prepare-sent", "after-votes", "after-precommit-sent", "after-decision-sent"] as const;

const trigger = {
  atMs: ms.optional(),
  atPhase: z.enum(PHASES).optional(),
  afterMessages: count.optional(),
  txn: positiveInt.optional(),
  durationMs: positiveMs.optional(),
};

const randomWindow = { fromMs: ms.optional(), untilMs: ms.optional() };

export const commitFaultSchema = z.discriminatedUnion("type", [
  z.strictObject({ ...trigger, type: z.literal("crash"), node: nodeName }),
  z.strictObject({
    ...trigger,
    type: z.literal("partition"),
    groups: z
      .array(z.array(nodeName).min(1, { error: "a group needs at least one node" }))
      .min(2, { error: (iss) => `a partition needs at least 2 groups, got ${Array.isArray(iss.input) ? iss.input.length : 0}` }),
  }),
  z.strictObject({
    type: z.literal("random-crashes"),
    nodes: z.array(nodeName).min(1, { error: "random crashes need at least one node" }),
    mtbfMs: positiveMs,
    mttrMs: positiveMs.optional(),
    ...randomWindow,
  }),
  z.strictObject({ type: z.literal("random-partitions"), mtbfMs: positiveMs, mttrMs: positiveMs, ...randomWindow }),
]);

export const commitWorkloadSchema = z.strictObject({
  txPerSec: z.number().positive().max(MAX_TX_PER_SEC).optional(),
  transactions: z.array(z.strictObject({ atMs: ms, keys: z.array(z.string().min(1).max(64)).min(1) })).optional(),
  keys: positiveInt.max(MAX_KEYS).optional(),
  keysPerTx: positiveInt.optional(),
  stopAtMs: ms.optional(),
  voteNoProbability: probability.optional(),
  onLockConflict: z.enum(["vote-no", "wait"]).optional(),
});

export const commitTimeoutsSchema = z.strictObject({
  voteMs: positiveMs.optional(),
  preCommitAckMs: positiveMs.optional(),
  decisionMs: positiveMs.optional(),
  retryMs: positiveMs.optional(),
  terminationRoundMs: positiveMs.optional(),
});

export const atomicCommitScenarioSchema = z.strictObject({
  format: z.literal(1, {
    error: (iss) =>
      iss.input === undefined
        ? 'missing required field; write "format": 1 (the version of the scenario format)'
        : `this version reads format 1 only, got ${describeValue(iss.input)}`,
  }),
  kind: z.literal("atomic-commit"),
  name: z.string().min(1).max(200),
  description: z.string().optional(),
  seed: z.number().int().min(0),
  durationMs: positiveMs,
  maxEvents: positiveInt.max(MAX_EVENTS).optional(),
  protocol: z.enum(["2pc", "3pc"]),
  participants: positiveInt.max(MAX_PARTICIPANTS),
  cooperativeTermination: z.boolean().optional(),
  network: z.strictObject({ latencyMs: distributionSchema, lossRate: probability.optional() }),
  timeouts: commitTimeoutsSchema.optional(),
  workload: commitWorkloadSchema,
  faults: z.array(commitFaultSchema).optional(),
});

// ---- The contract: the validator produces exactly the types of `scenario-types.ts`. ----

type Parsed = z.output<typeof atomicCommitScenarioSchema>;
/** Fails to compile when the schema and `AtomicCommitScenario` disagree. */
export type CommitSchemaMatchesTypes = [
  Assert<MutuallyAssignable<Parsed, AtomicCommitScenario>>,
  Assert<MutuallyAssignable<DeepRequired<Parsed>, DeepRequired<AtomicCommitScenario>>>,
];
