import { resultOf, type CheckResult } from "../../checkers/result";
import type { Hold, LedgerEntry } from "./bank";
import type { RestaurantOrder } from "./restaurant";
import type { SagaRecord } from "./saga-registry";
import type { SagaKind } from "./types";

/**
 * The saga invariants, as pure checks over the final state of a run. Each returns the checkers' common
 * shape (valid, count, a few examples with one-sentence explanations).
 *
 * - money-conserved: every rupee is in an account or a live hold; the total never changes, and no
 *   account goes below zero. A compensation applied twice creates money; this catches it.
 * - sagas-end-completed-or-compensated: by the deadline (end of faults plus the liveness bound) every
 *   saga ended, and the services agree with how it ended: a completed order was confirmed and paid; a
 *   compensated one holds no money and was not cooked; a call holds no money once it ended.
 * - nothing-charged-twice: no hold captured twice, no order paid more than its price, no call charged
 *   more minutes than it lasted.
 * - confirmed-orders-paid (food order): the restaurant cooked exactly the orders that were paid. This is
 *   the pivot race: releasing the money while the kitchen confirms breaks it.
 */
export interface FinalState {
  saga: SagaKind;
  initialMoneyRupees: number;
  accounts: Readonly<Record<string, number>>;
  holds: readonly Hold[];
  ledger: readonly LedgerEntry[];
  orders: readonly RestaurantOrder[];
  /** Per call, the whole minutes it lasted (null: still going). */
  calls: readonly { id: string; completedMinutes: number | null }[];
  sagas: readonly SagaRecord[];
  /** Every saga must have ended by then (ms of virtual time). */
  deadlineMs: number;
  rupeesPerMinute: number;
}

export interface Violation {
  sagaId: string | null;
  explanation: string;
}

export type InvariantName = "money-conserved" | "sagas-end-completed-or-compensated" | "nothing-charged-twice" | "confirmed-orders-paid";

export function checkMoneyConserved(s: FinalState): CheckResult<Violation> {
  const violations: Violation[] = [];
  const inAccounts = Object.values(s.accounts).reduce((sum, r) => sum + r, 0);
  const inHolds = s.holds.reduce((sum, h) => sum + (h.state === "held" ? h.amountRupees : 0), 0);
  const total = inAccounts + inHolds;
  if (total !== s.initialMoneyRupees) {
    const verb = total > s.initialMoneyRupees ? "created" : "destroyed";
    violations.push({ sagaId: null, explanation: `accounts and holds add up to ${total} rupees, not ${s.initialMoneyRupees}: ${Math.abs(total - s.initialMoneyRupees)} rupees were ${verb}` });
  }
  for (const [account, rupees] of Object.entries(s.accounts)) {
    if (rupees < 0) violations.push({ sagaId: null, explanation: `account ${account} is at ${rupees} rupees` });
  }
  return resultOf(violations);
}

export function checkSagasEnded(s: FinalState): CheckResult<Violation> {
  const holdsOf = holdsBySaga(s);
  const orders = new Map(s.orders.map((o) => [o.id, o]));
  const calls = new Map(s.calls.map((c) => [c.id, c]));
  const violations: Violation[] = [];
  for (const saga of s.sagas) {
    const holds = holdsOf.get(saga.id) ?? [];
    const problem = endProblem(saga, s.deadlineMs) ?? (s.saga === "food-order" ? orderProblem(saga, holds, orders.get(saga.id)) : callProblem(saga, holds, calls.get(saga.id)));
    if (problem !== null) violations.push({ sagaId: saga.id, explanation: `${saga.id}: ${problem}` });
  }
  return resultOf(violations);
}

export function checkNothingChargedTwice(s: FinalState): CheckResult<Violation> {
  const violations: Violation[] = [];
  const captures = new Map<string, number>();
  for (const e of s.ledger) if (e.op === "capture") captures.set(e.holdId, (captures.get(e.holdId) ?? 0) + 1);
  for (const [holdId, n] of captures) if (n > 1) violations.push({ sagaId: sagaOfHold(holdId), explanation: `hold ${holdId} was captured ${n} times` });
  if (s.saga === "phone-call") {
    for (const call of s.calls) {
      const charged = [...captures.keys()].filter((h) => sagaOfHold(h) === call.id).length;
      if (call.completedMinutes !== null && charged > call.completedMinutes) {
        violations.push({ sagaId: call.id, explanation: `${call.id} was charged for ${charged} minutes but lasted ${call.completedMinutes} whole minutes` });
      }
    }
  }
  return resultOf(violations);
}

