import type { SagaEvent } from "./events";
import { RESTAURANT_ACCOUNT } from "./plans";
import { SagaSystem } from "./system";
import type { SagaOutcome } from "./types";

/**
 * Sagas give no isolation: each local transaction commits on its own, so other sagas see the
 * intermediate states. Staged here with the last portion of a dish and two customers ordering it 20 ms
 * apart:
 *
 * - without a semantic lock, each saga first CHECKS the stock (a plain read): both see one portion, both
 *   lock 200 rupees, and only when the kitchen confirms the first does the second learn it is sold out;
 *   it is compensated after its money was locked for an order that could never be served (a dirty read
 *   of another saga's not-yet-final state, and a visible intermediate state for the customer);
 * - with a semantic lock (the countermeasure of Garcia-Molina and Salem's sagas, and of every booking
 *   system), the first step RESERVES the portion: it is marked pending for one order, a second
 *   reservation is refused at once, and nothing is locked for the loser. The lecture's money hold is
 *   the same idea applied to the balance.
 */
export interface LastPortionOptions {
  semanticLock: boolean;
  seed?: number;
  /** Gap between the two orders (default 20 ms). */
  gapMs?: number;
}

export interface PortionSaga {
  id: string;
  account: string;
  outcome: SagaOutcome | null;
  /** Its first step reported a portion available (or reserved one). */
  sawPortion: boolean;
  /** How long its money was locked before being released (0 if never locked or paid). */
  lockedForNothingMs: number;
}

export interface LastPortionResult {
  semanticLock: boolean;
  /** A saga saw the portion, locked money, and was compensated because the other took it. */
  anomaly: boolean;
  how: string;
  sagas: PortionSaga[];
  /** Every 50 ms: portions left, and each customer's available balance (the visible intermediate states). */
  timeline: { timeMs: number; portionsLeft: number; availableA: number; availableB: number; fundsLockedRupees: number }[];
  events: SagaEvent[];
}

export function lastPortionRace(options: LastPortionOptions): LastPortionResult {
  const system = new SagaSystem({
    seed: options.seed ?? 1,
    style: "orchestrated", // the stock step exists in the orchestrated plan
    accounts: { "cust-a": 1000, "cust-b": 1000, [RESTAURANT_ACCOUNT]: 0 },
    latencyMs: { dist: "constant", value: 5 },
    restaurant: { acceptRatio: 1, portions: 1, decisionMs: { dist: "constant", value: 800 } },
  });
  const stock = options.semanticLock ? "reserve" : "check";
  const start = (id: string, account: string) => system.start({ kind: "food-order", sagaId: id, account, amountRupees: 200, stock });
  system.world.at(0, () => start("order-a", "cust-a"));
  system.world.at((options.gapMs ?? 20) * 1000, () => start("order-b", "cust-b"));
  const timeline: LastPortionResult["timeline"] = [];
  const sample = () => {
    const { bank, restaurant } = system.services;
    timeline.push({ timeMs: system.world.nowMs, portionsLeft: restaurant.portions, availableA: bank.available("cust-a"), availableB: bank.available("cust-b"), fundsLockedRupees: bank.fundsLocked() });
    if (!(system.quiescent() && system.world.nowMs > 100)) system.world.after(50, sample);
  };
  system.world.at(0, sample);
  system.world.run(60_000_000, () => system.quiescent() && system.world.nowMs > 100);
  sample(); // the settled state
  const sagas = ["order-a", "order-b"].map((id) => portionSaga(system, id));
  const loser = sagas.find((s) => s.sawPortion && s.outcome === "compensated" && s.lockedForNothingMs > 0);
  const refused = sagas.find((s) => !s.sawPortion);
  const how =
    loser !== undefined
      ? `${loser.id} saw a portion left, locked 200 rupees, and was compensated ${Math.round(loser.lockedForNothingMs)} ms later when the other order took the last portion`
      : `${refused?.id ?? "no order"} was refused at the reservation: the portion was already pending for the other order, and no money was ever locked for it`;
  return { semanticLock: options.semanticLock, anomaly: loser !== undefined, how, sagas, timeline, events: system.world.log.events };
}

function portionSaga(system: SagaSystem, id: string): PortionSaga {
  const record = system.registry.all().find((r) => r.id === id);
  const events = system.world.log.events;
  const first = events.find((e) => e.type === "step" && e.sagaId === id && (e.stepId === "check-stock" || e.stepId === "reserve"));
  const ledger = system.services.bank.ledger.filter((e) => e.holdId === id);
  const held = ledger.find((e) => e.op === "hold");
  const released = ledger.find((e) => e.op === "release");
  return {
    id,
    account: record?.account ?? "",
    outcome: record?.outcome ?? null,
    sawPortion: first !== undefined && first.type === "step" && first.ok,
    lockedForNothingMs: held !== undefined && released !== undefined ? released.timeMs - held.timeMs : 0,
  };
}
