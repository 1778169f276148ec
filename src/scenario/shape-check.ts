import type { z } from "zod";
import { describeValue, quote, quoteAll, type PathSegment, type Problem } from "./errors";
import { scenarioSchema } from "./schema";
import type { Scenario } from "./types";

/**
 * Runs the zod schema and translates what it finds into plain words. zod's own messages are written
 * for programmers ("Invalid input: expected number, received string"); ours are written for someone
 * editing a JSON file ("expected a number, got a string ("5")"), and never leak zod's wording.
 *
 * The translation happens in zod's per-parse error map, which sees the raw issue together with the
 * offending input and the schema that raised it (for the list of known fields behind "did you mean").
 */

export type ShapeResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

/** Checks the shape of untrusted input: every problem zod finds, each with its exact path. */
export function checkShape(input: unknown): ShapeResult {
  const result = scenarioSchema.safeParse(input, { error: issueMessage });
  if (result.success) return { ok: true, scenario: result.data };
  return { ok: false, problems: result.error.issues.map(toProblem) };
}

/** A final zod issue as a problem. An unknown field is reported AT the field, not at its object. */
export function toProblem(issue: z.core.$ZodIssue): Problem {
  const path: PathSegment[] = issue.path.map((s) => (typeof s === "number" ? s : String(s)));
  if (issue.code === "unrecognized_keys" && issue.keys.length > 0) path.push(issue.keys[0]);
  return { path, problem: issue.message };
}

type RawIssue = z.core.$ZodRawIssue;

/**
 * The message for one raw issue (zod's error map); schemas that name their own message win over it.
 * Every scenario format of the kit (cluster, atomic commit, saga) speaks with these words.
 */
export function issueMessage(iss: RawIssue): string {
  switch (iss.code) {
    case "invalid_type":
      if ((iss.path ?? []).length === 0 && iss.expected === "object") {
        return `a scenario must be a JSON object ({ ... }), got ${describeValue(iss.input)}`;
      }
      return typeMessage(String(iss.expected), iss.input);
    case "invalid_value":
      return oneOfMessage(iss.values, iss.input);
    case "too_small":
      return tooSmallMessage(String(iss.origin), Number(iss.minimum), iss.inclusive !== false, iss.input);
    case "too_big":
      return tooBigMessage(String(iss.origin), Number(iss.maximum), iss.input);
    case "unrecognized_keys":
      return unknownFieldMessage(iss.keys[0] ?? "", iss.inst, iss.input);
    case "invalid_union":
      return unionMessage(iss);
    default:
      return `is not valid (got ${describeValue(iss.input)})`;
  }
}

const EXPECTED: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true or false",
  object: "an object",
  array: "an array",
};

function typeMessage(expected: string, input: unknown): string {
  const wanted = EXPECTED[expected] ?? `a value of type ${expected}`;
  if (input === undefined) return `missing required field (expected ${wanted})`;
  const numeric = expected === "number" || expected === "int";
  if (numeric && typeof input === "number" && !Number.isFinite(input)) return `expected a finite number, got ${input}`;
  return `expected ${wanted}, got ${describeValue(input)}`;
}

function oneOfMessage(values: readonly unknown[], input: unknown): string {
  const allowed = values.length === 1 ? `must be ${quoteAll(values)}` : `must be one of ${quoteAll(values)}`;
  if (input === undefined) return `missing required field; ${allowed}`;
  const hint = typeof input === "string" ? closest(input, values.filter(isString)) : undefined;
  const suggestion = hint === undefined ? "" : `; did you mean ${quote(hint)}?`;
  const got = typeof input === "string" ? quote(input) : describeValue(input);
  return `${allowed} (got ${got}${suggestion})`;
}

