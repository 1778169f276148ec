import { DROP_REASONS, EV, FAULT_TYPES, type EventBatch } from "../events";
import { HARNESS_FAULTS, type HarnessFault } from "./fault-mix";

/**
 * What a run actually exercised: which fault types fired (a drawn fault that never started, or a loss
 * rate that never dropped a message, did not test anything), and how far the protocol was pushed
 * (primary crashes, failovers, truncated logs, snapshots). Counted from events only.
 */
export interface Coverage {
  /** Harness fault types that fired at least once. */
  faultsFired: HarnessFault[];
  /** Crashes of a node that was primary at the time. */
  primaryCrashes: number;
  /** Operator promotions. */
  failovers: number;
  /** Old primaries that stepped down on hearing of a newer epoch. */
  demotions: number;
  /** Log suffixes discarded by replicas after a failover. */
  truncations: number;
  /** Replicas re-seeded from a whole-store snapshot. */
  snapshots: number;
  dataLosses: number;
  messagesLost: number;
  /** Writes acknowledged by a deposed primary (older epoch than the newest promotion). */
  deposedAcks: number;
  /**
   * How often each protocol situation a mode wants exercised was reached (mode-specific names, listed
   * by each mode in the registry): `election-failover`, `split-brain-attempt`, `in-doubt`,
   * `compensation`, ... The report shows the share of seeds that reached each.
   */
  milestones: Record<string, number>;
}

/** A coverage with nothing reached (modes that are not clusters start from it). */
export function emptyCoverage(milestones: Record<string, number> = {}): Coverage {
  return { faultsFired: [], primaryCrashes: 0, failovers: 0, demotions: 0, truncations: 0, snapshots: 0, dataLosses: 0, messagesLost: 0, deposedAcks: 0, milestones };
}

const FIRED_BY: Partial<Record<(typeof FAULT_TYPES)[number], HarnessFault>> = {
  crash: "crash",
  partition: "partition",
  cut: "one-way-cut",
  slow: "slow-link",
  "disk-loss": "disk-loss",
  "domain-failure": "domain-failure",
  "random-crash": "random-crashes",
};

const LOSS = DROP_REASONS.indexOf("loss");

export class CoverageTracker {
  private readonly fired = new Set<HarnessFault>();
  private readonly primaries = new Set<number>();
  private primaryCrashes = 0;
  private demotions = 0;
  private truncations = 0;
  private snapshots = 0;
  private dataLosses = 0;
  private messagesLost = 0;
  private deposedAcks = 0;
  private readonly epochOf = new Map<number, number>();
  private newestEpoch = 0;
  /** Promotions or elections after the first primary (epoch > 1). */
  private laterPrimaries = 0;
  /** Elections won while another live node still believed it was primary. */
  private splitBrainAttempts = 0;
  private readonly down = new Set<number>();

  observe(batch: EventBatch): void {
    const { types, a, b, d } = batch;
    for (let i = 0; i < batch.length; i++) {
      switch (types[i]) {
        case EV["fault-start"]: {
          const kind = FIRED_BY[FAULT_TYPES[b[i]]];
          if (kind) this.fired.add(kind);
          break;
        }
        case EV.drop:
          if (d[i] === LOSS) {
            this.messagesLost++;
            this.fired.add("loss");
          }
          break;
        case EV.promote:
          if (b[i] > 1) this.laterPrimaries++;
          for (const p of this.primaries) if (p !== a[i] && !this.down.has(p)) this.splitBrainAttempts++;
          this.primaries.add(a[i]);
          this.epochOf.set(a[i], b[i]);
          this.newestEpoch = Math.max(this.newestEpoch, b[i]);
          break;
        case EV.ack:
          if ((this.epochOf.get(a[i]) ?? 0) < this.newestEpoch) this.deposedAcks++;
          break;
        case EV.demote:
          this.demotions++;
          this.primaries.delete(a[i]);
          break;
        case EV.crash:
          if (this.primaries.has(a[i])) this.primaryCrashes++;
          this.down.add(a[i]);
          break;
        case EV.recover:
          this.down.delete(a[i]);
          break;
        case EV["data-loss"]:
          this.dataLosses++;
          this.primaries.delete(a[i]);
          break;
        case EV.truncate:
          this.truncations++;
          break;
        case EV.snapshot:
          this.snapshots++;
          break;
      }
    }
  }

  /**
   * `failovers`: operator promotions; with elections (no operator) pass null and every primary after
   * the first counts.
   */
  result(failovers: number | null, milestones: Record<string, number> = {}): Coverage {
    const order = (f: HarnessFault) => HARNESS_FAULTS.indexOf(f);
    return {
      faultsFired: [...this.fired].sort((x, y) => order(x) - order(y)),
      primaryCrashes: this.primaryCrashes,
      failovers: failovers ?? this.laterPrimaries,
      demotions: this.demotions,
      truncations: this.truncations,
      snapshots: this.snapshots,
      dataLosses: this.dataLosses,
      messagesLost: this.messagesLost,
      deposedAcks: this.deposedAcks,
      milestones: { ...milestones, ...(failovers === null ? { "election-failover": this.laterPrimaries, "split-brain-attempt": this.splitBrainAttempts } : {}) },
    };
  }
}
