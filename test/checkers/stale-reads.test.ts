import { describe, expect, it } from "vitest";
import { checkStaleReads } from "../../src/checkers";
import type { HistoryOp } from "../../src/history/types";

const write = (process: number, value: number, invokeUs: number, completeUs: number | null, status: HistoryOp["status"] = "ok"): HistoryOp =>
  ({ process, kind: "write", key: "x", input: value, status, invokeUs, completeUs });
const read = (process: number, value: number | null, invokeUs: number, completeUs: number): HistoryOp =>
  ({ process, kind: "read", key: "x", input: null, output: value, status: "ok", invokeUs, completeUs });

describe("checkStaleReads", () => {
  it("passes a history whose reads all see the latest acknowledged write", () => {
    const result = checkStaleReads([write(0, 1, 0, 1000), read(1, 1, 2000, 3000), write(0, 2, 4000, 5000), read(1, 2, 6000, 7000)]);
    expect(result).toEqual({ valid: true, count: 0, examples: [] });
  });

  it("flags a read of a value overwritten by writes acknowledged before it began, and says how stale", () => {
    const history = [write(0, 1, 0, 1000), write(0, 2, 2000, 3000), write(0, 3, 4000, 5000), read(1, 1, 9000, 9500)];
    const result = checkStaleReads(history);
    expect(result.valid).toBe(false);
    expect(result.count).toBe(1);
    expect(result.examples[0]).toMatchObject({ read: history[3], returnedWrite: history[0], latestAcknowledged: history[2], writesBehind: 2, staleMs: 6 });
    expect(result.examples[0].explanation).toBe(
      "Read of key x by process 1 at 9.0 ms returned 1 (written by process 0), 2 acknowledged writes behind: " +
        "it had been overwritten for 6.0 ms, and the latest acknowledged value was 3 (process 0, acknowledged at 5.0 ms).",
    );
  });

  it("flags a read of the initial value after a write was acknowledged", () => {
    const result = checkStaleReads([write(0, 1, 0, 1000), read(1, null, 3000, 4000)]);
    expect(result.examples[0]).toMatchObject({ returnedWrite: null, writesBehind: 1, staleMs: 2 });
  });

  it("does not flag a read whose value came from a write concurrent with the latest one", () => {
    expect(checkStaleReads([write(0, 1, 0, 5000), write(1, 2, 1000, 2000), read(2, 1, 6000, 7000)]).valid).toBe(true);
  });

  it("does not flag a value written by a write whose outcome is unknown, which may have landed late", () => {
    expect(checkStaleReads([write(0, 1, 0, null, "info"), write(1, 2, 1000, 2000), read(2, 1, 6000, 7000)]).valid).toBe(true);
  });

  it("does not count a failed write as having overwritten anything", () => {
    expect(checkStaleReads([write(0, 1, 0, 1000), write(1, 2, 2000, 3000, "fail"), read(2, 1, 6000, 7000)]).valid).toBe(true);
  });

  it("judges each key separately", () => {
    const onY = { ...write(0, 9, 0, 1000), key: "y" };
    expect(checkStaleReads([write(0, 1, 0, 1000), onY, read(1, 1, 2000, 3000)]).valid).toBe(true);
  });

  it("reports every stale read in the count but at most five examples", () => {
    const reads = Array.from({ length: 7 }, (_, i) => read(1, 1, 10_000 + i * 1000, 10_500 + i * 1000));
    const result = checkStaleReads([write(0, 1, 0, 1000), write(0, 2, 2000, 3000), ...reads]);
    expect(result.count).toBe(7);
    expect(result.examples).toHaveLength(5);
  });
});
