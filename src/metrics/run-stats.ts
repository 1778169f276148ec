import { LatencyHistogram } from "./latency-histogram";

/**
 * Counters the engine updates as a run goes (not derived from the event stream, so a run with no
 * subscriber still produces its summary). Bounded memory: counters and histograms only.
 */
export class RunStats {
  writesAttempted = 0;
  writesAcknowledged = 0;
  writesFailed = 0;
  readsAttempted = 0;
  readsOk = 0;
  readsFailed = 0;
  staleReads = 0;
  atRiskWrites = 0;
  readonly writeLatency = new LatencyHistogram();
  readonly readLatency = new LatencyHistogram();
  /** Apply lag per replica (by node index), fed by `recordApply`. */
  readonly lag = new Map<number, LatencyHistogram>();
  /** Error counts by client-visible error code name. */
  readonly errors = new Map<string, number>();
  /** Time-based availability of the primary. */
  private primaryDownSinceUs = -1;
  primaryDownUs = 0;

  lagOf(node: number): LatencyHistogram {
    let h = this.lag.get(node);
    if (!h) this.lag.set(node, (h = new LatencyHistogram()));
    return h;
  }

  countError(name: string): void {
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
  }

  /** Tracks whether the directory's primary is up, for `uptimeRatio`. */
  primaryUp(up: boolean, nowUs: number): void {
    if (!up && this.primaryDownSinceUs < 0) this.primaryDownSinceUs = nowUs;
    if (up && this.primaryDownSinceUs >= 0) {
      this.primaryDownUs += nowUs - this.primaryDownSinceUs;
      this.primaryDownSinceUs = -1;
    }
  }

  /** Total primary downtime up to `endUs`, counting an outage still going on. */
  primaryDowntimeUntil(endUs: number): number {
    return this.primaryDownUs + (this.primaryDownSinceUs >= 0 ? endUs - this.primaryDownSinceUs : 0);
  }
}
