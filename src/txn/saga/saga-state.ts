import { planFor, type SagaParams, type SagaPlan, type SagaTiming, type StepSpec } from "./plans";
import type { SagaLogRecord } from "./saga-log";
import type { SagaOutcome } from "./types";

/**
 * An orchestrated saga's state, as a pure fold over its log records: `applyRecord` is the ONLY way the
 * state changes, live and during recovery alike, so what the orchestrator rebuilds after a crash is
 * exactly what it had before.
 *
 * Phases: forward (running steps); compensating (undoing completed steps, newest first, down to the
 * last step that cannot be undone); finishing (forward steps after compensation, like hanging up a
 * call); ended.
 */
export type Phase = "forward" | "compensating" | "finishing" | "ended";

export interface SagaState {
  id: string;
  params: SagaParams;
  plan: SagaPlan;
  phase: Phase;
  /** The forward step in progress (phase forward). */
  current: StepSpec | null;
  /** Forward steps that succeeded, in order. */
  done: StepSpec[];
  /** Steps still to compensate: the next one is the LAST. */
  toCompensate: StepSpec[];
  /** Forward steps to run after compensation. */
  finishing: StepSpec[];
  /** A step that cannot be undone succeeded (a pivot, a charge): the saga made lasting progress. */
  forwardProgress: boolean;
  outcome: SagaOutcome | null;
  startUs: number;
  endUs: number | null;
  /** Volatile (not from the log): attempts of the command being waited for, and a token for its timer. */
  attempt: number;
  waitToken: number;
}

export function applyRecord(states: Map<string, SagaState>, r: SagaLogRecord, timing: SagaTiming): SagaState {
  if (r.type === "started") {
    const plan = planFor(r.params, timing);
    const s: SagaState = { id: r.sagaId, params: r.params, plan, phase: "forward", current: plan.first(), done: [], toCompensate: [], finishing: [], forwardProgress: false, outcome: null, startUs: r.timeUs, endUs: null, attempt: 0, waitToken: 0 };
    states.set(r.sagaId, s);
    return s;
  }
  const s = states.get(r.sagaId);
  if (s === undefined) throw new Error(`saga log: ${r.type} for unknown saga ${r.sagaId}`);
  switch (r.type) {
    case "step-succeeded":
      succeeded(s, r.stepId, r.outcome);
      break;
    case "step-failed":
      failed(s, r.mayHaveHappened);
      break;
    case "compensated":
      s.toCompensate.pop();
      if (s.toCompensate.length === 0) startFinishing(s);
      break;
    case "finished-step":
      s.finishing.shift();
      break;
    case "ended":
      s.phase = "ended";
      s.outcome = r.outcome;
      s.endUs = r.timeUs;
      s.current = null;
      break;
  }
  s.attempt = 0;
  s.waitToken++;
  return s;
}

/** A forward step succeeded, or a pivot turned out to have happened while we were cancelling it. */
function succeeded(s: SagaState, stepId: string, outcome: string): void {
  const step = s.phase === "compensating" ? s.toCompensate.find((st) => st.id === stepId) : s.current;
  if (step === undefined || step === null || step.id !== stepId) throw new Error(`saga log: ${stepId} is not the step of saga ${s.id}`);
  if (s.phase === "compensating") s.toCompensate = []; // the pivot happened: no way back, only forward
  s.phase = "forward";
  s.done.push(step);
  if (step.kind !== "compensatable") s.forwardProgress = true;
  s.current = s.plan.next(step, outcome);
}

/** A forward step failed: compensate what was done since the last step that cannot be undone. */
function failed(s: SagaState, mayHaveHappened: boolean): void {
  const failedStep = s.current as StepSpec;
  const stack: StepSpec[] = [];
  for (let i = s.done.length - 1; i >= 0 && s.done[i].kind === "compensatable"; i--) {
    if (s.done[i].compensation !== null) stack.unshift(s.done[i]);
  }
  if (mayHaveHappened && failedStep.compensation !== null) stack.push(failedStep);
  s.current = null;
  s.phase = "compensating";
  s.toCompensate = stack;
  if (stack.length === 0) startFinishing(s);
}

function startFinishing(s: SagaState): void {
  s.phase = "finishing";
  s.finishing = s.plan.afterCompensation();
}

/** The step the saga waits on now (a forward step, a compensation, or a finishing step), or null. */
export function awaitedStep(s: SagaState): { step: StepSpec; compensation: boolean } | null {
  if (s.phase === "forward" && s.current !== null) return { step: s.current, compensation: false };
  if (s.phase === "compensating" && s.toCompensate.length > 0) return { step: s.toCompensate[s.toCompensate.length - 1], compensation: true };
  if (s.phase === "finishing" && s.finishing.length > 0) return { step: s.finishing[0], compensation: false };
  return null;
}
