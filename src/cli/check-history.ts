/**
 * `replicalab check-history FILE --format jepsen-etcd|porcupine-kv|replicalab [--json] [--timeout-ms N] [--max-steps N]`
 *
 * Checks one recorded history for linearizability and says so, for a person or (with --json) for a script.
 * Formats:
 * - `jepsen-etcd`: a Jepsen etcd log (compare-and-set register), see src/history/parse-jepsen-etcd.ts;
 * - `porcupine-kv`: Porcupine's EDN key-value histories, see src/history/parse-porcupine-kv.ts;
 * - `replicalab`: ONE JSON ARRAY of `HistoryOp` objects (src/history/types.ts), as the engine records them,
 *   checked against replicalab's key-value model (read, write, add with floor, cas).
 * Exit codes (`Exit` in io.ts): 0 linearizable, 1 not linearizable, 3 unknown (step budget or deadline
 * reached), 2 bad arguments or unreadable input (one line on stderr, never a stack trace).
 *
 * The wall-clock deadline lives here, not in the checker (which must stay deterministic): it is handed to
 * the search as a `shouldStop` callback.
 */
import { promises as fs } from "fs";
import { performance } from "perf_hooks";
import {
  casRegisterModel,
  checkLinearizability,
  porcupineKvModel,
  replicalabKvModel,
  type LinearizabilityResult,
  type Model,
} from "../checkers";
import { formatMicros } from "../checkers/values";
import { formatLineTime, parseJepsenEtcdLog } from "../history/parse-jepsen-etcd";
import { parsePorcupineKv } from "../history/parse-porcupine-kv";
import type { History, HistoryOp, HistoryOpKind, OpStatus } from "../history/types";
import { Exit, UsageError, type CommandIO } from "./io";

const FORMATS = ["jepsen-etcd", "porcupine-kv", "replicalab"] as const;
type HistoryFormat = (typeof FORMATS)[number];

/** One line for `replicalab --help` (the command table in main.ts lists each command's usage). */
export const CHECK_HISTORY_USAGE =
  "replicalab check-history FILE --format jepsen-etcd|porcupine-kv|replicalab [--json] [--timeout-ms N] [--max-steps N]";

interface Arguments {
  file: string;
  format: HistoryFormat;
  json: boolean;
  timeoutMs?: number;
  maxSteps?: number;
}

/** Run the command; `argv` holds the arguments AFTER `check-history`. Resolves to the exit code. */
export async function checkHistoryCommand(argv: string[], out: CommandIO): Promise<number> {
  try {
    if (argv.includes("--help") || argv.includes("-h")) {
      out.stdout(`usage: ${CHECK_HISTORY_USAGE}\n`);
      return Exit.Ok;
    }
    const args = parseArguments(argv);
    const history = parseHistory(args, await readInput(args.file));
    const started = performance.now();
    const result = check(history, args, started);
    const elapsedMs = Math.round(performance.now() - started);
    out.stdout(args.json ? `${JSON.stringify(jsonReport(args, history, result, elapsedMs))}\n` : humanReport(args, history, result, elapsedMs));
    return result.valid === true ? Exit.Ok : result.valid === false ? Exit.Invalid : Exit.Unknown;
  } catch (error) {
    // Every failure here is about the user's input or arguments: one line, exit 2, no stack trace.
    out.stderr(`replicalab check-history: ${oneLine(error)}\n`);
    return Exit.BadInput;
  }
}

