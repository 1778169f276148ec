import { msToUs } from "../../sim/time";
import type { EventBus, BusEvent } from "./event-bus";
import { RESTAURANT_ACCOUNT, type FoodOrderParams, type SagaTiming } from "./plans";
import type { SagaRegistry } from "./saga-registry";
import type { Services } from "./services";
import type { BrokenVariant } from "./types";
import type { SagaWorld } from "./world";

/**
 * The food order as a CHOREOGRAPHY: no coordinator; each service reacts to the previous step's event
 * and publishes its own, as the lecture describes sagas.
 *
 *   orders:     place ------> order-placed
 *   bank:       order-placed -> hold -> funds-held | funds-refused
 *   restaurant: funds-held -> the kitchen decides -> order-confirmed | order-declined
 *   bank:       order-confirmed -> capture -> payment-captured;  order-declined -> release -> funds-released
 *   orders:     payment-captured -> completed;  funds-released | funds-refused -> compensated
 *
 * The timeout belongs to the orders service: when no outcome came in time it publishes
 * cancel-requested, and the restaurant resolves the pivot race exactly as in the orchestrated version
 * (cancel if still undecided, otherwise re-announce its confirmation).
 *
 * What it costs compared with orchestration: the flow exists only as the sum of subscriptions (no one
 * place knows a saga's state: the orders service infers it from events); every event goes through the
 * bus with an acknowledgement; and on failure each service must know which events undo what. What it
 * gains: no coordinator to crash, and services that do not wait on each other's replies.
 */
export class FoodChoreography {
  private readonly orders = new Map<string, { params: FoodOrderParams; deadlineUs: number; open: boolean }>();
  /** Steps already written to the event log (a redelivered event must not log its step twice). */
  private readonly logged = new Set<string>();

  constructor(
    private readonly world: SagaWorld,
    private readonly bus: EventBus,
    private readonly services: Services,
    private readonly timing: SagaTiming,
    private readonly registry: SagaRegistry,
    private readonly broken: BrokenVariant | null,
  ) {
    this.subscribeBank();
    this.subscribeRestaurant();
    this.subscribeOrders();
    world.onRestart("orders", () => this.orders.forEach((o, id) => o.open && this.armDeadline(id)));
    world.onRestart("restaurant", () => this.services.restaurant.orders.forEach((o) => o.state === "pending" && this.armDecision(o.id)));
  }

  /** A customer places an order: false when the orders service is down (the customer is refused). */
  place(params: FoodOrderParams): boolean {
    if (!this.world.isUp("orders")) return false;
    const deadlineUs = this.world.nowUs + msToUs(this.timing.stepTimeoutMs + this.timing.confirmTimeoutMs * this.timing.confirmAttempts);
    this.orders.set(params.sagaId, { params, deadlineUs, open: true });
    this.registry.started(params.sagaId, params, this.world.nowUs);
    this.world.log.record({ type: "saga-started", timeMs: this.world.nowMs, sagaId: params.sagaId, kind: "food-order" });
    this.publish("order-placed", params.sagaId, { account: params.account, amountRupees: params.amountRupees });
    this.armDeadline(params.sagaId);
    return true;
  }

  private subscribeBank(): void {
    const bank = this.services.bank;
    this.bus.subscribe("bank", "order-placed", (e) => {
      const a = bank.hold(e.id, e.sagaId, String(e.data.account), Number(e.data.amountRupees), RESTAURANT_ACCOUNT);
      this.step(e.sagaId, "hold", a.ok, a.outcome);
      this.publish(a.ok ? "funds-held" : "funds-refused", e.sagaId, {});
    });
    this.bus.subscribe("bank", "order-confirmed", (e) => {
      const a = bank.capture(e.id, e.sagaId);
      if (a.ok) this.publish("payment-captured", e.sagaId, {});
    });
    this.bus.subscribe("bank", "order-declined", (e) => {
      if (this.broken !== "skip-compensation") bank.release(e.id, e.sagaId);
      this.step(e.sagaId, "release", true, "released");
      this.publish("funds-released", e.sagaId, {});
    });
  }

  private subscribeRestaurant(): void {
    const restaurant = this.services.restaurant;
    this.bus.subscribe("restaurant", "funds-held", (e) => {
      restaurant.request(e.sagaId);
      this.armDecision(e.sagaId);
    });
    this.bus.subscribe("restaurant", "cancel-requested", (e) => {
      const a = restaurant.cancel(e.sagaId);
      this.publish(a.ok ? "order-declined" : "order-confirmed", e.sagaId, {});
    });
  }

  private subscribeOrders(): void {
    const end = (e: BusEvent, outcome: "completed" | "compensated") => {
      const order = this.orders.get(e.sagaId);
      if (order === undefined || !order.open) return;
      order.open = false;
      this.registry.ended(e.sagaId, outcome, this.world.nowUs);
      this.world.log.record({ type: "saga-ended", timeMs: this.world.nowMs, sagaId: e.sagaId, outcome });
    };
    this.bus.subscribe("orders", "payment-captured", (e) => end(e, "completed"));
    this.bus.subscribe("orders", "funds-released", (e) => end(e, "compensated"));
    this.bus.subscribe("orders", "funds-refused", (e) => end(e, "compensated"));
  }

  /** The kitchen's decision is announced when it is made (re-armed after a restaurant restart). */
  private armDecision(orderId: string): void {
    const order = this.services.restaurant.orders.get(orderId);
    if (order === undefined) return;
    this.world.afterVirtual("restaurant", Math.max(0, order.decideAtUs - this.world.nowUs) / 1000, () => {
      const a = this.services.restaurant.decision(orderId);
      if (a === null) return;
      this.step(orderId, "confirm", a.ok, a.outcome);
      this.publish(a.ok ? "order-confirmed" : "order-declined", orderId, {});
    });
  }

  /** No outcome in time: ask the restaurant to cancel (or, in the naive variant, release at once). */
  private armDeadline(orderId: string): void {
    const order = this.orders.get(orderId)!;
    this.world.afterVirtual("orders", Math.max(0, order.deadlineUs - this.world.nowUs) / 1000, () => {
      if (!order.open) return;
      this.step(orderId, "confirm", false, "timed-out");
      this.publish(this.broken === "naive-pivot" ? "order-declined" : "cancel-requested", orderId, {});
    });
  }

  private publish(type: string, sagaId: string, data: Record<string, string | number>): void {
    this.bus.publish({ id: `${type}:${sagaId}`, type, sagaId, data });
  }

  private step(sagaId: string, stepId: string, ok: boolean, outcome: string): void {
    if (this.logged.has(`${sagaId}:${stepId}`)) return;
    this.logged.add(`${sagaId}:${stepId}`);
    this.world.log.record({ type: "step", timeMs: this.world.nowMs, sagaId, stepId, ok, outcome });
  }
}
