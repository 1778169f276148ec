import { sampler, type Sampler } from "../../sim/distributions";
import type { Random } from "../../sim/random";
import { msToUs, usToMs } from "../../sim/time";
import type { Distribution } from "../../scenario/types";
import type { Answer } from "./bank";

/**
 * The restaurant: it decides on each order some time after it is asked (the kitchen looks at it),
 * and that decision, CONFIRMED, is the saga's PIVOT: once the kitchen has committed to cook, the order
 * cannot be compensated any more, only completed.
 *
 * The race the lecture skips: the saga waits for the confirmation with a timeout; the timeout fires and
 * the saga wants to release the customer's money, but the kitchen confirms a moment later. Releasing
 * at once would leave a cooked meal nobody pays for. So the timeout does not release: it sends CANCEL
 * to the restaurant first, and the restaurant's own database decides which came first, atomically:
 * - cancel first: the order is cancelled, a later confirmation is refused, and the money is released;
 * - confirmation first: the cancel is refused ("already-confirmed"), and the saga goes FORWARD (capture).
 * One place serialises the two requests, so the outcome is always one of the two consistent ones.
 *
 * Optional stock (a number of portions) for the two-saga anomaly: a plain stock check reads the count;
 * a reservation (the semantic lock) marks a portion as pending for one order.
 */
export type OrderState = "pending" | "confirmed" | "declined" | "cancelled";

export interface RestaurantOrder {
  id: string;
  state: OrderState;
  decideAtUs: number;
  /** What the kitchen will decide when it looks at the order. */
  willAccept: boolean;
  /** Why it declined ("kitchen", "sold-out"), or why it was cancelled. */
  reason: string;
  decidedAtMs: number | null;
}

export interface RestaurantOptions {
  /** Share of orders the kitchen accepts (default 0.9). */
  acceptRatio?: number;
  /** Time from the request to the decision (default exponential, mean 1000 ms). */
  decisionMs?: Distribution;
  /** Portions in stock (default: unlimited). */
  portions?: number;
}

export class Restaurant {
  readonly orders = new Map<string, RestaurantOrder>();
  /** Portions reserved per order by the semantic lock: pending until the order is confirmed or released. */
  readonly reservations = new Map<string, "reserved" | "released" | "consumed">();
  portions: number;
  private readonly decisionMs: Sampler;
  private readonly acceptRatio: number;

  constructor(
    options: RestaurantOptions,
    private readonly random: Random,
    private readonly nowUs: () => number,
  ) {
    this.acceptRatio = options.acceptRatio ?? 0.9;
    this.decisionMs = sampler(options.decisionMs ?? { dist: "exponential", mean: 1000 });
    this.portions = options.portions ?? Infinity;
  }

  /** The kitchen is asked about an order: records it (once) and says when it will have decided. */
  request(orderId: string): RestaurantOrder {
    let order = this.orders.get(orderId);
    if (order === undefined) {
      const willAccept = this.random.chance(this.acceptRatio);
      const decideAtUs = this.nowUs() + msToUs(this.decisionMs(this.random));
      order = { id: orderId, state: "pending", decideAtUs, willAccept, reason: "", decidedAtMs: null };
      this.orders.set(orderId, order);
    }
    this.resolve(order);
    return order;
  }

  /** The decision, once made (null while the kitchen is still thinking). */
  decision(orderId: string): Answer | null {
    const order = this.orders.get(orderId);
    if (order === undefined) return null;
    this.resolve(order);
    return order.state === "pending" ? null : answerOf(order);
  }

  /** The pivot's compensation: cancel unless the kitchen already confirmed. */
  cancel(orderId: string): Answer {
    const order = this.orders.get(orderId);
    if (order === undefined) {
      // Cancelled before the request arrived: a tombstone, so the late request is refused.
      this.orders.set(orderId, { id: orderId, state: "cancelled", decideAtUs: 0, willAccept: false, reason: "cancelled before it arrived", decidedAtMs: usToMs(this.nowUs()) });
      return { ok: true, outcome: "cancelled" };
    }
    this.resolve(order);
    if (order.state === "confirmed") return { ok: false, outcome: "already-confirmed" };
    if (order.state === "pending") {
      order.state = "cancelled";
      order.reason = "cancelled by the saga";
      order.decidedAtMs = usToMs(this.nowUs());
    }
    return { ok: true, outcome: "cancelled" };
  }

  /** Makes every decision whose time has come (for a final snapshot: nobody may have asked since). */
  settle(): void {
    for (const order of this.orders.values()) this.resolve(order);
  }

  /** A plain read of the stock: no effect, no protection (the anomaly). */
  checkStock(): Answer {
    return this.portions > 0 ? { ok: true, outcome: "available" } : { ok: false, outcome: "sold-out" };
  }

  /** The semantic lock: a portion is set aside, "pending", for this order. */
  reserve(orderId: string): Answer {
    const existing = this.reservations.get(orderId);
    if (existing !== undefined) return existing === "released" ? { ok: false, outcome: "released" } : { ok: true, outcome: "reserved" };
    if (this.portions <= 0) return { ok: false, outcome: "sold-out" };
    this.portions--;
    this.reservations.set(orderId, "reserved");
    return { ok: true, outcome: "reserved" };
  }

  /** The semantic lock's compensation: the pending portion goes back. */
  unreserve(orderId: string): Answer {
    const existing = this.reservations.get(orderId);
    if (existing === "reserved") this.portions++;
    if (existing !== "consumed") this.reservations.set(orderId, "released");
    return { ok: true, outcome: "unreserved" };
  }

  /** The kitchen decides when the time comes (lazily: the decision is a fact of its time, whoever asks first). */
  private resolve(order: RestaurantOrder): void {
    if (order.state !== "pending" || this.nowUs() < order.decideAtUs) return;
    order.decidedAtMs = usToMs(order.decideAtUs);
    if (!order.willAccept) {
      order.state = "declined";
      order.reason = "kitchen";
    } else if (this.reservations.get(order.id) === "reserved") {
      this.reservations.set(order.id, "consumed");
      order.state = "confirmed";
    } else if (this.portions > 0) {
      this.portions--;
      order.state = "confirmed";
    } else {
      order.state = "declined";
      order.reason = "sold-out";
    }
  }
}

function answerOf(order: RestaurantOrder): Answer {
  if (order.state === "confirmed") return { ok: true, outcome: "confirmed" };
  return { ok: false, outcome: order.state === "cancelled" ? "cancelled" : `declined:${order.reason}` };
}
