import type { SagaParams, SagaTiming, StepSpec } from "./plans";
import { SagaLog, type SagaLogRecord } from "./saga-log";
import { applyRecord, awaitedStep, type SagaState } from "./saga-state";
import type { BrokenVariant, Command, Reply, SagaOutcome } from "./types";
import type { SagaWorld } from "./world";

/**
 * The saga orchestrator: one coordinator that tells each service what to do next, waits for the answer,
 * and on failure runs the compensations in reverse order. In the lecture's journey analogy it is the
 * driver with the route card: it knows every stop passed, and when the road ahead is closed it drives
 * back through them in reverse; past the point of no return (the pivot) it only drives on.
 *
 * - Forward steps are retried a limited number of times (same idempotency key, so a step that did
 *   happen is not applied again); when they run out, the saga compensates, including the timed-out step
 *   itself, because it may have happened.
 * - Compensations and the steps after the pivot are retried until they succeed: giving up there would
 *   leave money locked or a meal unpaid. They terminate once faults stop.
 * - The pivot (the restaurant's confirmation) is never simply abandoned: on timeout the orchestrator
 *   asks the restaurant to cancel, and if the restaurant answers that it already confirmed, the saga
 *   goes forward (restaurant.ts explains the race).
 * - Every decision is logged durably BEFORE it is acted on; a crash loses only memory, and `recover`
 *   rebuilds every unfinished saga from the log and resumes it.
 *
 * Broken variants (for testing the invariant checks): "skip-compensation" ends a failed saga as
 * compensated without undoing anything; "naive-pivot" releases the money on a confirmation timeout
 * without cancelling at the restaurant (the lecture's version).
 */
export interface SagaListener {
  started(sagaId: string, params: SagaParams, timeUs: number): void;
  ended(sagaId: string, outcome: SagaOutcome, timeUs: number): void;
}

export class Orchestrator {
  readonly log = new SagaLog();
  private sagas = new Map<string, SagaState>();

  constructor(
    private readonly world: SagaWorld,
    private readonly timing: SagaTiming,
    private readonly broken: BrokenVariant | null,
    private readonly listener: SagaListener,
  ) {
    world.listen("orchestrator", (m) => this.onReply(m as Reply));
    world.onCrash("orchestrator", () => (this.sagas = new Map())); // memory is gone; the log is not
    world.onRestart("orchestrator", () => this.recover());
  }

  /** A new saga (an order, a call). False when the orchestrator is down: the client is refused. */
  start(params: SagaParams): boolean {
    if (!this.world.isUp("orchestrator")) return false;
    const s = this.record({ type: "started", sagaId: params.sagaId, params, timeUs: this.world.nowUs });
    this.listener.started(params.sagaId, params, this.world.nowUs);
    this.advance(s);
    return true;
  }

  /** The current state of every saga this orchestrator knows (after a crash: what it rebuilt). */
  states(): SagaState[] {
    return [...this.sagas.values()];
  }

  /** After a restart: replay the log, then resume every saga that had not ended. */
  private recover(): void {
    const states = new Map<string, SagaState>();
    for (const r of this.log.all()) applyRecord(states, r, this.timing);
    this.sagas = states;
    for (const s of states.values()) if (s.phase !== "ended") this.advance(s);
  }

  private record(r: SagaLogRecord): SagaState {
    this.log.append(r);
    const s = applyRecord(this.sagas, r, this.timing);
    this.trace(r);
    return s;
  }

  /** Acts on a saga's state: sends what it waits for, or ends it. */
  private advance(s: SagaState): void {
    if (s.phase === "ended") return;
    const awaited = awaitedStep(s);
    if (awaited === null) return this.end(s, s.phase === "forward" || s.forwardProgress ? "completed" : "compensated");
    this.send(s, awaited.step, awaited.compensation);
  }

