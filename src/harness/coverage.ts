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

  result(failovers: number): Coverage {
    const order = (f: HarnessFault) => HARNESS_FAULTS.indexOf(f);
    return {
      faultsFired: [...this.fired].sort((x, y) => order(x) - order(y)),
      primaryCrashes: this.primaryCrashes,
      failovers,
      demotions: this.demotions,
      truncations: this.truncations,
      snapshots: this.snapshots,
      dataLosses: this.dataLosses,
      messagesLost: this.messagesLost,
      deposedAcks: this.deposedAcks,
    };
  }
}
