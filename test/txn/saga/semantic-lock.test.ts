import { describe, expect, it } from "vitest";
import { lastPortionRace } from "../../../src/txn/saga/semantic-lock";

describe("two concurrent sagas for the last portion", () => {
  it("lets both see the portion without a semantic lock: one is compensated after its money was locked", () => {
    const r = lastPortionRace({ semanticLock: false });
    expect(r.anomaly).toBe(true);
    expect(r.sagas.every((s) => s.sawPortion)).toBe(true);
    expect(r.sagas.map((s) => s.outcome).sort()).toEqual(["compensated", "completed"]);
    expect(r.how).toMatch(/order-b saw a portion left, locked 200 rupees, and was compensated \d+ ms later/);
  });

  it("makes the intermediate state visible: the loser's balance drops by 200 while its order cannot be served", () => {
    const r = lastPortionRace({ semanticLock: false });
    expect(r.timeline.some((p) => p.portionsLeft === 0 && p.availableB === 800)).toBe(true);
    expect(r.timeline[r.timeline.length - 1].availableB).toBe(1000);
  });

  it("prevents the anomaly with a semantic lock: the second reservation is refused and no money is locked for it", () => {
    const r = lastPortionRace({ semanticLock: true });
    expect(r.anomaly).toBe(false);
    const loser = r.sagas.find((s) => s.outcome === "compensated")!;
    expect(loser.sawPortion).toBe(false);
    expect(loser.lockedForNothingMs).toBe(0);
    expect(r.timeline.every((p) => p.availableB === 1000)).toBe(true);
    expect(r.how).toMatch(/refused at the reservation/);
  });

  it("is the same on every run", () => {
    expect(lastPortionRace({ semanticLock: false })).toEqual(lastPortionRace({ semanticLock: false }));
  });
});
