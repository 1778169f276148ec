import { describe, expect, it } from "vitest";
import { chaos2pc } from "./chaos";
import { seeds, sum, violationsOver } from "./helpers";

/**
 * 2PC under everything the engine can throw at it (see `chaos2pc`). 2PC may block (participants in
 * doubt for a long time, some still in doubt at the end), but it must never let one node commit a
 * transaction that another aborted.
 */

describe("two-phase commit", () => {
  it("never commits at one node and aborts at another over 200 seeds of crashes, restarts, partitions, loss and unbounded delay", () => {
    const { lines, results } = violationsOver("chaos2pc", chaos2pc, seeds(200));
    expect(lines, lines.join("\n")).toEqual([]);
    // Not vacuous: transactions commit and abort, and the faults do block participants.
    expect(sum(results.map((r) => r.summary.transactions.committed))).toBeGreaterThan(1000);
    expect(sum(results.map((r) => r.summary.transactions.aborted))).toBeGreaterThan(1000);
    expect(sum(results.map((r) => r.summary.blockedMs))).toBeGreaterThan(0);
    expect(sum(results.map((r) => r.summary.transactions.inDoubt))).toBeGreaterThan(0);
  }, 60_000);
});
