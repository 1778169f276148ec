/**
 * Sim vs real: run the simulator with parameters MEASURED on the real system, then put the two side
 * by side (same chart builders, same metric definitions) and say how close they are.
 *
 * What is fitted and what is predicted:
 * - fitted from the real async run on plain loopback: the client's round trip (SELECT 1), the
 *   primary's own commit time (async commit latency minus that round trip, as a lognormal), and the
 *   primary<->standby link (half of PostgreSQL's flush_lag under async: a round trip to the
 *   standby's disk and back);
 * - configured, not measured: the delay proxy's delay (added to the link), the election timeout
 *   and heartbeat of etcd (the simulator's failover uses the same two numbers);
 * - predicted, then compared: commit latency of every synchronous mode, lag with a delayed link,
 *   acknowledged writes lost at failover, etcd's re-election time and write outage.
 */
import type { ChartData, FaultWindow, LatencySamples } from "../charts/types";
import { EV, type EventBatch } from "../events";
import { availabilityPerWindow, type AvailabilityWindow } from "../metrics/operators/availability";
import { faultWindows } from "../metrics/operators/faults";
import { lagPerWindow, type LagWindow } from "../metrics/operators/lag";
import { throughputPerWindow, type ThroughputWindow } from "../metrics/operators/throughput";
import { availabilitySeries, lagSeries, throughputSeries } from "../metrics/series";
import { summarize, type RunSummary } from "../metrics/summary";
import { parseScenario } from "../scenario/load";
import type { NodeSpec, ReplicationSpec, Scenario } from "../scenario/types";
import { Simulation } from "../sim/simulation";
import { VERSION } from "../version";
import type { LeaderLossResult } from "./etcd-experiments";
import type { CommitLatencyResult, FailoverResult } from "./pg-experiments";
import { fitLognormal, median, percentile, round, stats } from "./stats";

export interface PgSimParams {
  /** One-way client <-> primary latency (ms): half the measured SELECT 1 round trip. */
  clientOneWayMs: number;
  /** The primary's own commit time (ms), lognormal: ln(ms) ~ N(mu, sigma). */
  commit: { mu: number; sigma: number };
  /** One-way primary <-> standby latency (ms) on plain loopback, including the standby's flush. */
  linkOneWayMs: number;
  clients: number;
}

/** The simulator's parameters, fitted to the async runs (delay 0) of a commit-latency experiment. */
export function pgParams(real: CommitLatencyResult): PgSimParams {
  const asyncRuns = real.runs.filter((r) => r.mode.id === "async" && r.delayMs === 0);
  if (asyncRuns.length === 0) throw new Error("fitting the simulator needs an async run without delay (mode async, delay 0)");
  const own = asyncRuns.flatMap((r) => r.latencies).map((x) => Math.max(0.01, x - real.rttMs));
  const flush = asyncRuns.flatMap((r) => Object.values(r.flushLag).flat());
  return {
    clientOneWayMs: round(real.rttMs / 2),
    commit: fitLognormal(own),
    linkOneWayMs: round(Math.max(0.01, (percentile(flush, 50) ?? 0.2) / 2)),
    clients: real.clients,
  };
}

/** How a PostgreSQL mode maps to the simulator (null: the simulator has no such mode). */
export function simReplication(modeId: string): { replication: ReplicationSpec; replicas: string[]; note: string } | null {
  switch (modeId) {
    case "async":
    case "local":
      return { replication: { mode: "async" }, replicas: ["s1", "s2"], note: "async" };
    case "first1":
      return { replication: { mode: "semi-sync", acks: 1 }, replicas: ["s1"], note: "semi-sync 1 ack, s1 as the only replica (FIRST 1 waits for s1 specifically; the simulator counts any replica)" };
    case "first1-apply":
      return { replication: { mode: "sync" }, replicas: ["s1"], note: "sync (applied), s1 as the only replica" };
    case "any1":
      return { replication: { mode: "semi-sync", acks: 1 }, replicas: ["s1", "s2"], note: "semi-sync 1 ack of 2 (logged = PostgreSQL's flushed)" };
    default:
      return null;
  }
}

