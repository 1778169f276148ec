import { readFileSync } from "fs";
import { z } from "zod";
import { firstInDocumentOrder } from "../../scenario/document-order";
import { quote, ScenarioError, type PathSegment, type Problem } from "../../scenario/errors";
import { findHostileInput } from "../../scenario/hostile";
import { findJsonSyntaxError } from "../../scenario/json-syntax";
import { distributionSchema } from "../../scenario/schema";
import { issueMessage, toProblem } from "../../scenario/shape-check";
import type { Distribution } from "../../scenario/types";
import type { SagaFault } from "./faults";
import { FAULT_TARGETS, type FaultTarget, type SagaKind, type SagaStyle } from "./types";

/**
 * The saga scenario format: plain data for saga experiments, validated like the cluster scenarios
 * (unknown fields rejected, one-line errors that name the exact path, e.g.
 * `saga-food-order.json: faults[1].node: must be one of "orchestrator", ... (got "bnak"; did you mean "bank"?)`).
 *
 * ```json
 * { "format": 1, "kind": "saga", "name": "food-order", "seed": 1, "durationMs": 60000,
 *   "saga": "food-order", "style": "orchestrated", "ordersPerSec": 2,
 *   "faults": [{ "type": "message-loss", "probability": 0.05 }, { "type": "crash", "node": "orchestrator", "atMs": 20000, "durationMs": 3000 }] }
 * ```
 *
 * Broken variants are NOT scenario fields: they are runtime options of `runSagaScenario`, so a scenario
 * file always describes a correct system.
 */
export interface SagaScenario {
  format: 1;
  kind: "saga";
  name: string;
  description?: string;
  seed: number;
  /** Sagas start and faults happen during [0, durationMs); then a fault-free phase lets every saga finish. */
  durationMs: number;
  saga: SagaKind;
  style: SagaStyle;
  /** Food orders per second (default 2). Food order only. */
  ordersPerSec?: number;
  /** Calls per second (default 0.05). Phone call only. */
  callsPerSec?: number;
  /** Customers (default 20), each starting with `balanceRupees` (default 2000). */
  customers?: number;
  balanceRupees?: number;
  /** Price of an order (default 200). Food order only. */
  amountRupees?: number;
  /** Call length: exponential with this mean (default 5 minutes), capped at `callMinutesMax` (default 30). Phone call only. */
  callMinutesMean?: number;
  callMinutesMax?: number;
  restaurant?: { acceptRatio?: number; decisionMs?: Distribution; portions?: number };
  network?: { latencyMs: Distribution };
  /** How long the fault-free phase may last before an unfinished saga counts as a violation. */
  settleMs?: number;
  faults?: SagaFault[];
}

const MAX_TIME_MS = 1e10;
const ms = z.number().min(0).max(MAX_TIME_MS);
const positiveMs = z.number().positive().max(MAX_TIME_MS);
const probability = z.number().min(0).max(1);
const target = z.enum(FAULT_TARGETS);

const faultSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("message-loss"), probability, atMs: ms.optional(), durationMs: positiveMs.optional() }),
  z.strictObject({ type: z.literal("crash"), node: target, atMs: ms, durationMs: positiveMs }),
  z.strictObject({ type: z.literal("random-crashes"), nodes: z.array(target).min(1), mtbfMs: positiveMs, mttrMs: positiveMs }),
  z.strictObject({ type: z.literal("slow"), node: target, extraLatencyMs: distributionSchema, atMs: ms.optional(), durationMs: positiveMs.optional() }),
]);

export const sagaScenarioSchema = z.strictObject({
  format: z.literal(1),
  kind: z.literal("saga"),
  name: z.string().min(1).max(200),
  description: z.string().max(5000).optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  durationMs: positiveMs,
  saga: z.enum(["food-order", "phone-call"]),
  style: z.enum(["orchestrated", "choreographed"]),
  ordersPerSec: z.number().positive().max(1000).optional(),
  callsPerSec: z.number().positive().max(1000).optional(),
  customers: z.number().int().min(1).max(100_000).optional(),
  balanceRupees: z.number().int().min(0).max(1e12).optional(),
  amountRupees: z.number().int().min(1).max(1e9).optional(),
  callMinutesMean: z.number().positive().max(240).optional(),
  callMinutesMax: z.number().int().min(1).max(240).optional(),
  restaurant: z.strictObject({ acceptRatio: probability.optional(), decisionMs: distributionSchema.optional(), portions: z.number().int().min(0).optional() }).optional(),
  network: z.strictObject({ latencyMs: distributionSchema }).optional(),
  settleMs: positiveMs.optional(),
  faults: z.array(faultSchema).max(10_000).optional(),
});

/** Validates parsed JSON (or an object built in code); throws a one-line `ScenarioError` naming the first problem in the file. */
export function parseSagaScenario(value: unknown, file?: string): SagaScenario {
  const hostile = findHostileInput(value);
  const shape = sagaScenarioSchema.safeParse(value, { error: issueMessage });
  const problems: Problem[] = [...(hostile === undefined ? [] : [hostile]), ...(shape.success ? crossCheck(shape.data as SagaScenario) : shape.error.issues.map(toProblem))];
  const first = firstInDocumentOrder(value, problems);
  if (first !== undefined) throw ScenarioError.from(first, file);
  return (shape as { data: SagaScenario }).data;
}

/** Reads, parses and validates a saga scenario file. */
export function loadSagaScenarioFile(path: string): SagaScenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ScenarioError({ file: path, problem: `cannot read the file (${(error as { code?: string }).code ?? "unknown error"})` });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const where = findJsonSyntaxError(text);
    throw new ScenarioError({ file: path, problem: where === undefined ? "invalid JSON" : `invalid JSON at line ${where.line} column ${where.column}: ${where.reason}` });
  }
  return parseSagaScenario(value, path);
}

/** Rules between fields: options that belong to the other saga or style. */
function crossCheck(s: SagaScenario): Problem[] {
  const problems: Problem[] = [];
  const only = (field: keyof SagaScenario, saga: SagaKind, hint: string) => {
    if (s[field] !== undefined && s.saga !== saga) problems.push({ path: [field], problem: `only for saga ${quote(saga)}${hint}` });
  };
  only("ordersPerSec", "food-order", '; a phone-call scenario uses "callsPerSec"');
  only("callsPerSec", "phone-call", '; a food-order scenario uses "ordersPerSec"');
  only("amountRupees", "food-order", " (a call costs 10 rupees a minute)");
  only("callMinutesMean", "phone-call", "");
  only("callMinutesMax", "phone-call", "");
  only("restaurant", "food-order", "");
  (s.faults ?? []).forEach((f, i) => {
    const nodes: FaultTarget[] = f.type === "random-crashes" ? f.nodes : f.type === "message-loss" ? [] : [f.node];
    nodes.forEach((node, j) => {
      const path: PathSegment[] = f.type === "random-crashes" ? ["faults", i, "nodes", j] : ["faults", i, "node"];
      if (node === "orchestrator" && s.style === "choreographed") problems.push({ path, problem: 'a choreographed saga has no orchestrator (its services react to events); target "orders", "bank", "restaurant" or "switch"' });
      if (node === "orders" && s.style === "orchestrated") problems.push({ path, problem: 'the "orders" service exists only in the choreographed style; target "orchestrator" here' });
    });
  });
  return problems;
}

// ---- The contract: the validator produces exactly `SagaScenario`. ----
type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type SagaSchemaMatchesTypes = Assert<Same<z.output<typeof sagaScenarioSchema>, SagaScenario>>;