export function checkConfirmedOrdersPaid(s: FinalState): CheckResult<Violation> {
  if (s.saga !== "food-order") return resultOf([]);
  const holds = new Map(s.holds.map((h) => [h.id, h]));
  const violations: Violation[] = [];
  for (const order of s.orders) {
    const paid = holds.get(order.id)?.state === "captured";
    const cooked = order.state === "confirmed";
    if (cooked && !paid) violations.push({ sagaId: order.id, explanation: `the restaurant confirmed ${order.id} at ${order.decidedAtMs} ms, but its hold is ${holds.get(order.id)?.state ?? "missing"}: a meal nobody paid for` });
    if (paid && !cooked) violations.push({ sagaId: order.id, explanation: `${order.id} was paid but the restaurant ${order.state} it` });
  }
  return resultOf(violations);
}

/** Every invariant, by name. */
export function checkInvariants(s: FinalState): Record<InvariantName, CheckResult<Violation>> {
  return {
    "money-conserved": checkMoneyConserved(s),
    "sagas-end-completed-or-compensated": checkSagasEnded(s),
    "nothing-charged-twice": checkNothingChargedTwice(s),
    "confirmed-orders-paid": checkConfirmedOrdersPaid(s),
  };
}

/** The names of the invariants that failed. */
export function failedInvariants(results: Record<InvariantName, CheckResult<Violation>>): InvariantName[] {
  return (Object.keys(results) as InvariantName[]).filter((name) => !results[name].valid);
}

function endProblem(saga: SagaRecord, deadlineMs: number): string | null {
  if (saga.outcome === null) return `still in flight at the deadline (${deadlineMs} ms)`;
  if (saga.outcome === "failed") return "ended neither completed nor compensated";
  if ((saga.endMs as number) > deadlineMs) return `ended at ${saga.endMs} ms, after the deadline (${deadlineMs} ms)`;
  return null;
}

function orderProblem(saga: SagaRecord, holds: readonly Hold[], order: RestaurantOrder | undefined): string | null {
  const hold = holds[0];
  if (saga.outcome === "completed") {
    if (hold?.state !== "captured") return `completed, but its hold is ${hold?.state ?? "missing"}`;
    if (order?.state !== "confirmed") return `completed, but the restaurant order is ${order?.state ?? "missing"}`;
    return null;
  }
  if (hold?.state === "held") return `compensated, but ${hold.amountRupees} rupees are still held`;
  if (hold?.state === "captured") return "compensated, but the customer was charged";
  if (order?.state === "confirmed") return "compensated, but the restaurant confirmed the order";
  return null;
}

function callProblem(saga: SagaRecord, holds: readonly Hold[], call: { completedMinutes: number | null } | undefined): string | null {
  if (call !== undefined && call.completedMinutes === null) return `ended ${saga.outcome}, but the call is still going, unbilled`;
  const live = holds.filter((h) => h.state === "held");
  if (live.length > 0) return `ended ${saga.outcome}, but ${live.reduce((sum, h) => sum + h.amountRupees, 0)} rupees are still held (${live.map((h) => h.id).join(", ")})`;
  if (saga.outcome === "compensated" && holds.some((h) => h.state === "captured")) return "compensated, but minutes were charged";
  return null;
}

function holdsBySaga(s: FinalState): Map<string, Hold[]> {
  const bySaga = new Map<string, Hold[]>();
  for (const h of s.holds) {
    const id = sagaOfHold(h.id);
    bySaga.set(id, [...(bySaga.get(id) ?? []), h]);
  }
  return bySaga;
}

/** Holds are named after their saga: the order id, or `call:mK` for minute K of a call. */
function sagaOfHold(holdId: string): string {
  const at = holdId.indexOf(":m");
  return at < 0 ? holdId : holdId.slice(0, at);
}