export interface PgScenarioOptions {
  /** One-way delay added to the delayed standbys' links (ms). */
  delayMs?: number;
  delayed?: string[];
  durationMs: number;
  seed?: number;
  /** Crash the primary at this time and promote `promote` right after (failover runs). */
  crashAtMs?: number;
  /** Cut the delayed standbys' links at this time (a failover with `cutMs`). */
  cutAtMs?: number;
  promote?: string;
  replicas?: string[];
  name?: string;
}

/** A scenario of the PostgreSQL lab cluster, with measured parameters. */
export function pgScenario(modeId: string, p: PgSimParams, o: PgScenarioOptions): Scenario | null {
  const m = simReplication(modeId);
  if (m === null) return null;
  const replicas = o.replicas ?? m.replicas;
  const delay = o.delayMs ?? 0;
  const delayed = (o.delayed ?? ["s1"]).filter((n) => replicas.includes(n));
  const link = (ms: number) => ({ dist: "constant" as const, value: round(ms) });
  const nodes: NodeSpec[] = [
    { id: "primary", role: "primary", workers: p.clients, serviceTimeMs: { dist: "lognormal", mu: p.commit.mu, sigma: p.commit.sigma } },
    ...replicas.map((id): NodeSpec => ({ id, role: "replica" })),
  ];
  const scenario = {
    format: 1,
    name: o.name ?? `sim: postgres ${modeId}${delay > 0 ? ` +${delay} ms` : ""}`,
    seed: o.seed ?? 1,
    durationMs: o.durationMs,
    nodes,
    replication: m.replication,
    network: {
      latencyMs: link(p.linkOneWayMs),
      clientLatencyMs: link(p.clientOneWayMs),
      links: delay > 0 ? delayed.flatMap((n) => [
        { from: "primary", to: n, latencyMs: link(p.linkOneWayMs + delay) },
        { from: n, to: "primary", latencyMs: link(p.linkOneWayMs + delay) },
      ]) : undefined,
    },
    workload: { clients: p.clients, readRatio: 0, keys: 1000, timeoutMs: 60_000, stopAtMs: o.crashAtMs },
    faults: o.crashAtMs !== undefined || o.cutAtMs !== undefined ? [
      ...(o.cutAtMs !== undefined ? delayed.map((n) => ({ atMs: o.cutAtMs, type: "cut", from: "primary", to: n })) : []),
      ...(o.crashAtMs !== undefined ? [{ atMs: o.crashAtMs, type: "crash", node: "primary" }] : []),
    ] : undefined,
    script: o.crashAtMs !== undefined ? [{ atMs: o.crashAtMs + 1, op: "promote", node: o.promote ?? "s1" }] : undefined,
  };
  return parseScenario(JSON.parse(JSON.stringify(scenario)));
}

export interface SimRun {
  scenario: Scenario;
  summary: RunSummary;
  data: ChartData;
  /** Apply lag samples per replica (ms). */
  lag: Record<string, number[]>;
  /** First promote event after the first crash (ms since the crash), if any. */
  electionMs: number | null;
  /** First ok write issued after the first crash (ms since the crash), if any. */
  writesResumeMs: number | null;
  /** Writes acknowledged in the last second before the first crash (or the run's end). */
  lastSecondWrites: number;
}

