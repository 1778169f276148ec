import { describe, expect, it } from "vitest";
import { parseAtomicCommitScenario, runAtomicCommit, type AtomicCommitScenario, type CommitFaultSpec } from "../../../src/txn/commit";
import { commitScenario, seeds } from "./helpers";

/** One transaction on all three participants at 10 ms, then a quiet network: the cleanest view of blocking. */
function oneTransaction(protocol: "2pc" | "3pc", faults: CommitFaultSpec[], patch: Partial<AtomicCommitScenario> = {}): AtomicCommitScenario {
  return parseAtomicCommitScenario(
    commitScenario({
      protocol,
      durationMs: 2000,
      timeouts: { voteMs: 50, decisionMs: 150, retryMs: 150 },
      workload: { transactions: [{ atMs: 10, keys: ["k0", "k1", "k2"] }] },
      faults,
      ...patch,
    }),
  );
}

describe("blocking", () => {
  it("blockedMs is zero without faults, in both protocols, over 20 seeds (the timeouts cover every delay)", () => {
    for (const protocol of ["2pc", "3pc"] as const) {
      for (const seed of seeds(20)) {
        const { summary } = runAtomicCommit(commitScenario({ protocol, seed, workload: { txPerSec: 60, stopAtMs: 1400, keys: 30, keysPerTx: 3, voteNoProbability: 0.05, onLockConflict: seed % 2 ? "wait" : "vote-no" } }));
        expect(summary.blockedMs, `${protocol} seed ${seed}`).toBe(0);
        expect(summary.transactions.inDoubt, `${protocol} seed ${seed}`).toBe(0);
        expect(summary.inDoubtMs, `${protocol} seed ${seed}`).toBeGreaterThan(0);
      }
    }
  }, 60_000);

  it("a 2PC coordinator crash between the phases blocks every participant, holding its locks, until the coordinator returns", () => {
    const crash: CommitFaultSpec = { type: "crash", node: "coordinator", atPhase: "after-votes", afterMessages: 3, durationMs: 1000 };
    const { summary, outcomes } = runAtomicCommit(oneTransaction("2pc", [crash]));
    // Three participants in doubt for about the second the coordinator is away, minus the 150 ms timeout.
    expect(summary.blockedMs).toBeGreaterThan(3 * (1000 - 150) - 30);
    expect(summary.blockedMs).toBeLessThan(3 * (1000 + 150));
    // The coordinator came back without a decision record: presumed abort.
    expect(summary.abortedBy.presumedAbort).toBe(1);
    expect(outcomes[0].decisions).toEqual({ coordinator: "abort", p1: "abort", p2: "abort", p3: "abort" });
  });

  it("2PC participants stay in doubt to the end of the run when the coordinator never returns, even asking each other", () => {
    const crash: CommitFaultSpec = { type: "crash", node: "coordinator", atPhase: "after-votes", afterMessages: 3 };
    for (const cooperativeTermination of [false, true]) {
      const { summary, outcomes, atomicity } = runAtomicCommit(oneTransaction("2pc", [crash], { cooperativeTermination }));
      expect(summary.transactions.inDoubt, `cooperative ${cooperativeTermination}`).toBe(1);
      expect(outcomes[0].inDoubt).toEqual(["p1", "p2", "p3"]);
      expect(summary.blockedMs).toBeGreaterThan(3 * (2000 - 10 - 150 - 20));
      expect(atomicity.valid).toBe(true);
    }
  });

  it("2PC cooperative termination lets in-doubt participants learn the outcome from a peer the coordinator told", () => {
    const crash: CommitFaultSpec = { type: "crash", node: "coordinator", atPhase: "after-decision-sent", afterMessages: 1, durationMs: 1500 };
    const alone = runAtomicCommit(oneTransaction("2pc", [crash])).summary;
    const together = runAtomicCommit(oneTransaction("2pc", [crash], { cooperativeTermination: true })).summary;
    expect(together.transactions.committed).toBe(1);
    expect(together.blockedMs).toBeLessThan(20);
    expect(alone.blockedMs).toBeGreaterThan(2 * 1000);
    expect(alone.transactions.committed).toBe(1); // the coordinator resends its decision when it returns
  });

  it("3PC participants finish without the coordinator: nobody in doubt at the end, blockedMs small, same outcome everywhere", () => {
    const phases: CommitFaultSpec[] = [
      { type: "crash", node: "coordinator", atPhase: "after-prepare-sent", afterMessages: 2 },
      { type: "crash", node: "coordinator", atPhase: "after-votes", afterMessages: 3 },
      { type: "crash", node: "coordinator", atPhase: "after-precommit-sent", afterMessages: 1 },
      { type: "crash", node: "coordinator", atPhase: "after-decision-sent", afterMessages: 1 },
    ];
    for (const crash of phases) {
      for (const seed of seeds(10)) {
        const where = `${crash.type === "crash" ? crash.atPhase : ""} seed ${seed}`;
        const { summary, atomicity } = runAtomicCommit(oneTransaction("3pc", [crash], { seed }));
        expect(summary.transactions.inDoubt, where).toBe(0);
        expect(atomicity.valid, where).toBe(true);
        // Termination takes a few rounds of 40 ms after the 150 ms timeout, per participant.
        expect(summary.blockedMs, where).toBeLessThan(3 * 4 * 40);
      }
    }
  }, 60_000);

  it("3PC commits without the coordinator once any participant is pre-committed, and aborts when all are uncertain", () => {
    const afterPreCommit = runAtomicCommit(oneTransaction("3pc", [{ type: "crash", node: "coordinator", atPhase: "after-precommit-sent", afterMessages: 1 }]));
    expect(afterPreCommit.outcomes[0].decisions).toEqual({ p1: "commit", p2: "commit", p3: "commit" });
    const afterVotes = runAtomicCommit(oneTransaction("3pc", [{ type: "crash", node: "coordinator", atPhase: "after-votes", afterMessages: 3 }]));
    expect(afterVotes.outcomes[0].decisions).toEqual({ p1: "abort", p2: "abort", p3: "abort" });
  });
});
