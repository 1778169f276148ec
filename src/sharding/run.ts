import { mapValues, max, mean, sum, zipObject } from "lodash";
import type { FaultWindow, TimeSeries } from "../charts/types";
import { round3, type LatencySummary } from "../metrics/latency-histogram";
import type { AvailabilityWindow } from "../metrics/operators/availability";
import type { ThroughputWindow } from "../metrics/operators/throughput";
import { availabilitySeries, throughputSeries } from "../metrics/series";
import { summarize } from "../metrics/summary";
import { deriveSeed } from "../sim/random";
import { ShardedCluster, type ShardedClusterOptions } from "./cluster";
import type { ShardViolation } from "./invariants";
import { aggregate, availabilityWindows, loadImbalance, shardSummary, throughputWindows, type ShardSummary } from "./metrics";
import { DEFAULT_INITIAL_BALANCE } from "./transfers";
import type { PartitioningStrategy, ShardedScenario } from "./types";

/** The result summary of a sharded run (`replicalab run shard-*.json --json`). Field names are a public contract. */
export interface ShardedSummary {
  kind: "sharded";
  scenario: string;
  seed: number;
  strategy: PartitioningStrategy;
  /** Shards at the start and at the end (one more after a rebalance). */
  shards: number;
  shardsAtEnd: number;
  keys: number;
  virtualTimeMs: number;
  /** Events of all shard engines, and one hash over their hashes and the router's counts: equal hashes = identical runs. */
  events: number;
  eventHash: string;
  /** Logical client operations (a retried operation counts once), over every shard. */
  operations: { attempted: number; ok: number; failed: number };
  availability: number | null;
  latencyMs: LatencySummary;
  throughputPerSec: number;
  /** Busiest shard's operations / mean operations per shard (1 = even; Zipf + range makes it large). */
  loadImbalance: number | null;
  /** Keys each shard owns at the end. */
  keysOwned: Record<string, number>;
  perShard: ShardSummary[];
  /** "wrong-shard" answers the router received (stale map or key moving), and how often it refreshed its map. */
  wrongShardAnswers: number;
  mapRefreshes: number;
  /** Writes a shard executed for a key it did not own (0 unless a broken variant is on). */
  nonOwnerWrites: number;
  rebalance: {
    keysMoved: number;
    movedFraction: number;
    startedAtMs: number | null;
    finishedAtMs: number | null;
    /** Per moved key, the time with no writable owner (freeze to flip). */
    noWritableOwnerMs: { mean: number | null; max: number | null };
    copyWaits: number;
  } | null;
  transfers: {
    planned: number;
    committed: number;
    aborted: number;
    inDoubt: number;
    /** Committed parts applied by their shard, and those still unapplied at the end. */
    partsApplied: number;
    partsUnapplied: number;
    /** Sum of balances at the start and at the end (owner primaries), and the amount of unapplied parts. */
    money: { initial: number; final: number | null; unapplied: number };
    /** Every committed part applied, and the final sum equals the initial one: nothing created or destroyed. */
    conserved: boolean;
  } | null;
  /** The invariant check (when asked for): checks run and violations found. */
  invariants: { checks: number; violations: number; examples: string[] };
  /** Each shard's replica set as the cluster engine reports it. */
  engine: Record<string, { failovers: number; downtimeMs: number; uptimeRatio: number | null; lostAcknowledgedWrites: number; events: number; eventHash: string }>;
}

/** Everything a notebook needs from a sharded run: the summary, chart series per shard, the fault windows. */
export interface ShardedRunResult {
  summary: ShardedSummary;
  /** Per shard, per window (same record shapes as the cluster metric operators). */
  windows: { windowMs: number; availability: Record<string, AvailabilityWindow[]>; throughput: Record<string, ThroughputWindow[]>; total: { availability: AvailabilityWindow[]; throughput: ThroughputWindow[] } };
  /** Fault windows of every shard, for shading charts ("crash s2-db1"). */
  faults: FaultWindow[];
  violations: ShardViolation[];
  cluster: ShardedCluster;
}

export interface ShardedRunOptions extends ShardedClusterOptions {
  /** Override the scenario's seed. */
  seed?: number;
}

/**
 * Runs a (validated) sharded scenario to the end and summarises it.
 *
 * ```ts
 * const run = runShardedScenario(loadShardedScenarioFile("data/scenarios/shard-blast-radius.json"));
 * run.summary.perShard;                       // availability, throughput, p50/p99, keys owned, per shard
 * show(availabilityChart(shardAvailabilitySeries(run), { faults: run.faults }));
 * ```
 */
export function runShardedScenario(scenario: ShardedScenario, options: ShardedRunOptions = {}): ShardedRunResult {
  const seeded = options.seed === undefined ? scenario : { ...scenario, seed: options.seed };
  const cluster = new ShardedCluster(seeded, options).run();
  const windowMs = seeded.windowMs ?? 500;
  const endMs = cluster.nowMs;
  const names = cluster.shards.map((s) => s.name);
  return {
    summary: summarizeSharded(cluster),
    windows: {
      windowMs,
      availability: zipObject(names, cluster.counters.map((c) => availabilityWindows(c, windowMs, endMs))),
      throughput: zipObject(names, cluster.counters.map((c) => throughputWindows(c, windowMs, endMs))),
      total: { availability: availabilityWindows(cluster.total, windowMs, endMs), throughput: throughputWindows(cluster.total, windowMs, endMs) },
    },
    faults: cluster.faults,
    violations: cluster.violations,
    cluster,
  };
}

