/**
 * Hand-built event batches for metric tests: rows are written as readable tuples
 * (`["request", 1.5, CLIENT, 7, WRITE, 0]`) or with the small builders below, and `batch(...)` packs
 * them into the columnar `EventBatch` the engine emits.
 */
import { TestScheduler } from "rxjs/testing";
import { expect } from "vitest";
import { ERROR_CODES, EV, EventBatch, FAULT_TYPES, MESSAGE_KINDS, type ErrorCode, type EventNames, type FaultKind, type SimEventType } from "../../src/events";

export const NAMES: EventNames = { actors: ["db1", "db2", "db3", "client-1"], keys: ["k"] };

/** Actor indexes in NAMES. */
export const DB1 = 0;
export const DB2 = 1;
export const DB3 = 2;
export const CLIENT = 3;

/** One row: type, virtual time in ms, then the a, b, c, d columns (0 when left out). */
export type Row = [type: SimEventType, timeMs: number, a?: number, b?: number, c?: number, d?: number];

/** Packs rows (in time order) into one columnar batch. */
export function batch(...rows: Row[]): EventBatch {
  const n = rows.length;
  const cols = { types: new Uint8Array(n), times: new Float64Array(n), a: new Float64Array(n), b: new Float64Array(n), c: new Float64Array(n), d: new Float64Array(n) };
  rows.forEach(([type, timeMs, a = 0, b = 0, c = 0, d = 0], i) => {
    cols.types[i] = EV[type];
    cols.times[i] = Math.round(timeMs * 1000);
    cols.a[i] = a;
    cols.b[i] = b;
    cols.c[i] = c;
    cols.d[i] = d;
  });
  return new EventBatch(n, cols.types, cols.times, cols.a, cols.b, cols.c, cols.d, NAMES);
}

const actor = (name: string) => {
  const i = NAMES.actors.indexOf(name);
  if (i < 0) throw new Error(`no actor ${name}`);
  return i;
};

export const request = (timeMs: number, op: number, kind: "read" | "write" = "write"): Row => ["request", timeMs, CLIENT, op, kind === "write" ? 1 : 0, 0];
export const ok = (timeMs: number, op: number): Row => ["response", timeMs, CLIENT, op, 0, 42];
export const fail = (timeMs: number, op: number, error: ErrorCode = "not-primary"): Row => ["response", timeMs, CLIENT, op, ERROR_CODES.indexOf(error), NaN];
export const timeout = (timeMs: number, op: number): Row => ["timeout", timeMs, CLIENT, op, 0, 0];
export const apply = (timeMs: number, node: string, lagMs: number, behind = 0): Row => ["apply", timeMs, actor(node), 1, lagMs * 1000, behind];
export const crash = (timeMs: number, node: string): Row => ["crash", timeMs, actor(node)];
export const recover = (timeMs: number, node: string): Row => ["recover", timeMs, actor(node)];
export const dataLoss = (timeMs: number, node: string): Row => ["data-loss", timeMs, actor(node)];
export const promote = (timeMs: number, node: string, epoch: number): Row => ["promote", timeMs, actor(node), epoch];
export const demote = (timeMs: number, node: string, epoch: number): Row => ["demote", timeMs, actor(node), epoch];
/** A heartbeat (an empty append) from one database node to another. */
export const heartbeat = (timeMs: number, from: string, to: string): Row => ["send", timeMs, actor(from), actor(to), MESSAGE_KINDS.indexOf("append"), 0];
/** Client traffic that no metric here counts (a request reaching a node). */
export const noise = (timeMs: number): Row => ["received", timeMs, DB1, 999, 1, 0];
export const faultStart = (timeMs: number, id: number, kind: FaultKind, target: string | null): Row => ["fault-start", timeMs, id, FAULT_TYPES.indexOf(kind), target === null ? -1 : actor(target)];
export const faultEnd = (timeMs: number, id: number, kind: FaultKind, target: string | null): Row => ["fault-end", timeMs, id, FAULT_TYPES.indexOf(kind), target === null ? -1 : actor(target)];

/** A TestScheduler that compares with vitest's deep equality. */
export function testScheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}