/** Runs a scenario with the standard metrics, keeping the raw lag samples and failover timings too. */
export function runSim(scenario: Scenario, windowMs = 100): SimRun {
  const sim = new Simulation(scenario);
  const batches = sim.batches$;
  const availability: AvailabilityWindow[] = [];
  const lagW: LagWindow[] = [];
  const thr: ThroughputWindow[] = [];
  const faults: FaultWindow[][] = [];
  batches.pipe(availabilityPerWindow(windowMs)).subscribe((w) => availability.push(w));
  batches.pipe(lagPerWindow(windowMs)).subscribe((w) => lagW.push(w));
  batches.pipe(throughputPerWindow(windowMs)).subscribe((w) => thr.push(w));
  batches.pipe(faultWindows()).subscribe((f) => faults.push(f));
  const lag: Record<string, number[]> = {};
  const latency: LatencySamples = { write: [], read: [] };
  const issued = new Map<number, number>();
  let crashUs: number | null = null;
  let promoteUs: number | null = null;
  let resumeUs: number | null = null;
  const okTimes: number[] = [];
  batches.subscribe((b: EventBatch) => {
    for (let i = 0; i < b.length; i++) {
      const t = b.types[i];
      if (t === EV.apply) (lag[b.names.actors[b.a[i]]] ??= []).push(b.c[i] / 1000);
      else if (t === EV.request) issued.set(b.b[i], b.timesUs[i]);
      else if (t === EV.response || t === EV.timeout) {
        const at = issued.get(b.b[i]);
        issued.delete(b.b[i]);
        if (at === undefined || t !== EV.response || b.c[i] !== 0) continue;
        latency.write.push((b.timesUs[i] - at) / 1000);
        okTimes.push(b.timesUs[i]);
        if (crashUs !== null && resumeUs === null && at >= crashUs) resumeUs = b.timesUs[i];
      } else if (t === EV.crash && crashUs === null) crashUs = b.timesUs[i];
      else if (t === EV.promote && crashUs !== null && promoteUs === null) promoteUs = b.timesUs[i];
    }
  });
  sim.run();
  const data: ChartData = {
    provenance: { scenario: scenario.name, seed: scenario.seed, version: VERSION },
    lag: lagSeries(lagW),
    availability: availabilitySeries(availability),
    throughput: throughputSeries(thr),
    latency,
    faults: faults[0] ?? [],
  };
  return {
    scenario, summary: summarize(sim), data, lag,
    electionMs: crashUs !== null && promoteUs !== null ? round((promoteUs - crashUs) / 1000, 1) : null,
    writesResumeMs: crashUs !== null && resumeUs !== null ? round((resumeUs - crashUs) / 1000, 1) : null,
    lastSecondWrites: lastSecond(okTimes, crashUs ?? (okTimes[okTimes.length - 1] ?? 0) + 1),
  };
}

function lastSecond(timesUs: number[], endUs: number): number {
  return timesUs.filter((t) => t >= endUs - 1_000_000 && t < endUs).length;
}

/** One compared quantity. `ratio` = sim / real. */
export interface ComparisonRow {
  family: "commit latency" | "lag" | "lost writes" | "etcd failover";
  metric: string;
  real: number | null;
  sim: number | null;
  ratio: number | null;
  /** "close" (within 25%), "same order" (within 2x), "off", or "no simulator equivalent". */
  verdict: string;
  note?: string;
}

export function verdict(real: number | null, sim: number | null): { ratio: number | null; verdict: string } {
  if (real === null || sim === null) return { ratio: null, verdict: "no simulator equivalent" };
  if (real === 0 && sim === 0) return { ratio: 1, verdict: "close" };
  if (real === 0 || sim === 0) return { ratio: null, verdict: Math.abs(real - sim) < 1 ? "close" : "off" };
  const ratio = round(sim / real, 2);
  return { ratio, verdict: ratio >= 0.8 && ratio <= 1.25 ? "close" : ratio >= 0.5 && ratio <= 2 ? "same order" : "off" };
}

function row(family: ComparisonRow["family"], metric: string, real: number | null, sim: number | null, note?: string): ComparisonRow {
  return { family, metric, real, sim, ...verdict(real, sim), note };
}

export interface PgCommitComparison {
  params: PgSimParams;
  rows: ComparisonRow[];
  /** Per (mode, delay): the real and simulated commit latencies, for overlay charts. */
  pairs: { mode: string; label: string; delayMs: number; real: number[]; sim: number[] | null; realLag: Record<string, number[]>; simLag: Record<string, number[]> | null; simNote: string | null }[];
}

/**
 * Simulates every (mode, delay) of a commit-latency experiment with parameters fitted to its async
 * run, and compares commit latency (p50, p99) and lag (p50 per standby).
 */
