import type { z } from "zod";
import { describeValue, quote, quoteAll, type PathSegment, type Problem } from "../../scenario/errors";
import { closest } from "../../scenario/shape-check";

/**
 * zod's findings in plain words for someone editing a JSON file ("expected a number, got a string
 * ("5")"), in the same voice as the cluster scenarios' messages (`src/scenario/shape-check.ts`, whose
 * error map is private; this is its subset for the atomic-commit format).
 */

/** A final zod issue as a problem. An unknown field is reported AT the field, not at its object. */
export function toProblem(issue: z.core.$ZodIssue): Problem {
  const path: PathSegment[] = issue.path.map((s) => (typeof s === "number" ? s : String(s)));
  if (issue.code === "unrecognized_keys" && issue.keys.length > 0) path.push(issue.keys[0]);
  return { path, problem: issue.message };
}

type RawIssue = z.core.$ZodRawIssue;

/** zod's per-parse error map: the message for one raw issue (schemas that name their own message win). */
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
      return unknownFieldMessage(iss.keys[0] ?? "", iss.inst);
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
  if (typeof input === "number" && !Number.isFinite(input)) return `expected a finite number, got ${input}`;
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
  if (origin === "string") return "must not be empty";
  if (origin === "array") return `needs at least ${minimum} item${minimum === 1 ? "" : "s"}, got ${Array.isArray(input) ? input.length : "?"}`;
  if (minimum === 0 && inclusive) return `must not be negative, got ${describeValue(input)}`;
  return `must be ${inclusive ? ">=" : ">"} ${minimum}, got ${describeValue(input)}`;
}

function tooBigMessage(origin: string, maximum: number, input: unknown): string {
  if (origin === "string") return `is too long (at most ${maximum} characters)`;
  if (origin === "array") return `has too many items (at most ${maximum})`;
  return `must be at most ${maximum}, got ${describeValue(input)}`;
}

/** A discriminated union whose tag matched no option: "unknown fault type "crsh" (did you mean ...)". */
function unionMessage(iss: RawIssue & { code: "invalid_union" }): string {
  const options = "options" in iss && Array.isArray(iss.options) ? (iss.options as unknown[]) : [];
  const tag = iss.discriminator;
  if (tag === undefined || options.length === 0) return `does not match any allowed form (got ${describeValue(iss.input)})`;
  const value = isRecord(iss.input) ? iss.input[tag] : undefined;
  const allowed = `must be one of ${quoteAll(options)}`;
  if (value === undefined) return `missing required field; ${allowed}`;
  const what = tag === "dist" ? "distribution" : tag === "type" ? "fault type" : "kind";
  if (typeof value !== "string") return `expected a string naming the ${what}, got ${describeValue(value)}; ${allowed}`;
  const hint = closest(value, options.filter(isString));
  return `unknown ${what} ${quote(value)}${hint === undefined ? "" : ` (did you mean ${quote(hint)}?)`}; ${allowed}`;
}

function unknownFieldMessage(key: string, schema: unknown): string {
  const def: unknown = isRecord(schema) && isRecord(schema._zod) ? schema._zod.def : undefined;
  const known = isRecord(def) && isRecord(def.shape) ? Object.keys(def.shape) : [];
  const hint = closest(key, known);
  return hint === undefined ? "unknown field" : `unknown field (did you mean ${quote(hint)}?)`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}
