import { LatencyHistogram } from "./latency-histogram";

/** One automatic failover, from the loss of the old primary to the new one's first acknowledgement. */
export interface FailoverRecord {
  /** When the old primary crashed or was cut off from a majority (null: it never was: a false failover). */
  lostAtUs: number | null;
  /** When the first replica stood for election. */
  firstCandidacyUs: number;
  electedAtUs: number;
  /** The new primary's first acknowledged write (null: none before the run ended). */
  firstAckUs: number | null;
  newPrimary: number;
  /** The old primary was up and reachable when it was replaced. */
  falseFailover: boolean;
}

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
  analyticsAttempted = 0;
  analyticsOk = 0;
  analyticsFailed = 0;
  readonly analyticsLatency = new LatencyHistogram();
  readonly writeLatency = new LatencyHistogram();
  readonly readLatency = new LatencyHistogram();
  /** Apply lag per replica (by node index), fed by `recordApply`. */
  readonly lag = new Map<number, LatencyHistogram>();
  /** Error counts by client-visible error code name. */
  readonly errors = new Map<string, number>();
  /** Automatic failovers, in order (a handful per run). */
  readonly failovers: FailoverRecord[] = [];
  /** When the current primary was lost (crash or cut off from a majority), -1 if it was not. */
  primaryLostAtUs = -1;
  /** When the first candidate of the election under way stood, -1 if none is under way. */
  candidacySinceUs = -1;
  /** Time-based availability of the primary. */
  private primaryDownSinceUs = -1;
  primaryDownUs = 0;

  /** Stale reads: how many log positions and how long (µs) behind the newest acknowledged write. */
  staleEntriesSum = 0;
  staleEntriesMax = 0;
  readonly staleness = new LatencyHistogram();

  staleRead(entriesBehind: number, behindUs: number): void {
    this.staleReads++;
    this.staleEntriesSum += entriesBehind;
    this.staleEntriesMax = Math.max(this.staleEntriesMax, entriesBehind);
    this.staleness.recordUs(behindUs);
  }

  /** Multi-master: conflicting pairs of writes (each pair once, though every master detects it). */
  private readonly conflictPairs = new Set<string>();
  /** Writes a conflict resolution threw away after they were acknowledged (each once). */
  readonly discardedWrites = new Set<number>();
  /** The highest floor any accepted write declared for a key ("balance must stay >= 0"). */
  readonly floors = new Map<number, number>();

  /** Quorum: writes refused because their version was taken (rolled back; the client may retry). */
  rejectedStaleWrites = 0;
  /** Quorum: writes whose proposer got no majority answer in time (they may or may not commit later). */
  indeterminateWrites = 0;
  /** Quorum: (key, version) pairs committed with two different writes (never with ballots). */
  divergentCommits = 0;
  /** Quorum: acknowledged writes whose version was later committed with another write. */
  overwrittenAcknowledged = 0;
  /** Quorum: which write each recent (key, version) was committed with, and whether it was acknowledged. */
  private readonly decided = new Map<number, Map<number, { op: number; acknowledged: boolean }>>();

  /** A node committed (or, naively, took) `op` as version `version` of `key`. */
  commitObserved(key: number, version: number, op: number): void {
    let versions = this.decided.get(key);
    if (!versions) this.decided.set(key, (versions = new Map()));
    const earlier = versions.get(version);
    if (!earlier) {
      versions.set(version, { op, acknowledged: false });
      // Keep the last few hundred versions per key: enough to catch a version committed twice.
      if (versions.size > 512) versions.delete(versions.keys().next().value as number);
    } else if (earlier.op !== op && op !== 0) {
      this.divergentCommits++;
      if (earlier.acknowledged) this.overwrittenAcknowledged++;
      versions.set(version, { op, acknowledged: false });
    }
  }

  /** A quorum write was acknowledged to its client. */
  quorumAcknowledged(key: number, version: number, op: number): void {
    const entry = this.decided.get(key)?.get(version);
    if (entry && entry.op === op) entry.acknowledged = true;
  }

  get conflicts(): number {
    return this.conflictPairs.size;
  }

  conflictBetween(opA: number, opB: number): void {
    this.conflictPairs.add(opA < opB ? `${opA}:${opB}` : `${opB}:${opA}`);
  }

  writeDiscarded(op: number): void {
    this.discardedWrites.add(op);
  }

  declareFloor(key: number, floor: number): void {
    this.floors.set(key, Math.max(this.floors.get(key) ?? -Infinity, floor));
  }

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
