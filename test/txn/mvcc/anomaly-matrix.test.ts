import { describe, expect, it } from "vitest";
import { ANOMALIES, ANOMALY_IDS } from "../../../src/txn/mvcc/anomalies";
import { anomalyMatrix, BERENSON_TABLE, runAnomaly } from "../../../src/txn/mvcc/anomaly-matrix";
import { ISOLATION_LEVELS } from "../../../src/txn/mvcc/types";

describe("the anomaly matrix (Berenson et al. 1995)", () => {
  for (const level of ISOLATION_LEVELS) {
    for (const anomaly of ANOMALY_IDS) {
      const possible = BERENSON_TABLE[level][anomaly];
      it(`${level} ${possible ? "allows" : "prevents"} ${anomaly} (${ANOMALIES[anomaly].name})`, () => {
        const { cell, run } = runAnomaly(anomaly, level);
        const trace = run.trace.map((e) => `${e.op} ${e.outcome}: ${e.detail}`).join("\n");
        expect(cell.happened, `${level} ${anomaly}: ${cell.how}\n${trace}`).toBe(possible);
        expect(cell.how.length).toBeGreaterThan(10);
      });
    }
  }

  it("lists every level and every anomaly once, with one sentence per cell", () => {
    const matrix = anomalyMatrix();
    expect(matrix.levels).toEqual(["RU", "RC", "RR", "SI", "SER"]);
    expect(matrix.anomalies).toEqual(["P0", "P1", "P4", "P2", "A3", "A5A", "A5B"]);
    expect(matrix.cells).toHaveLength(35);
    for (const cell of matrix.cells) {
      expect(cell.happened).toBe(BERENSON_TABLE[cell.level][cell.anomaly]);
      expect(cell.how).not.toMatch(/\n/);
    }
  });

  it("explains a dirty read with the rolled-back value", () => {
    expect(runAnomaly("P1", "RU").cell.how).toBe("T2 read x=10 that T1 later rolled back");
  });

  it("names the mechanism that prevented an anomaly", () => {
    expect(runAnomaly("P4", "RR").cell.how).toMatch(/deadlock/);
    expect(runAnomaly("P4", "SI").cell.how).toMatch(/first committer wins/);
    expect(runAnomaly("A5B", "SER").cell.how).toMatch(/dangerous structure/);
    expect(runAnomaly("P2", "RR").cell.how).toMatch(/waited for T1's lock on x/);
  });

  it("gives the same matrix on every run", () => {
    expect(anomalyMatrix()).toEqual(anomalyMatrix());
  });
});