  private send(s: SagaState, step: StepSpec, compensation: boolean): void {
    s.attempt++;
    const token = ++s.waitToken;
    const action = compensation ? (step.compensation as string) : step.action;
    const command: Command = { type: "command", sagaId: s.id, stepId: step.id, compensation, action, idempotencyKey: `${s.id}:${step.id}:${action}`, args: step.args };
    this.world.send("orchestrator", step.service, command);
    this.world.afterVirtual("orchestrator", step.attemptTimeoutMs, () => {
      if (s.waitToken === token && this.sagas.get(s.id) === s) this.onTimeout(s, step, compensation);
    });
  }

  private onTimeout(s: SagaState, step: StepSpec, compensation: boolean): void {
    if (compensation || s.phase === "finishing" || s.attempt < step.maxAttempts) return this.send(s, step, compensation);
    this.fail(s, step, "timed-out", this.broken !== "naive-pivot" || step.kind !== "pivot");
  }

  private onReply(reply: Reply): void {
    const s = this.sagas.get(reply.sagaId);
    if (s === undefined || s.phase === "ended") return;
    const awaited = awaitedStep(s);
    if (awaited === null) return;
    const { step, compensation } = awaited;
    if (reply.stepId !== step.id) return; // a late answer to an earlier step or attempt
    if (compensation) return this.onCompensationReply(s, step, reply);
    if (reply.compensation) return;
    if (s.phase === "finishing") {
      if (reply.ok) this.recordAndAdvance({ type: "finished-step", sagaId: s.id, stepId: step.id, timeUs: this.world.nowUs });
      return;
    }
    if (reply.ok) return this.recordAndAdvance({ type: "step-succeeded", sagaId: s.id, stepId: step.id, outcome: reply.outcome, timeUs: this.world.nowUs });
    if (step.kind === "retriable") return this.end(s, "failed"); // cannot happen unless something upstream is broken
    this.fail(s, step, reply.outcome, false);
  }

  /**
   * While undoing a step: done; or, for the pivot, the news that it already happened (its own late
   * success, or its compensation refused as "already-confirmed"): then the saga goes forward.
   */
  private onCompensationReply(s: SagaState, step: StepSpec, reply: Reply): void {
    const pivotHappened = step.kind === "pivot" && ((!reply.compensation && reply.ok) || (reply.compensation && reply.outcome === "already-confirmed"));
    if (pivotHappened) {
      return this.recordAndAdvance({ type: "step-succeeded", sagaId: s.id, stepId: step.id, outcome: "confirmed", timeUs: this.world.nowUs });
    }
    if (reply.compensation && reply.ok) this.recordAndAdvance({ type: "compensated", sagaId: s.id, stepId: step.id, outcome: reply.outcome, timeUs: this.world.nowUs });
  }

  private fail(s: SagaState, step: StepSpec, outcome: string, mayHaveHappened: boolean): void {
    this.record({ type: "step-failed", sagaId: s.id, stepId: step.id, outcome, mayHaveHappened, timeUs: this.world.nowUs });
    if (this.broken === "skip-compensation") return this.end(s, "compensated");
    this.advance(s);
  }

  private end(s: SagaState, outcome: SagaOutcome): void {
    this.record({ type: "ended", sagaId: s.id, outcome, timeUs: this.world.nowUs });
    this.listener.ended(s.id, outcome, this.world.nowUs);
  }

  private recordAndAdvance(r: SagaLogRecord): void {
    this.advance(this.record(r));
  }

  private trace(r: SagaLogRecord): void {
    const timeMs = r.timeUs / 1000;
    const log = this.world.log;
    if (r.type === "started") log.record({ type: "saga-started", timeMs, sagaId: r.sagaId, kind: r.params.kind });
    else if (r.type === "step-succeeded") log.record({ type: "step", timeMs, sagaId: r.sagaId, stepId: r.stepId, ok: true, outcome: r.outcome });
    else if (r.type === "step-failed") log.record({ type: "step", timeMs, sagaId: r.sagaId, stepId: r.stepId, ok: false, outcome: r.outcome });
    else if (r.type === "compensated") log.record({ type: "compensation", timeMs, sagaId: r.sagaId, stepId: r.stepId, outcome: r.outcome });
    else if (r.type === "ended") log.record({ type: "saga-ended", timeMs, sagaId: r.sagaId, outcome: r.outcome });
  }
}
