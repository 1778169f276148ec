/**
 * The vocabulary of the saga engine: services, steps, commands and replies, outcomes.
 *
 * A saga is a long business transaction cut into LOCAL transactions, one per service, each committed
 * on its own. There is no global rollback: if a later step fails, the earlier ones are undone by
 * COMPENSATIONS, new local transactions that semantically reverse them (release a hold, cancel an
 * order). The lecture's journey analogy: a trip with several stops, where an impassable road means
 * driving back through the stops you passed. Where the analogy needs correcting: driving back does not
 * un-happen the trip (others saw you pass: sagas give no isolation, intermediate states are visible),
 * and past some stop there is no way back at all (the PIVOT: once the restaurant has cooked, the only
 * way is forward).
 */

/**
 * The nodes of the saga world. `orchestrator` coordinates (orchestrated style); `orders` is the
 * customer-facing service that starts sagas and records their end (choreographed style); `bus` is the
 * durable event bus of the choreography (infrastructure: it is not a fault target).
 */
export const NODES = ["orchestrator", "orders", "bank", "restaurant", "switch", "bus"] as const;
export type NodeName = (typeof NODES)[number];

/** The nodes a fault may target. */
export const FAULT_TARGETS = ["orchestrator", "orders", "bank", "restaurant", "switch"] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];

/** Which saga: the lecture's food order or its phone call. */
export type SagaKind = "food-order" | "phone-call";
export type SagaStyle = "orchestrated" | "choreographed";

/**
 * How a step relates to going back:
 * - compensatable: has a compensation; undone if a later step fails;
 * - pivot: the point of no return; before it succeeds, compensate; after, only go forward;
 * - retriable: after the pivot; retried until it succeeds, never compensated.
 */
export type StepKind = "compensatable" | "pivot" | "retriable";

/** The arguments a command carries (each service reads the ones it needs). */
export interface CommandArgs {
  /** The hold at the bank (an order, or one minute of a call). */
  holdId?: string;
  account?: string;
  amountRupees?: number;
  /** Who a captured hold pays. */
  payee?: string;
  orderId?: string;
  callId?: string;
  minute?: number;
}

/** A request to a service. The idempotency key makes a retried command harmless. */
export interface Command {
  type: "command";
  sagaId: string;
  /** The step it belongs to, and whether it is the step's compensation. */
  stepId: string;
  compensation: boolean;
  action: string;
  idempotencyKey: string;
  args: CommandArgs;
}

/** A service's answer. `ok: false` is a business refusal ("insufficient-funds", "declined"), not a failure to answer. */
export interface Reply {
  type: "reply";
  sagaId: string;
  stepId: string;
  compensation: boolean;
  action: string;
  ok: boolean;
  outcome: string;
}

/** How a saga ended. `failed` is a bug: neither completed nor compensated (the invariants flag it). */
export type SagaOutcome = "completed" | "compensated" | "failed";

/**
 * Deliberately broken variants (runtime options, never scenario fields), for testing the invariant checks:
 * - skip-compensation: a failed saga is declared compensated without undoing anything;
 * - non-idempotent-compensation: the bank's release credits again when it is retried;
 * - naive-pivot: a confirmation timeout releases the money without cancelling at the restaurant
 *   (the lecture's version; food order only, the phone call has no such race).
 */
export const BROKEN_VARIANTS = ["skip-compensation", "non-idempotent-compensation", "naive-pivot"] as const;
export type BrokenVariant = (typeof BROKEN_VARIANTS)[number];
