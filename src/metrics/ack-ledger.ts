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

  // ---- At risk ------------------------------------------------------------------------------
  // A write is counted at risk once, by identity (term, index), however many times it is found at
  // risk: so `atRisk` never double counts, and every write lost at the end was counted (each lost
  // write is missing from the final primary, which was promoted at some point, or was acknowledged by
  // a deposed primary afterwards).

  private readonly atRiskByTerm = new Map<number, IntervalSet>();
  atRisk = 0;

  /** Acknowledged writes in `log` beyond `safePrefix` (no other live node holds them). */
  markHeldBeyond(log: CommandLog, safePrefix: number): void {
    for (const span of log.termSpans()) {
      const from = Math.max(span.from, safePrefix + 1);
      if (from <= span.to) this.markAcknowledgedIn(span.term, from, span.to);
    }
  }

  /** Acknowledged writes `log` does not hold (a new primary's log: what its promotion loses). */
  markMissingFrom(log: CommandLog): void {
    const held = new Map(log.termSpans().map((s) => [s.term, s]));
    for (const [term, acked] of this.byTerm) {
      const span = held.get(term);
      for (const [lo, hi] of acked.ranges()) {
        if (!span) this.markAcknowledgedIn(term, lo, hi);
        else {
          this.markAcknowledgedIn(term, lo, Math.min(hi, span.from - 1));
          this.markAcknowledgedIn(term, Math.max(lo, span.to + 1), hi);
        }
      }
    }
  }

  /** One acknowledged write, at risk from the moment it was acknowledged (by a deposed primary). */
  markOne(term: number, index: number): void {
    this.markAcknowledgedIn(term, index, index);
  }

  private markAcknowledgedIn(term: number, from: number, to: number): void {
    const acked = this.byTerm.get(term);
    if (!acked || from > to) return;
    let set = this.atRiskByTerm.get(term);
    if (!set) this.atRiskByTerm.set(term, (set = new IntervalSet()));
    for (const [lo, hi] of acked.ranges()) {
      const a = Math.max(lo, from);
      const b = Math.min(hi, to);
      if (a <= b) this.atRisk += set.addRange(a, b);
    }
  }
}