function parseArguments(argv: readonly string[]): Arguments {
  const files: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      files.push(arg);
      continue;
    }
    const [name, inlineValue] = splitOption(arg);
    if (name === "--json") options.set(name, true);
    else if (name === "--format" || name === "--timeout-ms" || name === "--max-steps") {
      const value = inlineValue ?? argv[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`);
      options.set(name, value);
    } else throw new UsageError(`unknown option ${name}; usage: ${CHECK_HISTORY_USAGE}`);
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? `missing FILE; usage: ${CHECK_HISTORY_USAGE}` : `expected one FILE, got ${files.length}`);
  return {
    file: files[0],
    format: formatOption(options.get("--format")),
    json: options.has("--json"),
    timeoutMs: numberOption("--timeout-ms", options.get("--timeout-ms")),
    maxSteps: numberOption("--max-steps", options.get("--max-steps")),
  };
}

function splitOption(arg: string): [string, string | undefined] {
  const equals = arg.indexOf("=");
  return equals < 0 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
}

function formatOption(value: string | true | undefined): HistoryFormat {
  if (value === undefined) throw new UsageError(`missing --format (one of ${FORMATS.join(", ")})`);
  const format = FORMATS.find((candidate) => candidate === value);
  if (!format) throw new UsageError(`unknown format "${String(value)}" (expected one of ${FORMATS.join(", ")})`);
  return format;
}

function numberOption(name: string, value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isInteger(number) || number < 0) {
    throw new UsageError(`${name} must be a whole number >= 0, got "${String(value)}"`);
  }
  return number;
}

async function readInput(file: string): Promise<string> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : oneLine(error);
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}

function parseHistory(args: Arguments, text: string): History {
  const history = parseByFormat(args, text);
  if (history.length === 0) throw new UsageError(`${args.file} contains no operations in ${args.format} format`);
  return history;
}

function parseByFormat(args: Arguments, text: string): History {
  try {
    if (args.format === "jepsen-etcd") return parseJepsenEtcdLog(text);
    if (args.format === "porcupine-kv") return parsePorcupineKv(text);
    return parseReplicalabJson(text);
  } catch (error) {
    throw new UsageError(`${args.file} is not a valid ${args.format} history: ${oneLine(error)}`);
  }
}

const KINDS: readonly HistoryOpKind[] = ["read", "write", "cas", "append", "add"];
const STATUSES: readonly OpStatus[] = ["ok", "fail", "info"];

/** The `replicalab` format: one JSON array of HistoryOp objects. Checks the fields the checker relies on. */
function parseReplicalabJson(text: string): History {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new UsageError("expected a JSON array of operations");
  return data.map((item: unknown, index) => validateOperation(item, index));
}

function validateOperation(item: unknown, index: number): HistoryOp {
  const op = item as Partial<Record<keyof HistoryOp, unknown>> | null;
  const problem = (what: string): Error => new UsageError(`operation ${index}: ${what}`);
  if (typeof op !== "object" || op === null || Array.isArray(op)) throw problem("is not an object");
  if (typeof op.process !== "number") throw problem("process must be a number");
  if (!KINDS.includes(op.kind as HistoryOpKind)) throw problem(`kind must be one of ${KINDS.join(", ")}`);
  if (typeof op.key !== "string") throw problem("key must be a string");
  if (!STATUSES.includes(op.status as OpStatus)) throw problem(`status must be one of ${STATUSES.join(", ")}`);
  if (typeof op.invokeUs !== "number" || !Number.isFinite(op.invokeUs)) throw problem("invokeUs must be a number");
  if (op.completeUs !== null && typeof op.completeUs !== "number") throw problem("completeUs must be a number or null");
  return op as unknown as HistoryOp;
}

function modelFor(format: HistoryFormat): Model<unknown> {
  if (format === "jepsen-etcd") return casRegisterModel;
  if (format === "porcupine-kv") return porcupineKvModel;
  return replicalabKvModel;
}

/** Times of the Jepsen and Porcupine files are line numbers; replicalab's are microseconds. */
function timeFormatFor(format: HistoryFormat): (time: number) => string {
  return format === "replicalab" ? formatMicros : formatLineTime;
}

function check(history: History, args: Arguments, started: number): LinearizabilityResult {
  const deadline = args.timeoutMs === undefined ? undefined : started + args.timeoutMs;
  try {
    return checkLinearizability(history, modelFor(args.format), {
      maxStepsPerPartition: args.maxSteps,
      shouldStop: deadline === undefined ? undefined : () => performance.now() >= deadline,
      formatTime: timeFormatFor(args.format),
    });
  } catch (error) {
    throw new UsageError(`${args.file} cannot be checked: ${oneLine(error)}`);
  }
}

interface JsonReport {
  valid: true | false | "unknown";
  file: string;
  format: HistoryFormat;
  ops: number;
  partitions: number;
  steps: number;
  elapsedMs: number;
  failure?: LinearizabilityResult["failure"];
  stoppedBy?: LinearizabilityResult["stoppedBy"];
}

function jsonReport(args: Arguments, history: History, result: LinearizabilityResult, elapsedMs: number): JsonReport {
  const report: JsonReport = {
    valid: result.valid,
    file: args.file,
    format: args.format,
    ops: history.length,
    partitions: result.partitions,
    steps: result.steps,
    elapsedMs,
  };
  if (result.failure) report.failure = result.failure;
  if (result.stoppedBy) report.stoppedBy = result.stoppedBy;
  return report;
}

function humanReport(args: Arguments, history: History, result: LinearizabilityResult, elapsedMs: number): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const facts = `${plural(history.length, "operation")}, ${plural(result.partitions, "partition")}, ${plural(result.steps, "search step")}, ${elapsedMs} ms`;
  if (result.valid === true) return `${args.file}: linearizable (${facts})\n`;
  if (result.valid === "unknown") {
    const why = result.stoppedBy === "stop-request" ? "the --timeout-ms deadline passed" : "the step budget ran out";
    return `${args.file}: unknown, ${why} before the search finished (${facts})\n`;
  }
  const failure = result.failure;
  const lines = [`${args.file}: NOT linearizable (${facts})`];
  if (failure) {
    const model = modelFor(args.format);
    lines.push(`  ${failure.explanation}`);
    lines.push(`  longest linearizable prefix: ${plural(failure.longestPrefix.length, "operation")}`);
    lines.push(`  could not come next: ${failure.cannotFollow.map((op) => model.describeOp(op)).join("; ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The first line of an error's message (stack traces are for developers, not for this command's users). */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}
