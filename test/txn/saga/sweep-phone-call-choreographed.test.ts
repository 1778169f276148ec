import { describe, expect, it } from "vitest";
import { sweep } from "../../../src/txn/saga/sweep";

describe("the phone-call saga, choreographed, under random faults", () => {
  it("keeps every invariant over 300 seeds with lost messages, slow services, crashes and orders-service crashes", () => {
    const report = sweep({ saga: "phone-call", style: "choreographed", seeds: 300 });
    const failures = report.failures.map((f) => `seed ${f.seed}: ${f.violated.join(", ")}: ${f.example} (reproduce: ${f.reproduce})`);
    expect(failures).toEqual([]);
    expect(report.seedsRun).toBe(300);
    expect(report.completed).toBeGreaterThan(0);
    expect(report.compensated).toBeGreaterThan(0);
  }, 120_000);
});
