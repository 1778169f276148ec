import { msToUs } from "../../sim/time";
import type { EventBus } from "./event-bus";
import { MINUTE_MS, type Call } from "./phone-switch";
import { TELCO_ACCOUNT, type PhoneCallParams } from "./plans";
import type { SagaRegistry } from "./saga-registry";
import type { Services } from "./services";
import type { BrokenVariant } from "./types";
import type { SagaWorld } from "./world";

/**
 * The phone call as a CHOREOGRAPHY: the switch announces the call's minutes, the bank reacts.
 *
 *   switch: minute-started k, minute-completed k (at each minute's end), call-ended k (in minute k)
 *   bank:   minute-started k -> hold 10 rupees (refused: funds-exhausted);  minute-completed k -> capture
 *           -> minute-charged k;  call-ended k -> release minute k's hold -> call-released
 *   switch: funds-exhausted -> hang up (then call-ended)
 *   orders: call-released + every completed minute charged -> the saga has ended
 *
 * A capture that arrives before its hold (the bus redelivers out of order) is "not yet": the bank
 * leaves it unacknowledged and the bus brings it back. The switch publishes from its call table, so
 * after a crash it re-publishes what is due (event ids make that harmless) and re-arms its timers.
 */
interface Billing {
  account: string;
  rupeesPerMinute: number;
  /** Guards the switch's one pending timer per call (a re-arm replaces the old one). */
  timerToken: number;
  completedMinutes: number | null;
  charged: Set<number>;
  released: boolean;
  open: boolean;
}

export class PhoneChoreography {
  private readonly billing = new Map<string, Billing>();

  constructor(
    private readonly world: SagaWorld,
    private readonly bus: EventBus,
    private readonly services: Services,
    private readonly registry: SagaRegistry,
    private readonly broken: BrokenVariant | null,
  ) {
    this.subscribeBank();
    this.subscribeSwitch();
    this.subscribeOrders();
    world.onRestart("switch", () => this.services.phoneSwitch.calls.forEach((call) => this.publishDue(call)));
  }

  /** A call begins at the switch (refused when the switch is down). */
  start(params: PhoneCallParams, durationMs: number): boolean {
    if (!this.world.isUp("switch")) return false;
    const call = this.services.phoneSwitch.startCall(params.sagaId, params.account, durationMs);
    this.billing.set(call.id, { account: params.account, rupeesPerMinute: params.rupeesPerMinute, timerToken: 0, completedMinutes: null, charged: new Set(), released: false, open: true });
    this.registry.started(call.id, params, this.world.nowUs);
    this.world.log.record({ type: "saga-started", timeMs: this.world.nowMs, sagaId: call.id, kind: "phone-call" });
    this.publishDue(call);
    return true;
  }

  private subscribeBank(): void {
    const bank = this.services.bank;
    const holdId = (callId: string, k: number) => `${callId}:m${k}`;
    this.bus.subscribe("bank", "minute-started", (e) => {
      const k = Number(e.data.minute);
      const a = bank.hold(e.id, holdId(e.sagaId, k), String(e.data.account), Number(e.data.rupees), TELCO_ACCOUNT);
      if (!a.ok) this.publish("funds-exhausted", e.sagaId, k);
    });
    this.bus.subscribe("bank", "minute-completed", (e) => {
      const k = Number(e.data.minute);
      if (bank.holds.get(holdId(e.sagaId, k)) === undefined) return false; // its hold has not arrived yet
      if (bank.capture(e.id, holdId(e.sagaId, k)).ok) this.publish("minute-charged", e.sagaId, k);
    });
    this.bus.subscribe("bank", "call-ended", (e) => {
      if (this.broken !== "skip-compensation") bank.release(e.id, holdId(e.sagaId, Number(e.data.minute)));
      this.publish("call-released", e.sagaId, Number(e.data.minute));
    });
  }

  private subscribeSwitch(): void {
    this.bus.subscribe("switch", "funds-exhausted", (e) => {
      this.services.phoneSwitch.hangUp(e.sagaId);
      const call = this.services.phoneSwitch.calls.get(e.sagaId);
      if (call !== undefined) this.publishDue(call);
    });
  }

  private subscribeOrders(): void {
    this.bus.subscribe("orders", "minute-charged", (e) => this.billed(e.sagaId, (b) => b.charged.add(Number(e.data.minute))));
    this.bus.subscribe("orders", "call-released", (e) =>
      this.billed(e.sagaId, (b) => {
        b.released = true;
        b.completedMinutes = Number(e.data.minute) - 1;
      }),
    );
  }

  private billed(callId: string, update: (b: Billing) => void): void {
    const b = this.billing.get(callId);
    if (b === undefined || !b.open) return;
    update(b);
    if (!b.released || b.completedMinutes === null || b.charged.size < b.completedMinutes) return;
    b.open = false;
    const outcome = b.completedMinutes > 0 ? "completed" : "compensated";
    this.registry.ended(callId, outcome, this.world.nowUs);
    this.world.log.record({ type: "saga-ended", timeMs: this.world.nowMs, sagaId: callId, outcome });
  }

  /** Publishes every event of the call that is due by now, then waits for the next minute's end or the call's end. */
  private publishDue(call: Call): void {
    const sw = this.services.phoneSwitch;
    const billing = this.billing.get(call.id)!;
    const params = { account: billing.account, rupees: billing.rupeesPerMinute };
    const now = this.world.nowUs;
    const endUs = sw.endUs(call);
    this.publish("minute-started", call.id, 1, params);
    let k = 1;
    for (; call.startUs + msToUs(k * MINUTE_MS) <= Math.min(now, endUs); k++) {
      this.publish("minute-completed", call.id, k);
      if (call.startUs + msToUs(k * MINUTE_MS) < endUs) this.publish("minute-started", call.id, k + 1, params);
    }
    if (endUs <= now) return this.publish("call-ended", call.id, k);
    const nextUs = Math.min(call.startUs + msToUs(k * MINUTE_MS), endUs);
    const token = ++billing.timerToken;
    this.world.afterVirtual("switch", (nextUs - now) / 1000, () => token === billing.timerToken && this.publishDue(call));
  }

  private publish(type: string, callId: string, minute: number, extra: Record<string, string | number> = {}): void {
    this.bus.publish({ id: `${type}:${callId}:m${minute}`, type, sagaId: callId, data: { minute, ...extra } });
  }
}
