import { describe, expect, test } from "vitest";
import { card, grade, gradeText, type Measurements, type RunFacts } from "../../src/capstone";

const facts: RunFacts = {
  kind: "cluster", errors: {}, atRiskWrites: 0,
  failovers: 1, falseFailovers: 0, downtimeMs: 800, detectionMs: 500, electionMs: 10, lagP99MsMax: 20,
  reportsAttempted: 0, reportsFailed: 0, shardAvailability: {},
};
const measured: Measurements = {
  lostAcknowledgedWrites: 0, staleReads: 0, availability: 0.95, writeP99Ms: 30, readP99Ms: 2, stalenessMsMax: 0,
  reportsCompletedRatio: null, opsPerSec: 280, outageFailedRatio: null,
};

describe("grade", () => {
  test("a run inside every bound passes, requirement by requirement", () => {
    const g = grade(card("bank-ledger"), { architecture: { replication: "semi-sync", acks: 1, replicas: 2 }, label: "good", measured, facts });
    expect(g.passed).toBe(true);
    expect(g.results.map((r) => r.passed)).toEqual([true, true, true, true]);
    expect(g.results.every((r) => r.explanation === "")).toBe(true);
  });

  test("lost payments under async are explained by when it acknowledges and when the primary crashed", () => {
    const g = grade(card("bank-ledger"), { architecture: { replication: "async", replicas: 2 }, label: "async", measured: { ...measured, lostAcknowledgedWrites: 2 }, facts });
    expect(g.passed).toBe(false);
    const lost = g.results[0];
    expect(lost.passed).toBe(false);
    expect(lost.verdict).toBe("2 (needs ≤ 0)");
    expect(lost.explanation).toContain("2 acknowledged writes were lost: async replication acknowledged them before any replica had them, and the primary crashed at 4000 ms");
  });

  test("bounds are inclusive", () => {
    const g = grade(card("bank-ledger"), { architecture: { replication: "semi-sync", acks: 1, replicas: 2 }, label: "edge", measured: { ...measured, availability: 0.9, writeP99Ms: 100 }, facts });
    expect(g.passed).toBe(true);
  });

  test("a metric the run could not measure fails, and says why", () => {
    const g = grade(card("analytics-warehouse"), { architecture: { replication: "async", replicas: 1, shards: 1 }, label: "x", measured: { ...measured, readP99Ms: 5, writeP99Ms: 5 }, facts });
    const reports = g.results.find((r) => r.requirement.metric === "reportsCompletedRatio")!;
    expect(reports.passed).toBe(false);
    expect(reports.explanation).toBe("no report ran");
  });

  test("gradeText prints one line per requirement and the reason under each failure", () => {
    const g = grade(card("bank-ledger"), { architecture: { replication: "async", replicas: 2 }, label: "async", measured: { ...measured, lostAcknowledgedWrites: 2 }, facts });
    const text = gradeText(g);
    expect(text.split("\n")[0]).toBe('FAIL bank-ledger with "async"');
    expect(text).toContain("✗ no acknowledged payment is ever lost: 2 (needs ≤ 0)");
    expect(text).toContain("why: 2 acknowledged writes were lost");
    expect(text).toContain("✓ at least 90% of requests succeed, crash included: 95.0% (needs ≥ 90.0%)");
  });
});
