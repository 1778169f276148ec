import { EventHash } from "../../sim/event-hash";
import type { NodeName, SagaKind, SagaOutcome } from "./types";

/**
 * What happens in a saga run, as readable events for notebooks (a timeline, a table), plus a running
 * 64-bit hash of them, so a determinism test compares one string. Kept apart from the replication
 * engine's `SimEvent` union (src/events.ts) until the lead folds saga events into it.
 */
export type SagaEvent =
  | { type: "saga-started"; timeMs: number; sagaId: string; kind: SagaKind }
  | { type: "step"; timeMs: number; sagaId: string; stepId: string; ok: boolean; outcome: string }
  | { type: "compensation"; timeMs: number; sagaId: string; stepId: string; outcome: string }
  | { type: "saga-ended"; timeMs: number; sagaId: string; outcome: SagaOutcome }
  | { type: "rejected"; timeMs: number; sagaId: string; reason: string }
  | { type: "crash"; timeMs: number; node: NodeName }
  | { type: "restart"; timeMs: number; node: NodeName }
  | { type: "message-lost"; timeMs: number; from: NodeName; to: NodeName; why: "loss" | "node-down" };

const TYPE_CODES: Readonly<Record<SagaEvent["type"], number>> = {
  "saga-started": 0,
  step: 1,
  compensation: 2,
  "saga-ended": 3,
  rejected: 4,
  crash: 5,
  restart: 6,
  "message-lost": 7,
};

export class SagaEventLog {
  readonly events: SagaEvent[] = [];
  private readonly hash = new EventHash();
  /** Strings (saga ids, steps, outcomes, nodes) as small numbers, by first appearance: deterministic. */
  private readonly interned = new Map<string, number>();

  constructor(private readonly keep: boolean) {}

  record(e: SagaEvent): void {
    if (this.keep) this.events.push(e);
    const [a, b, c] = this.fields(e);
    this.hash.add(TYPE_CODES[e.type], Math.round(e.timeMs * 1000), a, b, c, 0);
  }

  /** Hash of every event so far (16 hex digits). */
  digest(): string {
    return this.hash.digest();
  }

  private fields(e: SagaEvent): [number, number, number] {
    const n = (s: string) => this.intern(s);
    switch (e.type) {
      case "saga-started":
        return [n(e.sagaId), n(e.kind), 0];
      case "step":
        return [n(e.sagaId), n(e.stepId), n(`${e.ok}:${e.outcome}`)];
      case "compensation":
        return [n(e.sagaId), n(e.stepId), n(e.outcome)];
      case "saga-ended":
        return [n(e.sagaId), n(e.outcome), 0];
      case "rejected":
        return [n(e.sagaId), n(e.reason), 0];
      case "crash":
      case "restart":
        return [n(e.node), 0, 0];
      case "message-lost":
        return [n(e.from), n(e.to), n(e.why)];
    }
  }

  private intern(s: string): number {
    let code = this.interned.get(s);
    if (code === undefined) {
      code = this.interned.size;
      this.interned.set(s, code);
    }
    return code;
  }
}
