import { describe, expect, it } from "vitest";
import { checkLostWrites } from "../../src/checkers";
import type { HistoryOp } from "../../src/history/types";

const write = (process: number, key: string, value: number, invokeUs: number, completeUs: number | null, status: HistoryOp["status"] = "ok"): HistoryOp =>
  ({ process, kind: "write", key, input: value, status, invokeUs, completeUs });

describe("checkLostWrites against a final log", () => {
  const history = [write(0, "x", 1, 0, 10), write(1, "x", 2, 20, 30), write(2, "y", 3, 0, 10), write(3, "y", 4, 0, 10, "fail")];

  it("passes when every acknowledged write is in the log", () => {
    const log = [{ key: "x", value: 1 }, { key: "x", value: 2 }, { key: "y", value: 3 }];
    expect(checkLostWrites(history, { log })).toEqual({ valid: true, count: 0, examples: [] });
  });

  it("flags an acknowledged write missing from the log, but not a failed one", () => {
    const result = checkLostWrites(history, { log: [{ key: "x", value: 1 }, { key: "y", value: 3 }] });
    expect(result.count).toBe(1);
    expect(result.examples[0].write).toBe(history[1]);
    expect(result.examples[0].explanation).toBe("Process 1's write of 2 to key x was acknowledged but is not in the final log.");
  });

  it("does not accept the right value under the wrong key", () => {
    expect(checkLostWrites([write(0, "x", 1, 0, 10)], { log: [{ key: "y", value: 1 }] }).valid).toBe(false);
  });
});

describe("checkLostWrites against a final state", () => {
  it("passes when the surviving value is the last write", () => {
    const history = [write(0, "x", 1, 0, 10), write(1, "x", 2, 20, 30)];
    expect(checkLostWrites(history, { state: { x: 2 } }).valid).toBe(true);
  });

  it("flags a write that was overwritten by a write finished before it began", () => {
    const history = [write(0, "x", 1, 0, 10), write(1, "x", 2, 20, 30)];
    const result = checkLostWrites(history, { state: { x: 1 } });
    expect(result).toMatchObject({ valid: false, count: 1 });
    expect(result.examples[0]).toMatchObject({ write: history[1], finalValue: 1 });
    expect(result.examples[0].explanation).toContain("ended with 1, written by process 0 before that write even began");
  });

  it("accepts either survivor of two concurrent writes", () => {
    const history = [write(0, "x", 1, 0, 30), write(1, "x", 2, 10, 20)];
    expect(checkLostWrites(history, { state: { x: 1 } }).valid).toBe(true);
    expect(checkLostWrites(history, { state: { x: 2 } }).valid).toBe(true);
  });

  it("flags every acknowledged write of a key that ended empty", () => {
    const result = checkLostWrites([write(0, "x", 1, 0, 10), write(1, "x", 2, 20, 30)], { state: {} });
    expect(result.count).toBe(2);
    expect(result.examples[0].explanation).toContain("the key ended with no value");
  });

  it("flags writes when the key ended with a value nobody wrote", () => {
    const result = checkLostWrites([write(0, "x", 1, 0, 10)], { state: { x: 99 } });
    expect(result.examples[0].explanation).toContain("which no write wrote");
  });
});
