import { readFileSync } from "fs";
import { firstInDocumentOrder } from "../../scenario/document-order";
import { ScenarioError, type Problem } from "../../scenario/errors";
import { findHostileInput } from "../../scenario/hostile";
import { findJsonSyntaxError } from "../../scenario/json-syntax";
import { crossCheckCommit } from "./scenario-checks";
import { issueMessage, toProblem } from "../../scenario/shape-check";
import { atomicCommitScenarioSchema } from "./scenario-schema";
import type { AtomicCommitScenario } from "./scenario-types";

/**
 * From untrusted data to a validated `AtomicCommitScenario`. Like the cluster scenarios, bad input
 * throws a `ScenarioError`: one line naming the file, the path and the problem, the first problem in
 * document order, e.g. `faults[0].node: "p9" is not a participant (...)`.
 */
export function parseAtomicCommitScenario(value: unknown, file?: string): AtomicCommitScenario {
  const result = validate(value);
  if ("problem" in result) throw ScenarioError.from(result.problem, file);
  return result.scenario;
}

/** True when parsed JSON claims to be an atomic-commit scenario (for a CLI that dispatches on `kind`). */
export function isAtomicCommitScenario(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "atomic-commit";
}

/** Reads, parses and validates an atomic-commit scenario file. */
export function loadAtomicCommitScenarioFile(path: string): AtomicCommitScenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : typeof code === "string" ? code : "unknown error";
    throw new ScenarioError({ file: path, problem: `cannot read the file (${why})` });
  }
  return parseAtomicCommitScenario(parseJson(text, path), path);
}

/** A guard against hostile input, the shape (zod), then the rules between fields, as `src/scenario/load.ts` does. */
function validate(value: unknown): { scenario: AtomicCommitScenario } | { problem: Problem } {
  const hostile = findHostileInput(value);
  const shape = atomicCommitScenarioSchema.safeParse(value, { error: issueMessage });
  if (shape.success && hostile === undefined) {
    const problem = firstInDocumentOrder(value, crossCheckCommit(shape.data));
    return problem === undefined ? { scenario: shape.data } : { problem };
  }
  const problems = [...(hostile === undefined ? [] : [hostile]), ...(shape.success ? [] : shape.error.issues.map(toProblem))];
  return { problem: firstInDocumentOrder(value, problems) ?? { path: [], problem: "is not a valid scenario" } };
}

function parseJson(text: string, path: string): unknown {
  if (text.trim() === "") throw new ScenarioError({ file: path, problem: "the file is empty" });
  try {
    return JSON.parse(text);
  } catch {
    const where = findJsonSyntaxError(text);
    const problem = where === undefined ? "invalid JSON" : `invalid JSON at line ${where.line} column ${where.column}: ${where.reason}`;
    throw new ScenarioError({ file: path, problem });
  }
}
