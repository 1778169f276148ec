import { describe, expect, it } from "vitest";
import { CommandKind, CommandLog, type LogEntry } from "../../src/cluster/command-log";

const entry = (index: number, term: number): LogEntry => ({ index, term, op: index, key: 0, kind: CommandKind.Add, arg: 1, createdUs: 0 });

function logOf(terms: number[]): CommandLog {
  const log = new CommandLog();
  terms.forEach((term, i) => log.append(entry(i + 1, term)));
  return log;
}

describe("CommandLog", () => {
  it("knows the term of every index, even after compaction", () => {
    const log = logOf([1, 1, 2, 2, 2, 3]);
    log.compactBefore(5);
    expect(log.firstIndex).toBe(5);
    expect(log.entry(3)).toBeUndefined();
    expect([1, 2, 3, 4, 5, 6, 7].map((i) => log.termAt(i))).toEqual([1, 1, 2, 2, 2, 3, 0]);
  });

  it("refuses to append out of order", () => {
    const log = logOf([1]);
    expect(() => log.append(entry(3, 1))).toThrow(/gap/);
  });

  it("truncates a divergent suffix and its terms", () => {
    const log = logOf([1, 1, 2, 2]);
    expect(log.truncateAfter(2)).toBe(2);
    expect(log.lastIndex).toBe(2);
    expect(log.termAt(3)).toBe(0);
    log.append(entry(3, 3));
    expect(log.termSpans()).toEqual([
      { term: 1, from: 1, to: 2 },
      { term: 3, from: 3, to: 3 },
    ]);
  });

  it("finds the common prefix of two logs by their terms (Log Matching)", () => {
    expect(logOf([1, 1, 2, 2]).commonPrefixWith(logOf([1, 1, 2]))).toBe(3);
    expect(logOf([1, 1, 2, 2]).commonPrefixWith(logOf([1, 1, 3, 3, 3]))).toBe(2);
    expect(logOf([2, 2]).commonPrefixWith(logOf([1, 1]))).toBe(0);
  });

  it("keeps memory flat when compacted as it grows", () => {
    const log = new CommandLog();
    for (let i = 1; i <= 100000; i++) {
      log.append(entry(i, 1));
      if (i % 100 === 0) log.compactBefore(i - 50);
    }
    expect(log.retained).toBeLessThanOrEqual(151);
    expect(log.entry(100000)?.index).toBe(100000);
  });
});
