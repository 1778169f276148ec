import { describe, expect, it } from "vitest";
import type { AtomicCommitScenario, CommitBug } from "../../../src/txn/commit";
import { commitScenario, firstViolatingSeed, seeds } from "./helpers";

/**
 * Checks that can fail: each deliberate bug (a run option, never a scenario field) must be caught by
 * the atomicity checker within 100 seeds, and the same runs without the bug must be clean.
 */
const CATCH_WITHIN_SEEDS = 100;

const VARIANTS: { bug: CommitBug; why: string; scenario: (seed: number) => AtomicCommitScenario }[] = [
  {
    bug: "commit-without-all-votes",
    why: "participants vote no 5% of the time; the coordinator commits on the first yes anyway",
    scenario: (seed) => commitScenario({ name: "no-votes", seed, workload: { txPerSec: 40, keys: 30, keysPerTx: 3, voteNoProbability: 0.05 } }),
  },
  {
    bug: "in-doubt-abort",
    why: "partitions delay the decision past a participant's timeout; it aborts while the others commit",
    scenario: (seed) => commitScenario({ name: "partitions", seed, faults: [{ type: "random-partitions", mtbfMs: 400, mttrMs: 300 }] }),
  },
];

describe("broken variants", () => {
  for (const { bug, why, scenario } of VARIANTS) {
    it(`catches ${bug} within ${CATCH_WITHIN_SEEDS} seeds`, () => {
      const caught = firstViolatingSeed(scenario, seeds(CATCH_WITHIN_SEEDS), { bugs: [bug] });
      expect(caught, `${bug} was never caught in seeds 1..${CATCH_WITHIN_SEEDS}: ${why}`).not.toBeNull();
      expect(caught!.result.atomicity.examples[0].explanation).toMatch(/committed but .* aborted/);
    }, 60_000);

    it(`finds nothing in the same runs without ${bug}`, () => {
      const found = firstViolatingSeed(scenario, seeds(CATCH_WITHIN_SEEDS));
      expect(found, found ? `seed ${found.seed}: ${found.result.atomicity.examples[0].explanation}` : "").toBeNull();
    }, 60_000);
  }
});
