import { describe, expect, it } from "vitest";
import { RESTAURANT_ACCOUNT } from "../../../src/txn/saga/plans";
import { SagaSystem } from "../../../src/txn/saga/system";

function system(decisionMs = 500, acceptRatio = 1) {
  return new SagaSystem({
    seed: 1,
    style: "orchestrated",
    accounts: { "cust-1": 1000, [RESTAURANT_ACCOUNT]: 0 },
    latencyMs: { dist: "constant", value: 5 },
    restaurant: { acceptRatio, decisionMs: { dist: "constant", value: decisionMs } },
  });
}

const order = (id = "order-1") => ({ kind: "food-order" as const, sagaId: id, account: "cust-1", amountRupees: 200, stock: "none" as const });

describe("the orchestrator", () => {
  it("runs hold, confirm, capture, and logs every decision", () => {
    const s = system();
    s.start(order());
    s.world.run(10_000_000);
    expect(s.registry.all()[0].outcome).toBe("completed");
    expect(s.orchestrator!.log.all().map((r) => (r.type === "step-succeeded" ? `${r.type}:${r.stepId}` : r.type))).toEqual([
      "started",
      "step-succeeded:hold",
      "step-succeeded:confirm",
      "step-succeeded:capture",
      "ended",
    ]);
    expect(s.services.bank.available(RESTAURANT_ACCOUNT)).toBe(200);
  });

  it("compensates in reverse order when the restaurant declines", () => {
    const s = system(500, 0);
    s.start(order());
    s.world.run(10_000_000);
    expect(s.registry.all()[0].outcome).toBe("compensated");
    expect(s.services.bank.holds.get("order-1")!.state).toBe("released");
    expect(s.services.bank.available("cust-1")).toBe(1000);
  });

  it("resumes a saga from its log after a crash in the middle, without applying any step twice", () => {
    const s = system(2000);
    s.start(order());
    s.world.at(1_000_000, () => s.world.crash("orchestrator")); // waiting for the kitchen
    s.world.at(8_000_000, () => s.world.restart("orchestrator"));
    s.world.run(30_000_000);
    expect(s.registry.all()[0].outcome).toBe("completed");
    expect(s.services.bank.ledger.map((e) => e.op)).toEqual(["hold", "capture"]);
    expect(s.world.log.events.some((e) => e.type === "restart")).toBe(true);
  });

  it("rebuilds exactly the state it had: the same saga states before the crash and after the replay", () => {
    const s = system(5000);
    s.start(order("order-1"));
    s.start(order("order-2"));
    s.world.run(1_000_000);
    const before = s.orchestrator!.states().map((st) => ({ id: st.id, phase: st.phase, current: st.current?.id, done: st.done.map((d) => d.id) }));
    s.world.crash("orchestrator");
    s.world.restart("orchestrator");
    const after = s.orchestrator!.states().map((st) => ({ id: st.id, phase: st.phase, current: st.current?.id, done: st.done.map((d) => d.id) }));
    expect(after).toEqual(before);
  });

  it("retries steps whose answers are lost; idempotency keys keep each effect single", () => {
    const s = system();
    let n = 0;
    s.world.conditions = { lossAt: (t) => (t < 20_000_000 ? 0.4 : 0), extraLatencyMs: () => 0 };
    for (let i = 1; i <= 3; i++) s.start({ ...order(`order-${i}`), amountRupees: 100 });
    s.world.run(120_000_000);
    for (const r of s.registry.all()) {
      expect(r.outcome).not.toBeNull();
      const effects = s.services.bank.ledger.filter((e) => e.holdId === r.id).map((e) => e.op);
      expect(effects.filter((op) => op === "hold").length, r.id).toBeLessThanOrEqual(1);
      expect(effects.filter((op) => op !== "hold").length, r.id).toBeLessThanOrEqual(1);
      n++;
    }
    expect(s.world.messages.lost).toBeGreaterThan(0);
    expect(n).toBe(3);
  });

  it("refuses a late hold that arrives after its saga gave up and released (a tombstone)", () => {
    const s = system();
    const bank = s.services.bank;
    expect(bank.release("k1", "order-9").outcome).toBe("nothing-held");
    expect(bank.hold("k2", "order-9", "cust-1", 200, RESTAURANT_ACCOUNT)).toEqual({ ok: false, outcome: "already-released" });
    expect(bank.available("cust-1")).toBe(1000);
  });
});