/** One availability series per shard (named s1, s2, ...), for `availabilityChart`. */
export function shardAvailabilitySeries(run: ShardedRunResult): TimeSeries[] {
  return Object.entries(run.windows.availability).map(([shard, w]) => availabilitySeries(w, shard));
}

/** One throughput series per shard (ok operations per second), for `throughputChart`. */
export function shardThroughputSeries(run: ShardedRunResult): TimeSeries[] {
  return Object.entries(run.windows.throughput).map(([shard, w]) => throughputSeries(w, shard));
}

export function summarizeSharded(cluster: ShardedCluster): ShardedSummary {
  const s = cluster.scenario;
  const durationMs = Math.min(cluster.nowMs, s.durationMs);
  const owned = cluster.map.keysOwned(cluster.shards.length);
  const perShard = cluster.shards.map((sh, i) => shardSummary(sh.name, cluster.counters[i], { now: owned[i], atStart: cluster.keysOwnedAtStart[i] }, cluster.nonOwnerWrites[i], durationMs));
  const total = aggregate(perShard);
  const engines = cluster.shards.map((sh) => summarize(sh.simulation));
  const events = sum(engines.map((e) => e.events));
  const hashInput = [...engines.map((e) => e.eventHash), total.operations, total.ok, cluster.router.wrongShardAnswers].join("/");
  return {
    kind: "sharded",
    scenario: s.name,
    seed: s.seed,
    strategy: s.shards.partitioning.strategy,
    shards: s.shards.count,
    shardsAtEnd: cluster.rebalancer?.record.finishedAtMs != null ? cluster.shards.length : s.shards.count,
    keys: s.keys,
    virtualTimeMs: cluster.nowMs,
    events,
    eventHash: hex(deriveSeed(1, hashInput)) + hex(deriveSeed(2, hashInput)),
    operations: { attempted: total.operations, ok: total.ok, failed: total.failed },
    availability: total.availability,
    latencyMs: cluster.total.latency.summary(),
    throughputPerSec: durationMs > 0 ? round3((total.ok * 1000) / durationMs) : 0,
    // Shards that served from the start are what "imbalance" compares (a shard added late would skew the mean).
    loadImbalance: loadImbalance(perShard.slice(0, s.shards.count)),
    keysOwned: zipObject(cluster.shards.map((x) => x.name), owned),
    perShard,
    wrongShardAnswers: cluster.router.wrongShardAnswers,
    mapRefreshes: cluster.router.cached.refreshes,
    nonOwnerWrites: sum(cluster.nonOwnerWrites),
    rebalance: rebalanceSummary(cluster),
    transfers: transferSummary(cluster),
    invariants: { checks: cluster.checks, violations: cluster.violations.length, examples: cluster.violations.slice(0, 5).map((v) => v.message) },
    engine: zipObject(
      cluster.shards.map((x) => x.name),
      engines.map((e) => ({ failovers: e.failovers, downtimeMs: e.downtimeMs, uptimeRatio: e.uptimeRatio, lostAcknowledgedWrites: e.lostAcknowledgedWrites, events: e.events, eventHash: e.eventHash })),
    ),
  };
}

function rebalanceSummary(cluster: ShardedCluster): ShardedSummary["rebalance"] {
  const r = cluster.rebalancer?.record;
  if (!r) return null;
  const w = r.blockedWindowsMs;
  return {
    keysMoved: r.keysMoved,
    movedFraction: round3(r.movedFraction),
    startedAtMs: r.startedAtMs,
    finishedAtMs: r.finishedAtMs,
    noWritableOwnerMs: { mean: w.length ? round3(mean(w)) : null, max: w.length ? round3(max(w) as number) : null },
    copyWaits: r.copyWaits,
  };
}

function transferSummary(cluster: ShardedCluster): ShardedSummary["transfers"] {
  const t = cluster.scenario.transfers;
  if (!t) return null;
  const accounts = t.accounts ?? cluster.scenario.keys;
  const initialBalance = t.initialBalance ?? DEFAULT_INITIAL_BALANCE;
  const fates = mapValues({ commit: 0, abort: 0, "in-doubt": 0 }, (_, fate) => cluster.decisions.filter((d) => d.outcome === fate).length);
  let final: number | null = accounts * initialBalance;
  for (let a = 0; a < accounts && final !== null; a++) {
    const v = cluster.ownerValue(a);
    final = v === null ? null : final + v;
  }
  const unapplied = cluster.applier.unappliedAmount;
  const initial = accounts * initialBalance;
  return {
    planned: cluster.transfers.length,
    committed: fates.commit,
    aborted: fates.abort,
    inDoubt: fates["in-doubt"],
    partsApplied: cluster.applier.applied,
    partsUnapplied: cluster.applier.unapplied,
    money: { initial, final, unapplied },
    conserved: final === initial && cluster.applier.unapplied === 0,
  };
}

function hex(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}
