/**
 * How a scenario problem is reported: one line that names the file, the exact place in it and what
 * is wrong, e.g. `cluster.json: faults[2].node: "db9" is not a node of this cluster`.
 *
 * Scenario files are written by hand, so the reader of these messages is an instructor with a text
 * editor, not a programmer with a debugger: no stack traces, no validator jargon, one problem at a time.
 */

/** One step of a path into the scenario: an object key or an array index. */
export type PathSegment = string | number;

/** A problem found while validating, before it becomes an error (the path is still structured). */
export interface Problem {
  path: readonly PathSegment[];
  problem: string;
}

/** The error every scenario entry point throws for bad input (and the only one it throws for it). */
export class ScenarioError extends Error {
  /** The file the scenario came from, when it came from one. */
  readonly file?: string;
  /** Where the problem is, like `faults[2].node`; "" when it concerns the whole file. */
  readonly path: string;
  /** What is wrong, in plain words. */
  readonly problem: string;

  constructor(details: { problem: string; path?: string; file?: string }) {
    const path = details.path ?? "";
    super(oneLine([details.file, path, details.problem]));
    this.name = "ScenarioError";
    this.path = path;
    this.problem = details.problem;
    if (details.file !== undefined) this.file = details.file;
  }

  /** The error for a structured problem. */
  static from(problem: Problem, file?: string): ScenarioError {
    return new ScenarioError({ problem: problem.problem, path: formatPath(problem.path), file });
  }
}

/** Joins the parts that are present with ": " and escapes line breaks, so a message is always ONE line. */
function oneLine(parts: readonly (string | undefined)[]): string {
  const present = parts.filter((p): p is string => p !== undefined && p !== "");
  return present.join(": ").replace(/[\r\n\u2028\u2029]/g, (c) => JSON.stringify(c).slice(1, -1));
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A path as people write it in JavaScript: `network.links[0].latencyMs`. Keys that are not plain
 * identifiers are quoted (`["my key"]`), so every path names exactly one place and never breaks a line.
 */
export function formatPath(path: readonly PathSegment[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Longest stretch of a user's string quoted in a message; the rest is elided. */
const MAX_QUOTED = 40;

/** A user's string, quoted and escaped for a message: `"db9"`. */
export function quote(text: string): string {
  const short = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}...` : text;
  return JSON.stringify(short);
}

/** A list of allowed values for a message: `"none", "async", "sync"`. */
export function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === "string" ? quote(v) : String(v))).join(", ");
}

/**
 * What a value is, for "expected X, got Y" messages: `a string ("5")`, `-3`, `NaN`, `an array`.
 * Numbers are shown as themselves because the number IS the news ("got -3"); containers by kind only.
 */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return `a string (${quote(value)})`;
    case "number":
      return String(value);
    case "boolean":
      return String(value);
    case "undefined":
      return "nothing";
    case "object":
      return "an object";
    case "bigint":
      return "a bigint";
    case "function":
      return "a function";
    default:
      return `a ${typeof value}`;
  }
}