function tooSmallMessage(origin: string, minimum: number, inclusive: boolean, input: unknown): string {
  if (origin === "string") return minimum <= 1 ? "must not be empty" : `must be at least ${minimum} characters long`;
  if (origin === "array") return `needs at least ${minimum} item${minimum === 1 ? "" : "s"}, got ${countOf(input)}`;
  if (minimum === 0 && inclusive) return `must not be negative, got ${describeValue(input)}`;
  return `must be ${inclusive ? ">=" : ">"} ${minimum}, got ${describeValue(input)}`;
}

function tooBigMessage(origin: string, maximum: number, input: unknown): string {
  if (origin === "string") return `is too long (${typeof input === "string" ? input.length : "?"} characters; at most ${maximum})`;
  if (origin === "array") return `has too many items (${countOf(input)}; at most ${maximum})`;
  if (maximum === Number.MAX_SAFE_INTEGER) return `is too large to be an exact whole number (at most ${maximum}), got ${describeValue(input)}`;
  return `must be at most ${maximum}, got ${describeValue(input)}`;
}

/** What a discriminator names, for "unknown fault type ..." */
const TAG_NAMES: Readonly<Record<string, string>> = { dist: "distribution", type: "fault type", op: "operation" };

/** A discriminated union whose tag matched no option (zod puts the tag's key at the end of the path). */
function unionMessage(iss: RawIssue & { code: "invalid_union" }): string {
  const options = "options" in iss && Array.isArray(iss.options) ? (iss.options as unknown[]) : [];
  const tag = iss.discriminator;
  if (tag === undefined || options.length === 0) return `does not match any allowed form (got ${describeValue(iss.input)})`;
  const value = isRecord(iss.input) ? iss.input[tag] : undefined;
  const allowed = `must be one of ${quoteAll(options)}`;
  if (value === undefined) return `missing required field; ${allowed}`;
  const what = TAG_NAMES[tag] ?? "kind";
  const hint = typeof value === "string" ? closest(value, options.filter(isString)) : undefined;
  const suggestion = hint === undefined ? "" : ` (did you mean ${quote(hint)}?)`;
  if (typeof value !== "string") return `expected a string naming the ${what}, got ${describeValue(value)}; ${allowed}`;
  return `unknown ${what} ${quote(value)}${suggestion}; ${allowed}`;
}

/** `unknown field (did you mean "role"?)`, or which kind of item lacks that field. */
function unknownFieldMessage(key: string, schema: unknown, input: unknown): string {
  const known = knownFields(schema);
  const hint = closest(key, known);
  if (hint !== undefined) return `unknown field (did you mean ${quote(hint)}?)`;
  const tag = isRecord(input) ? known.find((k) => k in TAG_NAMES && typeof input[k] === "string") : undefined;
  if (tag !== undefined && isRecord(input)) return `unknown field for ${TAG_NAMES[tag]} ${quote(String(input[tag]))}`;
  return "unknown field";
}

/** The field names of the strict object schema that raised an issue. */
function knownFields(schema: unknown): string[] {
  const def: unknown = isRecord(schema) && isRecord(schema._zod) ? schema._zod.def : undefined;
  return isRecord(def) && isRecord(def.shape) ? Object.keys(def.shape) : [];
}

/** Names longer than this get no suggestion (edit distance is quadratic, and they are not typos). */
const MAX_SUGGESTED_LENGTH = 64;

/**
 * The candidate closest to `typed`, when it is close enough to be a typo: case, "_" and "-" are
 * ignored, then up to one edit per three characters (at least one) is allowed.
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  if (typed.length === 0 || typed.length > MAX_SUGGESTED_LENGTH) return undefined;
  const norm = normalize(typed);
  const budget = Math.max(1, Math.floor(norm.length / 3));
  let best: string | undefined;
  let bestDistance = budget + 1;
  for (const candidate of candidates) {
    const d = editDistance(norm, normalize(candidate));
    if (d < bestDistance && d < norm.length) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, "");
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], prev2[j - 2] + 1);
    }
    [prev2, prev] = [prev, row];
  }
  return prev[b.length];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function countOf(input: unknown): number | string {
  return Array.isArray(input) ? input.length : "?";
}
