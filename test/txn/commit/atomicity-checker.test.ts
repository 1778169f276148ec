import { describe, expect, it } from "vitest";
import { checkAtomicity, outcomesOf, type TxnEvent, type TxnOutcome } from "../../../src/txn/commit";

function outcome(txn: number, decisions: TxnOutcome["decisions"], inDoubt: string[] = []): TxnOutcome {
  return { txn, startMs: 0, participants: ["p1", "p2", "p3"], decisions, inDoubt };
}

describe("the atomicity checker", () => {
  it("accepts transactions decided the same way everywhere", () => {
    const result = checkAtomicity([outcome(1, { coordinator: "commit", p1: "commit", p2: "commit", p3: "commit" }), outcome(2, { p1: "abort", p2: "abort" })]);
    expect(result).toEqual({ valid: true, count: 0, examples: [] });
  });

  it("does not count a participant that never decided (crashed for good, or still in doubt) as a violation", () => {
    const result = checkAtomicity([outcome(1, { coordinator: "commit", p1: "commit" }, ["p2"]), outcome(2, {}, ["p1", "p2", "p3"])]);
    expect(result.valid).toBe(true);
  });

  it("rejects a commit at one node and an abort at another, and says so in words", () => {
    const result = checkAtomicity([outcome(7, { p3: "abort", coordinator: "commit", p1: "commit", p2: "abort" })]);
    expect(result.valid).toBe(false);
    expect(result.count).toBe(1);
    expect(result.examples[0]).toEqual({ txn: 7, committed: ["coordinator", "p1"], aborted: ["p2", "p3"], explanation: "T7: coordinator, p1 committed but p2, p3 aborted" });
  });

  it("counts every violation but shows at most 5 examples", () => {
    const outcomes = Array.from({ length: 8 }, (_, i) => outcome(i + 1, { p1: "commit", p2: "abort" }));
    const result = checkAtomicity(outcomes);
    expect(result.count).toBe(8);
    expect(result.examples.map((e) => e.txn)).toEqual([1, 2, 3, 4, 5]);
  });

  it("reads outcomes from events: the coordinator's decision, each participant's first outcome, and who is still in doubt", () => {
    const events: TxnEvent[] = [
      { type: "txn-start", timeMs: 0, txn: 1, participants: ["p1", "p2"], keys: ["k0", "k1"] },
      { type: "in-doubt", timeMs: 1, node: "p1", txn: 1 },
      { type: "in-doubt", timeMs: 1, node: "p2", txn: 1 },
      { type: "decide", timeMs: 2, node: "coordinator", txn: 1, commit: true, reason: "all-voted-yes" },
      { type: "commit", timeMs: 3, node: "p1", txn: 1 },
      { type: "abort", timeMs: 4, node: "p1", txn: 1 }, // a later, conflicting outcome is not its outcome
    ];
    expect(outcomesOf(events)).toEqual([{ txn: 1, startMs: 0, participants: ["p1", "p2"], decisions: { coordinator: "commit", p1: "commit" }, inDoubt: ["p2"] }]);
  });
});
