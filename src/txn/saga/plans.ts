import type { CommandArgs, NodeName, StepKind } from "./types";

/**
 * Saga plans: which steps, in which order, and what undoes each. A plan is a pure function of the
 * saga's parameters and of the outcomes so far, so replaying the durable saga log after a crash
 * rebuilds exactly the same steps.
 */
export interface StepSpec {
  /** Unique within its saga: "hold", "confirm", "hold-m3". */
  id: string;
  service: NodeName;
  action: string;
  args: CommandArgs;
  kind: StepKind;
  /** The action that undoes it (null: nothing to undo, e.g. a read, or a pivot without one). */
  compensation: string | null;
  /** How long to wait for an answer before asking again. */
  attemptTimeoutMs: number;
  /** Forward attempts before giving up (Infinity for retriable steps: after the pivot, never give up). */
  maxAttempts: number;
}

export interface SagaPlan {
  first(): StepSpec;
  /** After `done` succeeded with `outcome`: the next step, or null when the saga is complete. */
  next(done: StepSpec, outcome: string): StepSpec | null;
  /** Forward steps to run once compensation is over (the phone call must be hung up). */
  afterCompensation(): StepSpec[];
}

/** What a food-order saga needs to know. */
export interface FoodOrderParams {
  kind: "food-order";
  sagaId: string;
  account: string;
  amountRupees: number;
  /** Before paying: nothing, a plain stock check (the anomaly), or a reservation (the semantic lock). */
  stock: "none" | "check" | "reserve";
}

export interface PhoneCallParams {
  kind: "phone-call";
  sagaId: string;
  account: string;
  rupeesPerMinute: number;
}

export type SagaParams = FoodOrderParams | PhoneCallParams;

/** Timeouts and attempts (defaults in DEFAULT_TIMING). */
export interface SagaTiming {
  /** Wait for a bank or stock answer before asking again. */
  stepTimeoutMs: number;
  /** Forward attempts of a compensatable step. */
  stepAttempts: number;
  /** Wait for the restaurant's decision, per attempt, and how many attempts before the saga gives up on it. */
  confirmTimeoutMs: number;
  confirmAttempts: number;
  /** Wait for the switch's answer about a minute (a minute plus a margin). */
  minuteTimeoutMs: number;
  /** A cap on a call's billed minutes (keeps every run bounded). */
  maxMinutes: number;
}

export const DEFAULT_TIMING: SagaTiming = {
  stepTimeoutMs: 500,
  stepAttempts: 3,
  confirmTimeoutMs: 1500,
  confirmAttempts: 3,
  minuteTimeoutMs: 75_000,
  maxMinutes: 240,
};

export const RESTAURANT_ACCOUNT = "restaurant";
export const TELCO_ACCOUNT = "telco";

export function planFor(params: SagaParams, timing: SagaTiming = DEFAULT_TIMING): SagaPlan {
  return params.kind === "food-order" ? foodOrderPlan(params, timing) : phoneCallPlan(params, timing);
}

/**
 * The food order: [reserve or check stock], hold 200 rupees, ask the restaurant (the pivot), capture.
 * Before the confirmation every step can be undone; after it, capture is retried until it succeeds.
 */
function foodOrderPlan(p: FoodOrderParams, t: SagaTiming): SagaPlan {
  const orderId = p.sagaId;
  const bank = (id: string, action: string, kind: StepKind, compensation: string | null, attempts: number): StepSpec => ({
    id,
    service: "bank",
    action,
    args: { holdId: orderId, account: p.account, amountRupees: p.amountRupees, payee: RESTAURANT_ACCOUNT },
    kind,
    compensation,
    attemptTimeoutMs: t.stepTimeoutMs,
    maxAttempts: attempts,
  });
  const steps: StepSpec[] = [];
  if (p.stock === "check") steps.push({ id: "check-stock", service: "restaurant", action: "check-stock", args: { orderId }, kind: "compensatable", compensation: null, attemptTimeoutMs: t.stepTimeoutMs, maxAttempts: t.stepAttempts });
  if (p.stock === "reserve") steps.push({ id: "reserve", service: "restaurant", action: "reserve", args: { orderId }, kind: "compensatable", compensation: "unreserve", attemptTimeoutMs: t.stepTimeoutMs, maxAttempts: t.stepAttempts });
  steps.push(bank("hold", "hold", "compensatable", "release", t.stepAttempts));
  steps.push({ id: "confirm", service: "restaurant", action: "request-confirm", args: { orderId }, kind: "pivot", compensation: "cancel", attemptTimeoutMs: t.confirmTimeoutMs, maxAttempts: t.confirmAttempts });
  steps.push(bank("capture", "capture", "retriable", null, Infinity));
  return {
    first: () => steps[0],
    next: (done) => steps[steps.findIndex((s) => s.id === done.id) + 1] ?? null,
    afterCompensation: () => [],
  };
}

/**
 * The phone call, minute by minute: hold 10 rupees, wait for the minute to end (the pivot of that
 * minute: a minute talked cannot be untalked), charge it, and so on. When the call drops, the
 * unfinished minute's hold is released; if the money runs out, the hold is refused and billing hangs up.
 */
function phoneCallPlan(p: PhoneCallParams, t: SagaTiming): SagaPlan {
  const callId = p.sagaId;
  const holdId = (k: number) => `${callId}:m${k}`;
  const hold = (k: number): StepSpec => ({
    id: `hold-m${k}`,
    service: "bank",
    action: "hold",
    args: { holdId: holdId(k), account: p.account, amountRupees: p.rupeesPerMinute, payee: TELCO_ACCOUNT },
    kind: "compensatable",
    compensation: "release",
    attemptTimeoutMs: t.stepTimeoutMs,
    maxAttempts: t.stepAttempts,
  });
  const talk = (k: number): StepSpec => ({ id: `talk-m${k}`, service: "switch", action: "minute", args: { callId, minute: k }, kind: "pivot", compensation: null, attemptTimeoutMs: t.minuteTimeoutMs, maxAttempts: 2 });
  const charge = (k: number): StepSpec => ({ id: `charge-m${k}`, service: "bank", action: "capture", args: { holdId: holdId(k) }, kind: "retriable", compensation: null, attemptTimeoutMs: t.stepTimeoutMs, maxAttempts: Infinity });
  const hangUp: StepSpec = { id: "hang-up", service: "switch", action: "hang-up", args: { callId }, kind: "retriable", compensation: null, attemptTimeoutMs: t.stepTimeoutMs, maxAttempts: Infinity };
  return {
    first: () => hold(1),
    next: (done) => {
      const k = minuteOf(done.id);
      if (done.id.startsWith("hold-")) return talk(k);
      if (done.id.startsWith("talk-")) return charge(k);
      if (done.id.startsWith("charge-")) return k < t.maxMinutes ? hold(k + 1) : hangUp;
      return null;
    },
    afterCompensation: () => [hangUp],
  };
}

function minuteOf(stepId: string): number {
  return Number(stepId.slice(stepId.lastIndexOf("-m") + 2));
}
