import { usToMs } from "../../sim/time";
import type { SagaParams } from "./plans";
import type { SagaKind, SagaOutcome } from "./types";

/**
 * Which sagas started, when, and how each ended: the durable record the customer-facing side keeps
 * (the saga log in the orchestrated style, the orders service's table in the choreographed one).
 * Metrics and invariant checks read it; protocols only report to it.
 */
export interface SagaRecord {
  id: string;
  kind: SagaKind;
  account: string;
  startMs: number;
  endMs: number | null;
  outcome: SagaOutcome | null;
}

export class SagaRegistry {
  private readonly records = new Map<string, SagaRecord>();
  /** Sagas refused at the start (the service that starts them was down). */
  rejected = 0;
  /** How many ended each way so far (for windowed metrics). */
  readonly endedCount: Record<SagaOutcome, number> = { completed: 0, compensated: 0, failed: 0 };

  started(sagaId: string, params: SagaParams, timeUs: number): void {
    this.records.set(sagaId, { id: sagaId, kind: params.kind, account: params.account, startMs: usToMs(timeUs), endMs: null, outcome: null });
  }

  ended(sagaId: string, outcome: SagaOutcome, timeUs: number): void {
    const r = this.records.get(sagaId);
    if (r === undefined || r.outcome !== null) return;
    r.outcome = outcome;
    r.endMs = usToMs(timeUs);
    this.endedCount[outcome]++;
  }

  all(): SagaRecord[] {
    return [...this.records.values()];
  }

  get inFlight(): number {
    let n = 0;
    for (const r of this.records.values()) if (r.outcome === null) n++;
    return n;
  }

  get size(): number {
    return this.records.size;
  }
}
