import { describe, expect, it } from "vitest";
import { sweep } from "../../../src/txn/saga/sweep";
import type { InvariantName } from "../../../src/txn/saga/invariants";
import type { BrokenVariant, SagaKind, SagaStyle } from "../../../src/txn/saga/types";

/** Each broken variant, where it applies, and the invariant that must catch it within 100 seeds. */
const CASES: { broken: BrokenVariant; saga: SagaKind; style: SagaStyle; caughtBy: InvariantName }[] = [
  { broken: "skip-compensation", saga: "food-order", style: "orchestrated", caughtBy: "sagas-end-completed-or-compensated" },
  { broken: "skip-compensation", saga: "food-order", style: "choreographed", caughtBy: "sagas-end-completed-or-compensated" },
  { broken: "skip-compensation", saga: "phone-call", style: "orchestrated", caughtBy: "sagas-end-completed-or-compensated" },
  { broken: "skip-compensation", saga: "phone-call", style: "choreographed", caughtBy: "sagas-end-completed-or-compensated" },
  { broken: "non-idempotent-compensation", saga: "food-order", style: "orchestrated", caughtBy: "money-conserved" },
  { broken: "non-idempotent-compensation", saga: "food-order", style: "choreographed", caughtBy: "money-conserved" },
  { broken: "non-idempotent-compensation", saga: "phone-call", style: "orchestrated", caughtBy: "money-conserved" },
  { broken: "non-idempotent-compensation", saga: "phone-call", style: "choreographed", caughtBy: "money-conserved" },
  { broken: "naive-pivot", saga: "food-order", style: "orchestrated", caughtBy: "confirmed-orders-paid" },
  { broken: "naive-pivot", saga: "food-order", style: "choreographed", caughtBy: "confirmed-orders-paid" },
];

describe("broken variants", () => {
  for (const c of CASES) {
    it(`catches "${c.broken}" in the ${c.style} ${c.saga} within 100 seeds, by ${c.caughtBy}`, () => {
      const report = sweep({ saga: c.saga, style: c.style, seeds: 100, broken: c.broken, stopAtFirstFailure: true });
      expect(report.failures, `"${c.broken}" survived seeds 1..100`).toHaveLength(1);
      const caught = report.failures[0];
      expect(caught.violated, `seed ${caught.seed}: ${caught.example}`).toContain(c.caughtBy);
    });
  }
});
