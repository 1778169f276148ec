import type { SagaParams } from "./plans";
import type { SagaOutcome } from "./types";

/**
 * The orchestrator's durable saga log: one record per decision, appended BEFORE acting on it. The
 * orchestrator's memory (which step each saga is at, its timers, its attempt counts) is lost in a
 * crash; the log is not. On restart the orchestrator replays the log, rebuilds every unfinished saga,
 * and resumes it by re-sending its current command, which idempotency keys make safe.
 */
export type SagaLogRecord =
  | { type: "started"; sagaId: string; params: SagaParams; timeUs: number }
  | { type: "step-succeeded"; sagaId: string; stepId: string; outcome: string; timeUs: number }
  /** `mayHaveHappened`: the step timed out, so it may have taken effect and must be compensated too. */
  | { type: "step-failed"; sagaId: string; stepId: string; outcome: string; mayHaveHappened: boolean; timeUs: number }
  | { type: "compensated"; sagaId: string; stepId: string; outcome: string; timeUs: number }
  | { type: "finished-step"; sagaId: string; stepId: string; timeUs: number }
  | { type: "ended"; sagaId: string; outcome: SagaOutcome; timeUs: number };

export class SagaLog {
  private readonly records: SagaLogRecord[] = [];

  append(record: SagaLogRecord): void {
    this.records.push(record);
  }

  /** Every record, in order (a copy). */
  all(): SagaLogRecord[] {
    return [...this.records];
  }

  get length(): number {
    return this.records.length;
  }
}
