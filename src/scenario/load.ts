import { readFileSync, statSync } from "fs";
import { TextDecoder } from "util";
import { crossCheck } from "./cross-checks";
import { firstInDocumentOrder } from "./document-order";
import { describeValue, ScenarioError, type Problem } from "./errors";
import { findHostileInput } from "./hostile";
import { findJsonSyntaxError } from "./json-syntax";
import { checkShape } from "./shape-check";
import type { Scenario } from "./types";

/**
 * The entry points from untrusted data to a validated `Scenario`. Each throws a `ScenarioError`
 * (one line, the first problem in the file) and nothing else for bad input.
 *
 * Validation runs in three passes: a guard against hostile input, the shape (zod), then the rules
 * between fields. The first two run together so that the reported problem is the first in the file
 * whichever pass found it; the third needs a well-typed scenario, so it runs only after them.
 */

/** Validates parsed JSON (or an object built in code) as a scenario; `file` prefixes the error. */
export function parseScenario(value: unknown, file?: string): Scenario {
  const result = validate(value);
  if ("problem" in result) throw ScenarioError.from(result.problem, file);
  return result.scenario;
}

function validate(value: unknown): { scenario: Scenario } | { problem: Problem } {
  const hostile = findHostileInput(value);
  const shape = checkShape(value);
  if (shape.ok && hostile === undefined) {
    const problem = firstInDocumentOrder(value, crossCheck(shape.scenario));
    return problem === undefined ? { scenario: shape.scenario } : { problem };
  }
  // The guard's problem goes first, so it wins a tie (`__proto__` is also an unknown field to zod).
  const problems = [...(hostile === undefined ? [] : [hostile]), ...(shape.ok ? [] : shape.problems)];
  return { problem: firstInDocumentOrder(value, problems) ?? { path: [], problem: "is not a valid scenario" } };
}

/** Reads, parses and validates a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  return parseScenario(parseJson(readText(path), path), path);
}

/**
 * Reads a file and parses it as JSON, with the same one-line errors as `loadScenarioFile` (no such
 * file, not UTF-8, invalid JSON at line L column C). The other scenario kinds validate what it returns.
 */
export function readJsonFile(path: string): unknown {
  return parseJson(readText(path), path);
}

/** Bigger than any scenario written by hand or generated sensibly; reading more would only hang. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Reasons a file cannot be read, by Node's error code, in words (Node's own messages repeat the path). */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOTDIR: "a part of the path is not a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
};

function readText(path: string): string {
  const cannot = (why: string) => new ScenarioError({ file: path, problem: `cannot read the file (${why})` });
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw cannot(READ_ERRORS.EISDIR);
    if (stat.size > MAX_FILE_BYTES) throw cannot(`it is too large: ${stat.size} bytes; at most ${MAX_FILE_BYTES}`);
    bytes = readFileSync(path);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw cannot(typeof code === "string" ? (READ_ERRORS[code] ?? code) : "unknown error");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw cannot("it is not UTF-8 text");
  }
}

/** JSON.parse with a message an instructor can act on: where the mistake is, and what it is. */
function parseJson(text: string, path: string): unknown {
  if (text.trim() === "") {
    throw new ScenarioError({ file: path, problem: `the file is empty${text === "" ? "" : " (only whitespace)"}` });
  }
  try {
    return JSON.parse(text);
  } catch {
    const where = findJsonSyntaxError(text);
    const problem = where === undefined ? "invalid JSON" : `invalid JSON at line ${where.line} column ${where.column}: ${where.reason}`;
    throw new ScenarioError({ file: path, problem });
  }
}

/**
 * The scenario with its seed replaced, e.g. from `--seed N` on the command line, where it arrives as
 * a string. A seed must be a whole number >= 0 that a double holds exactly.
 */
export function withSeed(s: Scenario, seed: unknown): Scenario {
  const parsed = typeof seed === "string" && /^[0-9]+$/.test(seed.trim()) ? Number(seed.trim()) : seed;
  if (typeof parsed !== "number" || !Number.isSafeInteger(parsed) || parsed < 0) {
    throw new ScenarioError({ path: "--seed", problem: `expected a whole number >= 0, got ${describeSeed(seed)}` });
  }
  return { ...s, seed: parsed };
}

/** `"abc"` for strings (as typed), `-1` for numbers: what the user gave, recognisably. */
function describeSeed(seed: unknown): string {
  if (typeof seed === "string") return JSON.stringify(seed.length > 40 ? `${seed.slice(0, 40)}...` : seed);
  return describeValue(seed);
}
