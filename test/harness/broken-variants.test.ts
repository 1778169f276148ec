import { describe, expect, it } from "vitest";
import { CATCH_WITHIN_SEEDS, variantName } from "../../src/harness/broken-variants";
import { runTask } from "../../src/harness/pool";
import { BROKEN_VARIANTS, firstCaught } from "./helpers";

/**
 * Checks that can fail: each deliberate bug of src/sim/bugs.ts, switched on in the mode it breaks,
 * must be caught within 100 seeds by one of the invariants expected to catch it.
 */
describe("broken variants", () => {
  for (const variant of BROKEN_VARIANTS) {
    it(`catches ${variantName(variant)} within ${CATCH_WITHIN_SEEDS} seeds`, () => {
      const { seed, outcome } = firstCaught(variant);
      expect(seed, `${variantName(variant)} was never caught: ${variant.why}`).not.toBeNull();
      const fired = [...new Set(outcome!.violations.map((v) => v.invariant))];
      expect(fired.some((name) => variant.caughtBy.includes(name)), `seed ${seed} fired ${fired.join(", ")}, expected one of ${variant.caughtBy.join(", ")}`).toBe(true);
    }, 120_000);
  }

  it(`catches ack-before-replicate with sync by its outcome as well: an acknowledged write lost across a failover within ${CATCH_WITHIN_SEEDS} seeds`, () => {
    // The ack rule catches it on the first write of every seed; losing a write needs a failover.
    let lostAt: number | null = null;
    for (let seed = 1; seed <= CATCH_WITHIN_SEEDS && lostAt === null; seed++) {
      const o = runTask({ mode: "sync", seed, bugs: ["ack-before-replicate"] });
      if (o.violations.some((v) => v.invariant === "no-lost-acknowledged-writes")) lostAt = seed;
    }
    expect(lostAt).not.toBeNull();
  }, 120_000);
});
