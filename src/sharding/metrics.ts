import { maxBy, meanBy, sumBy } from "lodash";
import { LatencyHistogram, round3, type LatencySummary } from "../metrics/latency-histogram";
import type { AvailabilityWindow } from "../metrics/operators/availability";
import type { ThroughputWindow } from "../metrics/operators/throughput";

/**
 * What clients saw, per shard, as the ROUTER counts it: one logical operation counts once, however
 * many times it was retried after "wrong-shard", and it belongs to the shard that finally answered it
 * (or, if it failed, the shard it was last sent to). Windows are virtual-time windows by completion,
 * with the same record shapes as the cluster operators (`AvailabilityWindow`, `ThroughputWindow`), so
 * `availabilitySeries` and the chart builders take them unchanged.
 */
export class ShardCounters {
  readsOk = 0;
  readsFailed = 0;
  writesOk = 0;
  writesFailed = 0;
  readonly latency = new LatencyHistogram();
  readonly windows: WindowCounts[] = [];

  constructor(private readonly windowUs: number) {}

  record(nowUs: number, isWrite: boolean, ok: boolean, latencyUs: number): void {
    if (isWrite && ok) this.writesOk++;
    else if (isWrite) this.writesFailed++;
    else if (ok) this.readsOk++;
    else this.readsFailed++;
    if (ok) this.latency.recordUs(latencyUs);
    const w = this.window(Math.floor(nowUs / this.windowUs));
    if (!ok) w.failed++;
    else if (isWrite) w.writes++;
    else w.reads++;
  }

  get attempted(): number {
    return this.readsOk + this.readsFailed + this.writesOk + this.writesFailed;
  }

  get ok(): number {
    return this.readsOk + this.writesOk;
  }

  private window(i: number): WindowCounts {
    while (this.windows.length <= i) this.windows.push({ reads: 0, writes: 0, failed: 0 });
    return this.windows[i];
  }
}

interface WindowCounts {
  reads: number;
  writes: number;
  failed: number;
}

/** Availability per window (null where nothing completed: no data is not "down"). */
export function availabilityWindows(c: ShardCounters, windowMs: number, endMs: number): AvailabilityWindow[] {
  return padded(c, windowMs, endMs).map((w, i) => {
    const ok = w.reads + w.writes;
    const attempted = ok + w.failed;
    return { startMs: i * windowMs, endMs: Math.min((i + 1) * windowMs, endMs), attempted, ok, failed: w.failed, ratio: attempted === 0 ? null : ok / attempted };
  });
}

/** Operations answered ok per second, per window. */
export function throughputWindows(c: ShardCounters, windowMs: number, endMs: number): ThroughputWindow[] {
  return padded(c, windowMs, endMs).map((w, i) => {
    const startMs = i * windowMs;
    const span = Math.min((i + 1) * windowMs, endMs) - startMs;
    return { startMs, endMs: startMs + span, reads: w.reads, writes: w.writes, perSec: span > 0 ? ((w.reads + w.writes) * 1000) / span : null };
  });
}

/** Every window up to the end of the run, empty ones included, so all shards share one time axis. */
function padded(c: ShardCounters, windowMs: number, endMs: number): WindowCounts[] {
  const n = Math.ceil(endMs / windowMs);
  return Array.from({ length: n }, (_, i) => c.windows[i] ?? { reads: 0, writes: 0, failed: 0 });
}

/** One shard's line of the summary. */
export interface ShardSummary {
  shard: string;
  /** Keys owned at the end (and at the start). */
  keysOwned: number;
  keysOwnedAtStart: number;
  /** Logical operations that ended on this shard. */
  operations: number;
  ok: number;
  failed: number;
  /** ok / (ok + failed); null if none. */
  availability: number | null;
  /** Operations answered ok per second over the run. */
  throughputPerSec: number;
  latencyMs: LatencySummary;
  /** Writes this shard executed for keys it did not own (0 unless a broken variant is on). */
  nonOwnerWrites: number;
}

export function shardSummary(shard: string, c: ShardCounters, owned: { now: number; atStart: number }, nonOwnerWrites: number, durationMs: number): ShardSummary {
  const attempted = c.attempted;
  return {
    shard,
    keysOwned: owned.now,
    keysOwnedAtStart: owned.atStart,
    operations: attempted,
    ok: c.ok,
    failed: attempted - c.ok,
    availability: attempted === 0 ? null : round3(c.ok / attempted),
    throughputPerSec: durationMs > 0 ? round3((c.ok * 1000) / durationMs) : 0,
    latencyMs: c.latency.summary(),
    nonOwnerWrites,
  };
}

/** Load imbalance: the busiest shard's operations over the mean (1 = perfectly even). */
export function loadImbalance(shards: readonly ShardSummary[]): number | null {
  const mean = meanBy(shards, "operations");
  if (!(mean > 0)) return null;
  return round3((maxBy(shards, "operations")?.operations ?? 0) / mean);
}

/** The whole cluster as clients saw it. */
export function aggregate(shards: readonly ShardSummary[]): { operations: number; ok: number; failed: number; availability: number | null } {
  const operations = sumBy(shards, "operations");
  const ok = sumBy(shards, "ok");
  return { operations, ok, failed: operations - ok, availability: operations === 0 ? null : round3(ok / operations) };
}
