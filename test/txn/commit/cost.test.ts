import { describe, expect, it } from "vitest";
import { runAtomicCommit, type AtomicCommitSummary } from "../../../src/txn/commit";
import { commitScenario, seeds, sequentialTransactions } from "./helpers";

/**
 * What atomic commitment costs, fault-free. Counts per transaction with n participants (all of them
 * in every transaction here), acknowledgements included:
 *   2PC: prepare, vote, decision, ack = 4n messages, 2 round trips;
 *   3PC: can-commit, vote, pre-commit, pre-commit-ack, do-commit, ack = 6n messages, 3 round trips.
 */
function run(protocol: "2pc" | "3pc", participants: number, seed = 1): AtomicCommitSummary {
  return runAtomicCommit(
    commitScenario({
      protocol,
      participants,
      seed,
      durationMs: 3000,
      network: { latencyMs: { dist: "uniform", min: 1, max: 9 } },
      timeouts: { voteMs: 50, preCommitAckMs: 50, decisionMs: 150 },
      // One transaction at a time, each on every participant: no contention, every vote yes.
      workload: { keys: participants, transactions: sequentialTransactions(25, participants) },
    }),
  ).summary;
}

const SIZES = [1, 2, 3, 5, 8];

/** Mean commit latency over a few seeds, so the trend is not one seed's luck. */
function meanLatency(protocol: "2pc" | "3pc", participants: number): number {
  const means = seeds(5).map((seed) => run(protocol, participants, seed).commitLatencyMs.mean ?? NaN);
  return means.reduce((a, b) => a + b, 0) / means.length;
}

describe("cost per transaction", () => {
  for (const n of SIZES) {
    it(`2PC with ${n} participant(s) sends 4 messages per participant (${4 * n}) in 2 round trips`, () => {
      const s = run("2pc", n);
      expect(s.transactions.committed).toBe(25);
      expect(s.participantsPerTx).toBe(n);
      expect(s.messagesPerTx).toBe(4 * n);
      expect(s.roundTripsPerTx).toBe(2);
    });

    it(`3PC with ${n} participant(s) sends 6 messages per participant (${6 * n}) in 3 round trips`, () => {
      const s = run("3pc", n);
      expect(s.transactions.committed).toBe(25);
      expect(s.messagesPerTx).toBe(6 * n);
      expect(s.roundTripsPerTx).toBe(3);
    });
  }

  it("commit latency grows with the number of participants (the slowest vote sets the pace), in both protocols", () => {
    for (const protocol of ["2pc", "3pc"] as const) {
      const latencies = SIZES.map((n) => meanLatency(protocol, n));
      for (let i = 1; i < latencies.length; i++) {
        expect(latencies[i], `${protocol}: ${SIZES[i]} vs ${SIZES[i - 1]} participants: ${latencies.join(", ")}`).toBeGreaterThan(latencies[i - 1]);
      }
    }
  }, 60_000);

  it("3PC is slower than 2PC at every size: one more round trip before the decision", () => {
    for (const n of SIZES) {
      const twoPc = meanLatency("2pc", n);
      const threePc = meanLatency("3pc", n);
      expect(threePc, `${n} participants: 2PC ${twoPc} ms, 3PC ${threePc} ms`).toBeGreaterThan(twoPc * 1.3);
    }
  }, 60_000);
});
