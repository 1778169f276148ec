import type { CommandLog } from "../cluster/command-log";
import { IntervalSet } from "./interval-set";

/**
 * Which writes were acknowledged to clients, by (term, log index) — enough to tell, at any later
 * moment, whether a given log still holds them (see Log Matching in command-log.ts). Memory is one
 * run per gap in the acknowledged indexes, not one entry per write.
 */
export class AckLedger {
  private readonly byTerm = new Map<number, IntervalSet>();
  /** Per key: the highest log index of an acknowledged write, and when it was acknowledged. */
  readonly lastAckedVersion: Float64Array;
  readonly lastAckedAtUs: Float64Array;
  acknowledged = 0;

  constructor(keyCount: number) {
    this.lastAckedVersion = new Float64Array(keyCount);
    this.lastAckedAtUs = new Float64Array(keyCount);
  }

  record(term: number, index: number, key: number, nowUs: number): void {
    let set = this.byTerm.get(term);
    if (!set) this.byTerm.set(term, (set = new IntervalSet()));
    set.add(index);
    this.acknowledged++;
    if (index > this.lastAckedVersion[key]) {
      this.lastAckedVersion[key] = index;
      this.lastAckedAtUs[key] = nowUs;
    }
  }

  /** Acknowledged writes that `log` holds. */
  heldBy(log: CommandLog, afterIndex = 0): number {
    let held = 0;
    for (const span of log.termSpans()) {
      const set = this.byTerm.get(span.term);
      if (set) held += set.countIn(Math.max(span.from, afterIndex + 1), span.to);
    }
    return held;
  }

  /** Acknowledged writes that `log` does NOT hold: lost, if `log` belongs to the final primary. */
  missingFrom(log: CommandLog): number {
    return this.acknowledged - this.heldBy(log);
  }
}
