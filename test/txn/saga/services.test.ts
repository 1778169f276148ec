import { describe, expect, it } from "vitest";
import { Bank } from "../../../src/txn/saga/bank";
import { PhoneSwitch } from "../../../src/txn/saga/phone-switch";
import { Restaurant } from "../../../src/txn/saga/restaurant";
import { Random } from "../../../src/sim/random";

describe("the bank", () => {
  it("moves money between accounts and holds without creating or losing any", () => {
    const bank = new Bank({ alice: 500, shop: 0 }, () => 0);
    expect(bank.hold("h", "o1", "alice", 200, "shop").ok).toBe(true);
    expect(bank.available("alice")).toBe(300);
    expect(bank.fundsLocked()).toBe(200);
    expect(bank.totalMoney()).toBe(500);
    bank.capture("c", "o1");
    expect(bank.available("shop")).toBe(200);
    expect(bank.totalMoney()).toBe(500);
  });

  it("answers a repeated key with the first answer and no second effect", () => {
    const bank = new Bank({ alice: 500, shop: 0 }, () => 0);
    bank.hold("h", "o1", "alice", 200, "shop");
    bank.hold("h", "o1", "alice", 200, "shop");
    bank.release("r", "o1");
    bank.release("r", "o1");
    bank.release("r-again", "o1");
    expect(bank.available("alice")).toBe(500);
    expect(bank.ledger.map((e) => e.op)).toEqual(["hold", "release"]);
  });

  it("refuses a hold larger than the balance", () => {
    const bank = new Bank({ alice: 100 }, () => 0);
    expect(bank.hold("h", "o1", "alice", 200, "shop")).toEqual({ ok: false, outcome: "insufficient-funds" });
  });

  it("credits twice with the broken non-idempotent release", () => {
    const bank = new Bank({ alice: 500 }, () => 0, { nonIdempotentRelease: true });
    bank.hold("h", "o1", "alice", 200, "shop");
    bank.release("r", "o1");
    bank.release("r", "o1");
    expect(bank.totalMoney()).toBe(700);
  });
});

describe("the restaurant", () => {
  const restaurant = (decisionMs: number, now: { us: number }) => new Restaurant({ acceptRatio: 1, decisionMs: { dist: "constant", value: decisionMs } }, new Random(1, "t"), () => now.us);

  it("cancels an order the kitchen has not decided yet, and then refuses to confirm it", () => {
    const now = { us: 0 };
    const r = restaurant(1000, now);
    r.request("o1");
    expect(r.cancel("o1")).toEqual({ ok: true, outcome: "cancelled" });
    now.us = 2_000_000;
    expect(r.decision("o1")).toEqual({ ok: false, outcome: "cancelled" });
  });

  it("refuses to cancel an order the kitchen already confirmed: the pivot was passed", () => {
    const now = { us: 0 };
    const r = restaurant(1000, now);
    r.request("o1");
    now.us = 1_000_000;
    expect(r.cancel("o1")).toEqual({ ok: false, outcome: "already-confirmed" });
  });

  it("keeps a tombstone for a cancel that arrives before the order", () => {
    const now = { us: 0 };
    const r = restaurant(10, now);
    r.cancel("o1");
    r.request("o1");
    now.us = 1_000_000;
    expect(r.decision("o1")?.outcome).toBe("cancelled");
  });
});

describe("the phone switch", () => {
  it("answers a minute at its end, or at the drop", () => {
    const now = { us: 0 };
    const sw = new PhoneSwitch(() => now.us);
    sw.startCall("c1", "alice", 90_000);
    expect(sw.minute("c1", 1)).toEqual({ atUs: 60_000_000, answer: { ok: true, outcome: "completed" } });
    expect(sw.minute("c1", 2)).toEqual({ atUs: 90_000_000, answer: { ok: false, outcome: "dropped" } });
    now.us = 100_000_000;
    expect(sw.completedMinutes("c1")).toBe(1);
  });
});
