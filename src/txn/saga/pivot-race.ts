import type { HoldState } from "./bank";
import type { SagaEvent } from "./events";
import { RESTAURANT_ACCOUNT } from "./plans";
import type { OrderState } from "./restaurant";
import { SagaSystem } from "./system";
import type { SagaOutcome, SagaStyle } from "./types";

/**
 * The race the lecture skips, staged: one order, and a kitchen that decides at a chosen moment close to
 * the saga's confirmation timeout (3 attempts of 1.5 s after the request, so about 4.5 s).
 *
 * - handling "pivot" (the engine): on timeout the saga asks the restaurant to CANCEL. If the kitchen
 *   decided first, the cancel is refused and the saga goes forward (capture): the meal is paid. If the
 *   cancel came first, the late confirmation is refused: nothing is cooked, the money is released.
 * - handling "naive" (the lecture): on timeout the saga releases the money at once. A kitchen that
 *   confirms a moment later cooks a meal nobody pays for.
 */
export interface PivotRaceOptions {
  handling: "pivot" | "naive";
  /** When the kitchen decides, ms after it receives the order. */
  decisionMs: number;
  style?: SagaStyle;
  seed?: number;
}

export interface PivotRaceResult {
  handling: "pivot" | "naive";
  decisionMs: number;
  /** When the kitchen decided, and when the saga gave up waiting (null: it did not), ms of virtual time. */
  decidedAtMs: number | null;
  timedOutAtMs: number | null;
  restaurant: OrderState | "none";
  hold: HoldState | "none";
  outcome: SagaOutcome | null;
  /** The restaurant cooked exactly when the customer paid. */
  consistent: boolean;
  /** One sentence: what happened. */
  story: string;
  events: SagaEvent[];
}

const ORDER = "order-1";

export function pivotRace(options: PivotRaceOptions): PivotRaceResult {
  const system = new SagaSystem({
    seed: options.seed ?? 1,
    style: options.style ?? "orchestrated",
    accounts: { "cust-1": 1000, [RESTAURANT_ACCOUNT]: 0 },
    latencyMs: { dist: "constant", value: 5 },
    restaurant: { acceptRatio: 1, decisionMs: { dist: "constant", value: options.decisionMs } },
    broken: options.handling === "naive" ? "naive-pivot" : null,
  });
  system.start({ kind: "food-order", sagaId: ORDER, account: "cust-1", amountRupees: 200, stock: "none" });
  system.world.run(120_000_000, () => system.quiescent() && system.world.nowMs > options.decisionMs + 100);
  const restaurant = system.services.restaurant.orders.get(ORDER)?.state ?? "none";
  const hold = system.services.bank.holds.get(ORDER)?.state ?? "none";
  const consistent = (restaurant === "confirmed") === (hold === "captured");
  const events = system.world.log.events;
  const timeout = events.find((e) => e.type === "step" && e.stepId === "confirm" && !e.ok && e.outcome === "timed-out");
  const decidedAtMs = system.services.restaurant.orders.get(ORDER)?.decidedAtMs ?? null;
  const timedOutAtMs = timeout?.timeMs ?? null;
  return {
    handling: options.handling,
    decisionMs: options.decisionMs,
    decidedAtMs,
    timedOutAtMs,
    restaurant,
    hold,
    outcome: system.registry.all()[0]?.outcome ?? null,
    consistent,
    story: story(restaurant, hold, consistent, timedOutAtMs),
    events,
  };
}

function story(restaurant: OrderState | "none", hold: HoldState | "none", consistent: boolean, timedOutAtMs: number | null): string {
  if (!consistent && restaurant === "confirmed") return `the kitchen confirmed after the timeout had released the money: a meal was cooked and the hold is ${hold}`;
  if (!consistent) return `the customer was charged but the restaurant ${restaurant} the order`;
  if (timedOutAtMs === null) return restaurant === "confirmed" ? "the kitchen confirmed in time: the saga captured the money" : `the restaurant ${restaurant} the order in time: the money was released`;
  if (restaurant === "confirmed") return "the saga timed out, but the kitchen had confirmed just before the cancel arrived: the cancel was refused and the saga went forward to capture";
  return `the saga timed out and the cancel reached the restaurant first (${restaurant}): the late confirmation was refused and the money released`;
}
