/**
 * From a run to the numbers a card asks about, whichever kind of scenario ran.
 *
 * Every metric of `cards.ts` is computed here from the result summary (cluster runs: `RunSummary`;
 * sharded runs: `ShardedSummary`), plus the facts `grade.ts` needs to explain a failure in terms of
 * the mechanism: error counts by kind, failovers and their timing, where reports ran.
 */
import type { AvailabilityWindow } from "../metrics/operators/availability";
import type { RunSummary } from "../metrics/summary";
import type { ShardedSummary } from "../sharding";
import type { Metric, RequirementCard } from "./cards";

export type Measurements = Record<Metric, number | null>;

/** What happened in the run, beyond the metrics: the material of explanations. */
export interface RunFacts {
  kind: "cluster" | "sharded";
  /** Client-visible errors by kind (sharded runs: summed over the shards' engines). */
  errors: Record<string, number>;
  /** Acknowledged writes no other live node held when a primary's reign ended (the summary's `atRiskWrites`). */
  atRiskWrites: number;
  failovers: number;
  falseFailovers: number;
  /** Time from losing a primary to its successor's first acknowledged write, summed (ms). */
  downtimeMs: number;
  detectionMs: number | null;
  electionMs: number | null;
  /** Worst replica's p99 apply lag (ms); null without replicas. */
  lagP99MsMax: number | null;
  reportsAttempted: number;
  reportsFailed: number;
  /** Sharded runs: availability per shard (s1..sN). */
  shardAvailability: Record<string, number | null>;
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The metrics and facts of a cluster run; `windows` are the run's availability windows (for the outage metric). */
export function measureCluster(c: RequirementCard, s: RunSummary, windows: readonly AvailabilityWindow[]): { measured: Measurements; facts: RunFacts } {
  const lagP99 = Object.values(s.lagMs).map((l) => l.p99).filter((x): x is number => x !== null);
  const answered = s.writes.acknowledged + s.reads.ok;
  return {
    measured: {
      lostAcknowledgedWrites: s.lostAcknowledgedWrites,
      availability: s.availability,
      writeP99Ms: s.writeLatencyMs.p99,
      readP99Ms: s.readLatencyMs.p99,
      staleReads: s.staleReads,
      stalenessMsMax: s.staleReads === 0 ? 0 : s.staleness.msBehindMax,
      reportsCompletedRatio: s.analytics.ok + s.analytics.failed === 0 ? null : round3(s.analytics.ok / (s.analytics.ok + s.analytics.failed)),
      opsPerSec: normalDayOpsPerSec(c, windows) ?? round3((answered * 1000) / c.durationMs),
      outageFailedRatio: outageFailedRatio(c, windows),
    },
    facts: {
      kind: "cluster",
      errors: s.errors,
      atRiskWrites: s.atRiskWrites,
      failovers: s.failovers,
      falseFailovers: s.falseFailovers,
      downtimeMs: s.downtimeMs,
      detectionMs: s.detectionMs,
      electionMs: s.electionMs,
      lagP99MsMax: lagP99.length ? Math.max(...lagP99) : null,
      reportsAttempted: s.analytics.attempted,
      reportsFailed: s.analytics.failed,
      shardAvailability: {},
    },
  };
}

/**
 * The metrics and facts of a sharded run: availability, throughput and the outage from the router's
 * count of logical operations (`summary`, `windows`); latencies, stale reads, lost writes and the
 * failure facts from each shard's own engine (`shards`: one cluster `RunSummary` per shard). A p99 is
 * the worst shard's p99 (each shard measures its own operations; percentiles cannot be summed).
 * Sharded workloads run no reports, so that metric is null.
 */
export function measureSharded(c: RequirementCard, s: ShardedSummary, windows: readonly AvailabilityWindow[], shards: readonly RunSummary[]): { measured: Measurements; facts: RunFacts } {
  const sum = (f: (x: RunSummary) => number) => shards.reduce((n, x) => n + f(x), 0);
  const worst = (xs: (number | null)[]) => {
    const known = xs.filter((x): x is number => x !== null);
    return known.length ? Math.max(...known) : null;
  };
  const errors: Record<string, number> = {};
  for (const x of shards) for (const [kind, n] of Object.entries(x.errors)) errors[kind] = (errors[kind] ?? 0) + n;
  const detections = shards.map((x) => x.detectionMs).filter((x): x is number => x !== null);
  const elections = shards.map((x) => x.electionMs).filter((x): x is number => x !== null);
  const mean = (xs: number[]) => (xs.length ? round3(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const staleReads = sum((x) => x.staleReads);
  return {
    measured: {
      lostAcknowledgedWrites: sum((x) => x.lostAcknowledgedWrites),
      availability: s.availability,
      writeP99Ms: worst(shards.map((x) => x.writeLatencyMs.p99)),
      readP99Ms: worst(shards.map((x) => x.readLatencyMs.p99)),
      staleReads,
      stalenessMsMax: staleReads === 0 ? 0 : worst(shards.map((x) => x.staleness.msBehindMax)),
      reportsCompletedRatio: null,
      opsPerSec: normalDayOpsPerSec(c, windows) ?? round3((s.operations.ok * 1000) / c.durationMs),
      outageFailedRatio: outageFailedRatio(c, windows),
    },
    facts: {
      kind: "sharded",
      errors,
      atRiskWrites: sum((x) => x.atRiskWrites),
      failovers: sum((x) => x.failovers),
      falseFailovers: sum((x) => x.falseFailovers),
      downtimeMs: round3(sum((x) => x.downtimeMs)),
      detectionMs: mean(detections),
      electionMs: mean(elections),
      lagP99MsMax: worst(shards.flatMap((x) => Object.values(x.lagMs).map((l) => l.p99))),
      reportsAttempted: 0,
      reportsFailed: 0,
      shardAvailability: Object.fromEntries(s.perShard.map((p) => [p.shard, p.availability])),
    },
  };
}

/**
 * Failed requests / finished requests in the windows inside the card's replica-set-down fault (the
 * first window is skipped: the requests in flight at the crash need their timeout to fail, and
 * what counts is the steady state of the outage). null if the card has no such fault.
 */
function outageFailedRatio(c: RequirementCard, windows: readonly AvailabilityWindow[]): number | null {
  const outage = c.faults.find((f) => f.kind === "replica-set-down");
  if (!outage || outage.durationMs === undefined) return null;
  const from = outage.atMs + c.workload.timeoutMs;
  const to = outage.atMs + outage.durationMs;
  const inside = windows.filter((w) => w.startMs >= from && w.endMs <= to);
  const attempted = inside.reduce((n, w) => n + w.attempted, 0);
  const failed = inside.reduce((n, w) => n + w.failed, 0);
  return attempted === 0 ? null : round3(failed / attempted);
}

/**
 * Operations answered ok per second in the windows outside every fault of the card (a fault's
 * window lasts until its end plus one client timeout, while clients notice), so a design's capacity
 * is not confused with the cost of an outage. null if no window is left.
 */
function normalDayOpsPerSec(c: RequirementCard, windows: readonly AvailabilityWindow[]): number | null {
  const faulty = c.faults.map((f) => ({ from: f.atMs, to: f.durationMs === undefined ? Infinity : f.atMs + f.durationMs + c.workload.timeoutMs }));
  const normal = windows.filter((w) => w.endMs <= c.durationMs && faulty.every((f) => w.endMs <= f.from || w.startMs >= f.to));
  const spanMs = normal.reduce((n, w) => n + (w.endMs - w.startMs), 0);
  if (spanMs === 0) return null;
  return round3((normal.reduce((n, w) => n + w.ok, 0) * 1000) / spanMs);
}
