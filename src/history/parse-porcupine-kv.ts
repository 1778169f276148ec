/**
 * Parse Porcupine's key-value test histories (github.com/anishathalye/porcupine, test_data/kv) into a `History`.
 *
 * One event per line, an EDN map:
 *   {:process 0, :type :invoke, :f :append, :key "4", :value "x 0 1 y"}
 *   {:process 0, :type :ok, :f :get, :key "4", :value "x 0 1 y"}
 * `:f` is `:get` (kind "read"; the `:ok` value is what it returned, "" when the key is absent), `:put`
 * (kind "write") or `:append`; `:type` is `:invoke`, `:ok`, `:fail` (did not happen) or `:info` (unknown).
 * An invocation never completed is unknown (status "info"). Blank lines are skipped; any other line that is
 * not such a map is an error, since these files have no log noise.
 *
 * There are no timestamps: a line's 1-based number stands for its time (`invokeUs`/`completeUs` are line
 * numbers, like the Jepsen etcd parser's).
 */
import type { History, HistoryOp, HistoryOpKind } from "./types";

const KIND_OF_F: Readonly<Record<string, HistoryOpKind>> = { get: "read", put: "write", append: "append" };

type EdnValue = string | number | boolean | null | { keyword: string };

interface KvEvent {
  readonly process: number;
  readonly type: "invoke" | "ok" | "fail" | "info";
  readonly kind: HistoryOpKind;
  readonly key: string;
  readonly value: string | null;
  readonly line: number;
}

/** Parse the text of one file; throws an Error naming the first line that is not a well-formed event. */
export function parsePorcupineKv(text: string): History {
  const history: HistoryOp[] = [];
  const pending = new Map<number, HistoryOp>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].trim() === "") continue;
    const event = parseEvent(lines[index], index + 1);
    if (event.type === "invoke") {
      const op = invocation(event);
      history.push(op);
      pending.set(event.process, op);
      continue;
    }
    const op = pending.get(event.process);
    if (!op) throw new Error(`line ${event.line}: process ${event.process} completes an operation it never invoked`);
    complete(op, event.type, event);
    pending.delete(event.process);
  }
  return history;
}

function invocation(event: KvEvent): HistoryOp {
  return {
    process: event.process,
    kind: event.kind,
    key: event.key,
    input: event.kind === "read" ? null : event.value,
    status: "info",
    invokeUs: event.line,
    completeUs: null,
  };
}

function complete(op: HistoryOp, status: HistoryOp["status"], event: KvEvent): void {
  op.completeUs = event.line;
  op.status = status;
  if (op.kind === "read" && status === "ok") op.output = event.value ?? "";
}

function parseEvent(line: string, lineNumber: number): KvEvent {
  const fields = parseEdnMap(line);
  const problem = (what: string): Error => new Error(`line ${lineNumber}: ${what} in ${JSON.stringify(line.slice(0, 80))}`);
  if (!fields) throw problem("not an EDN map");
  const process = fields.get("process");
  const type = keywordName(fields.get("type"));
  const f = keywordName(fields.get("f"));
  const key = fields.get("key");
  const value = fields.get("value");
  if (typeof process !== "number") throw problem("missing :process number");
  if (type !== "invoke" && type !== "ok" && type !== "fail" && type !== "info") throw problem("bad :type");
  if (f === undefined || !(f in KIND_OF_F)) throw problem("bad :f (expected :get, :put or :append)");
  if (typeof key !== "string") throw problem("missing :key string");
  if (value !== null && value !== undefined && typeof value !== "string") throw problem("bad :value");
  return { process, type, kind: KIND_OF_F[f], key, value: value ?? null, line: lineNumber };
}

function keywordName(value: EdnValue | undefined): string | undefined {
  return typeof value === "object" && value !== null ? value.keyword : undefined;
}

/** The tokens of a flat EDN map: keywords, strings (with escapes), integers, nil/true/false. */
const EDN_TOKEN = /\s*(?:(:[^\s,{}"]+)|"((?:[^"\\]|\\.)*)"|(-?\d+)|(nil|true|false))\s*,?/y;

/** Parse `{:a 1, :b "x"}` (flat, keyword keys) into a map from key name to value; null if it is not one. */
function parseEdnMap(line: string): Map<string, EdnValue> | null {
  const body = /^\s*\{(.*)\}\s*$/.exec(line);
  if (!body) return null;
  const tokens: EdnValue[] = [];
  EDN_TOKEN.lastIndex = 0;
  const text = body[1].trim();
  while (EDN_TOKEN.lastIndex < text.length) {
    const match = EDN_TOKEN.exec(text);
    const value = match ? tokenValue(match) : undefined;
    if (value === undefined) return null;
    tokens.push(value);
  }
  if (tokens.length % 2 !== 0) return null;
  const map = new Map<string, EdnValue>();
  for (let i = 0; i < tokens.length; i += 2) {
    const name = keywordName(tokens[i]);
    if (name === undefined) return null;
    map.set(name, tokens[i + 1]);
  }
  return map;
}

/** The value of one token; undefined for a string whose escapes are not valid. */
function tokenValue(match: RegExpExecArray): EdnValue | undefined {
  const [, keyword, string, integer, literal] = match;
  if (keyword !== undefined) return { keyword: keyword.slice(1) };
  if (string !== undefined) return parseStringLiteral(string);
  if (integer !== undefined) return Number(integer);
  return literal === "nil" ? null : literal === "true";
}

/** EDN string escapes are a subset of JSON's, so JSON can decode them. */
function parseStringLiteral(body: string): string | undefined {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
}
