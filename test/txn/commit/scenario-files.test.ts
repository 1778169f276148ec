import { readdirSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { loadAtomicCommitScenarioFile, runAtomicCommit, type AtomicCommitResult } from "../../../src/txn/commit";

const DIR = join(__dirname, "../../../data/scenarios");
const FILES = readdirSync(DIR).filter((f) => /^txn-.*\.json$/.test(f)).sort();

function run(file: string): AtomicCommitResult {
  return runAtomicCommit(loadAtomicCommitScenarioFile(join(DIR, file)));
}

/**
 * Golden event hashes of the shipped scenarios, recorded on Node 20. A change means the engine's
 * behaviour (or its event encoding) changed: if that was meant, re-record them; if not, it is a bug.
 */
const GOLDEN_HASHES: Readonly<Record<string, string>> = {
  "txn-2pc-coordinator-crash.json": "db2cf2f870355f48",
  "txn-2pc-happy.json": "5fc19cfecac6d472",
  "txn-3pc-coordinator-crash.json": "bff4d6e017e4be49",
  "txn-3pc-partition.json": "6e0adae53973bdc9",
};

describe("shipped atomic-commit scenarios", () => {
  it("are the four the course uses", () => {
    expect(FILES).toEqual(Object.keys(GOLDEN_HASHES).sort());
  });

  for (const file of FILES) {
    it(`${file} loads, explains itself and runs to its golden event hash`, () => {
      const scenario = loadAtomicCommitScenarioFile(join(DIR, file));
      expect(scenario.description?.length ?? 0).toBeGreaterThan(100);
      const { summary } = run(file);
      expect(summary.eventHash, `${file}: the run changed; if on purpose, update GOLDEN_HASHES`).toBe(GOLDEN_HASHES[file]);
    });
  }

  it("txn-2pc-happy.json commits nearly everything, never blocks and never disagrees", () => {
    const { summary } = run("txn-2pc-happy.json");
    expect(summary.transactions.committed).toBeGreaterThan(200);
    expect(summary.transactions.inDoubt).toBe(0);
    expect(summary.blockedMs).toBe(0);
    expect(summary.atomicityViolations).toBe(0);
  });

  it("txn-2pc-coordinator-crash.json blocks all three participants until the coordinator returns, then presumes abort", () => {
    const { summary, outcomes } = run("txn-2pc-coordinator-crash.json");
    expect(summary.blockedMs).toBeGreaterThan(2500);
    expect(summary.transactions).toMatchObject({ refused: 1, committed: 1, aborted: 1, inDoubt: 0 });
    expect(outcomes[0].decisions).toEqual({ coordinator: "abort", p1: "abort", p2: "abort", p3: "abort" });
  });

  it("txn-3pc-coordinator-crash.json: the participants commit without the coordinator and nobody stays in doubt", () => {
    const { summary, outcomes, safetyConditions } = run("txn-3pc-coordinator-crash.json");
    expect(outcomes[0].decisions).toEqual({ p1: "commit", p2: "commit", p3: "commit" });
    expect(summary.transactions.inDoubt).toBe(0);
    expect(safetyConditions.threePhaseCommitSafe).toBe(true);
  });

  it("txn-3pc-partition.json: the coordinator's side commits and the other side aborts, and the checker says so", () => {
    const { atomicity, safetyConditions } = run("txn-3pc-partition.json");
    expect(atomicity.valid).toBe(false);
    expect(atomicity.examples[0].explanation).toBe("T1: coordinator, p1 committed but p2, p3 aborted");
    expect(safetyConditions.noPartitions).toBe(false);
  });
});