export function compareCommitLatency(real: CommitLatencyResult, options: { seed?: number } = {}): PgCommitComparison {
  const params = pgParams(real);
  const rows: ComparisonRow[] = [];
  const pairs: PgCommitComparison["pairs"] = [];
  for (const s of real.summary) {
    const group = real.runs.filter((r) => r.mode.id === s.mode && r.delayMs === s.delayMs);
    const realLat = group.flatMap((r) => r.latencies);
    const realLag: Record<string, number[]> = {};
    for (const r of group) for (const [n, v] of Object.entries(r.visibilityLag)) (realLag[n] ??= []).push(...v);
    const scenario = pgScenario(s.mode, params, { delayMs: s.delayMs, durationMs: real.seconds * 1000 * Math.max(1, group.length), seed: options.seed ?? 1 });
    const sim = scenario ? runSim(scenario) : null;
    const where = `${s.label}${s.delayMs > 0 ? `, s1 +${s.delayMs} ms` : ""}`;
    const note = simReplication(s.mode)?.note ?? "the simulator has no mode that waits for ANY k standbys to APPLY";
    const simStats = sim ? stats(sim.data.latency.write) : null;
    rows.push(row("commit latency", `p50 commit (ms), ${where}`, s.p50, simStats?.p50 ?? null, note));
    rows.push(row("commit latency", `p99 commit (ms), ${where}`, s.p99, simStats?.p99 ?? null));
    if (s.mode === "async" && sim) {
      for (const n of Object.keys(realLag).sort()) {
        rows.push(row("lag", `lag p50 (ms), ${n}${s.delayMs > 0 && n === "s1" ? ` +${s.delayMs} ms` : ""}`, stats(realLag[n]).p50, stats(sim.lag[n] ?? []).p50,
          "real: commit -> visible on the standby (probe); sim: commit -> applied"));
      }
    }
    pairs.push({ mode: s.mode, label: s.label, delayMs: s.delayMs, real: realLat, sim: sim?.data.latency.write ?? null, realLag, simLag: sim?.lag ?? null, simNote: sim ? note : null });
  }
  return { params, rows, pairs };
}

export interface FailoverComparison {
  real: { lost: number; acknowledged: number; writesPerSec: number; lossWindowMs: number | null };
  /** Medians over the seeds; null when the simulator has no counterpart. */
  sim: { lost: number | null; acknowledged: number | null; writesPerSec: number | null; lossWindowMs: number | null; seeds: number };
  rows: ComparisonRow[];
  simRuns: SimRun[];
}

/**
 * The same failover in the simulator: the primary crashes after the same writing time, the same
 * standby is promoted at once; lost acknowledged writes compared as counts and as a "loss window"
 * (lost / acknowledged-per-second: how many ms of acknowledged writes vanished).
 */
export function compareFailover(real: FailoverResult, params: PgSimParams, options: { seeds?: number } = {}): FailoverComparison {
  const seeds = options.seeds ?? 5;
  const modeId = real.mode.id;
  const simRuns: SimRun[] = [];
  // The mode's own replicas (FIRST 1 (s1) is simulated with s1 alone); promoting a standby the
  // simulated cluster does not have has no counterpart.
  const replicas = simReplication(modeId)?.replicas ?? [];
  for (let seed = 1; seed <= (replicas.includes(real.promoted) ? seeds : 0); seed++) {
    const sc = pgScenario(modeId, { ...params, clients: real.clients }, {
      delayMs: real.delayMs, delayed: real.delayed, durationMs: Math.round(real.killAtMs) + 1000, seed,
      crashAtMs: Math.round(real.killAtMs), promote: real.promoted,
      cutAtMs: real.cutMs === null ? undefined : Math.max(0, Math.round(real.killAtMs - real.cutMs)),
      name: `sim: postgres failover ${modeId} +${real.delayMs} ms, promote ${real.promoted}`,
    });
    if (sc) simRuns.push(runSim(sc));
  }
  const lost = median(simRuns.map((r) => r.summary.lostAcknowledgedWrites));
  const acked = median(simRuns.map((r) => r.summary.writes.acknowledged));
  const simRate = median(simRuns.map((r) => r.lastSecondWrites));
  const window = lost === null || simRate === null || simRate === 0 ? null : round((lost / simRate) * 1000, 1);
  const sim = { lost, acknowledged: acked, writesPerSec: simRate, lossWindowMs: window, seeds: simRuns.length };
  const realSide = { lost: real.lost, acknowledged: real.acknowledged, writesPerSec: real.writesPerSec, lossWindowMs: real.writesPerSec > 0 ? round((real.lost / real.writesPerSec) * 1000, 1) : null };
  const where = `${real.mode.label}, ${real.delayed.join("+")} ${real.cutMs === null ? `+${real.delayMs} ms` : `cut ${real.cutMs} ms before`}, promote ${real.promoted}`;
  return {
    real: realSide, sim, simRuns,
    rows: [
      row("lost writes", `acknowledged writes lost, ${where}`, realSide.lost, sim.lost),
      row("lost writes", `loss window (ms of acknowledged writes), ${where}`, realSide.lossWindowMs, sim.lossWindowMs,
        "lost / acknowledged per second: independent of how fast each side wrote"),
      row("lost writes", `acknowledged writes in the last second before the crash, ${where}`, realSide.writesPerSec, sim.writesPerSec),
    ],
  };
}

