import { join } from "path";
import { describe, expect, it } from "vitest";
import { loadAtomicCommitScenarioFile, runAtomicCommit, timeline, type TxnEvent } from "../../../src/txn/commit";
import { commitScenario } from "./helpers";

function eventsOf(file: string): TxnEvent[] {
  return runAtomicCommit(loadAtomicCommitScenarioFile(join(__dirname, "../../../data/scenarios", file)), { recordEvents: true }).events!;
}

describe("the message timeline", () => {
  it("has one lane per node, the coordinator first, and an arrow per message with its send and delivery times", () => {
    const events = runAtomicCommit(commitScenario({ participants: 12, workload: { keys: 12, transactions: [{ atMs: 10, keys: ["k0", "k9", "k11"] }] } }), { recordEvents: true }).events!;
    const t = timeline(events);
    expect(t.lanes).toEqual(["coordinator", ...Array.from({ length: 12 }, (_, i) => `p${i + 1}`)]);
    // Keys k0, k9 and k11 live on p1, p10 and p12: 4 messages each (prepare, vote, commit, ack).
    expect(t.messages).toHaveLength(12);
    const prepare = t.messages.find((m) => m.kind === "prepare" && m.to === "p10")!;
    expect(prepare).toMatchObject({ from: "coordinator", sentMs: 10, txn: 1, droppedMs: null });
    expect(prepare.deliveredMs).toBeGreaterThanOrEqual(11);
    expect(prepare.deliveredMs).toBeLessThanOrEqual(15);
    expect(t.marks.filter((m) => m.label === "commit T1").map((m) => m.node).sort()).toEqual(["p1", "p10", "p12"]);
  });

  it("shows dropped messages without a delivery, and marks the partition on every lane", () => {
    const t = timeline(eventsOf("txn-3pc-partition.json"));
    const lost = t.messages.filter((m) => m.deliveredMs === null);
    expect(lost.length).toBeGreaterThan(0);
    expect(lost.every((m) => m.droppedMs !== null)).toBe(true);
    expect(lost.some((m) => m.kind === "pre-commit" && m.to === "p2")).toBe(true);
    const partitionMarks = t.marks.filter((m) => m.label.startsWith("partition starts"));
    expect(partitionMarks.map((m) => m.node)).toEqual(t.lanes);
    expect(t.marks).toContainEqual(expect.objectContaining({ node: "p2", label: "decide abort T1 (all-uncertain)" }));
    expect(t.marks).toContainEqual(expect.objectContaining({ node: "coordinator", label: "decide commit T1 (all-voted-yes)" }));
  });

  it("marks crashes and restarts, and can keep only one transaction", () => {
    const events = eventsOf("txn-2pc-coordinator-crash.json");
    const all = timeline(events);
    expect(all.marks.filter((m) => m.label === "crash" || m.label === "restart").map((m) => `${m.node} ${m.label}`)).toEqual(["coordinator crash", "coordinator restart"]);
    const t3 = timeline(events, { txn: 3 });
    expect(new Set(t3.messages.map((m) => m.txn))).toEqual(new Set([3]));
    expect(t3.marks.some((m) => m.label === "crash")).toBe(false); // the crash was long before T3
    const t1 = timeline(events, { txn: 1 });
    expect(t1.marks.some((m) => m.label === "crash")).toBe(true);
  });

  it("keeps only a time window when asked", () => {
    const t = timeline(eventsOf("txn-2pc-happy.json"), { fromMs: 100, untilMs: 200 });
    expect(t.messages.every((m) => m.sentMs >= 100 && m.sentMs <= 200)).toBe(true);
    expect(t.lanes).toEqual(["coordinator", "p1", "p2", "p3"]);
  });
});