export interface EtcdSimParams {
  heartbeatMs: number;
  electionTimeoutMs: number;
  /** One-way latency between members (ms), from the measured put latency. */
  linkOneWayMs: number;
  clients: number;
  clientTimeoutMs: number;
}

/** The etcd cluster as a scenario: a leader that acknowledges after a majority logged (semi-sync 1 of 2), Raft-style failover without leases. */
export function etcdScenario(p: EtcdSimParams, o: { crashAtMs: number; durationMs: number; seed: number }): Scenario {
  return parseScenario({
    format: 1,
    name: `sim: etcd, election timeout ${p.electionTimeoutMs} ms, heartbeat ${p.heartbeatMs} ms`,
    seed: o.seed,
    durationMs: o.durationMs,
    nodes: [{ id: "e1", role: "primary" }, { id: "e2", role: "replica" }, { id: "e3", role: "replica" }],
    replication: { mode: "semi-sync", acks: 1, heartbeatMs: p.heartbeatMs, failover: { electionTimeoutMs: p.electionTimeoutMs, leases: false, clientRefreshMs: 50 } },
    network: { latencyMs: { dist: "constant", value: p.linkOneWayMs }, clientLatencyMs: { dist: "constant", value: 0.2 } },
    workload: { clients: p.clients, readRatio: 0, keys: 100, timeoutMs: p.clientTimeoutMs },
    faults: [{ atMs: o.crashAtMs, type: "crash", node: "e1" }],
  });
}

export interface EtcdComparison {
  params: EtcdSimParams;
  rows: ComparisonRow[];
  sim: { electionMs: (number | null)[]; writesResumeMs: (number | null)[] };
  simRuns: SimRun[];
}

/** Re-election and write outage after a leader kill: real runs vs `seeds` simulated runs. */
export function compareLeaderLoss(real: LeaderLossResult, options: { seeds?: number; clientTimeoutMs?: number } = {}): EtcdComparison {
  const put = median(real.runs.map((r) => r.puts.p50)) ?? 2;
  const params: EtcdSimParams = {
    heartbeatMs: real.heartbeatMs, electionTimeoutMs: real.electionTimeoutMs,
    linkOneWayMs: round(Math.max(0.05, put / 2)), clients: 4, clientTimeoutMs: options.clientTimeoutMs ?? 1000,
  };
  const simRuns: SimRun[] = [];
  for (let seed = 1; seed <= (options.seeds ?? 20); seed++) simRuns.push(runSim(etcdScenario(params, { crashAtMs: 1000, durationMs: 1000 + 8 * real.electionTimeoutMs, seed })));
  const sim = { electionMs: simRuns.map((r) => r.electionMs), writesResumeMs: simRuns.map((r) => r.writesResumeMs) };
  return {
    params, simRuns, sim,
    rows: [
      row("etcd failover", "leader kill -> new leader (ms), median", real.electionMs.median, median(sim.electionMs),
        `real: ${real.runs.length} run(s); sim: ${simRuns.length} seeds; same election timeout ${real.electionTimeoutMs} ms and heartbeat ${real.heartbeatMs} ms`),
      row("etcd failover", "leader kill -> writes succeed again (ms), median", real.writesResumeMs.median, median(sim.writesResumeMs)),
    ],
  };
}

/** A plain-text table of comparison rows (for the CLI and notebooks). */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const fmt = (x: number | null) => (x === null ? "n/a" : String(round(x, 2)));
  const width = Math.max(20, ...rows.map((r) => r.metric.length));
  const lines = [`${"metric".padEnd(width)}  ${"real".padStart(9)}  ${"sim".padStart(9)}  ${"sim/real".padStart(8)}  verdict`];
  for (const r of rows) lines.push(`${r.metric.padEnd(width)}  ${fmt(r.real).padStart(9)}  ${fmt(r.sim).padStart(9)}  ${(r.ratio === null ? "" : r.ratio.toFixed(2)).padStart(8)}  ${r.verdict}`);
  return lines.join("\n");
}
