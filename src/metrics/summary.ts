import type { Simulation } from "../sim/simulation";
import { winningOps } from "../replication/multi-master";
import { round3, type LatencySummary } from "./latency-histogram";

/**
 * The result summary of a run (`replicalab run FILE --json`). Field names are a public contract:
 * document them in the README, test them, and only ever add to them.
 */
export interface RunSummary {
  scenario: string;
  seed: number;
  /** Events in the run's event log. */
  events: number;
  /** Running hash of the event log: equal hashes mean identical runs. */
  eventHash: string;
  /** Virtual time at the end of the run, ms. */
  virtualTimeMs: number;
  /** True if the run stopped at maxEvents before its duration. */
  truncated: boolean;
  writes: { attempted: number; acknowledged: number; failed: number; inFlight: number };
  reads: { attempted: number; ok: number; failed: number; stale: number; inFlight: number };
  /** Operations answered ok / operations attempted, excluding those still in flight at the end. */
  availability: number | null;
  readAvailability: number | null;
  writeAvailability: number | null;
  /** Fraction of the run's time during which the node clients treat as primary was up. */
  uptimeRatio: number;
  writeLatencyMs: LatencySummary;
  readLatencyMs: LatencySummary;
  /** Apply lag per replica: time from the primary's commit to the replica's apply. */
  lagMs: Record<string, { mean: number | null; p99: number | null; max: number | null }>;
  /** Acknowledged writes absent from the log of the primary at the end of the run. */
  lostAcknowledgedWrites: number;
  /** Acknowledged writes the best live replica lacked at each primary crash (or the new primary at a promotion), summed. */
  atRiskWrites: number;
  /** Reads that returned a version older than the latest write acknowledged before the read began. */
  staleReads: number;
  /**
   * How stale those reads were: log positions between the version read and the newest acknowledged
   * one, and how long before the read began that newer write had been acknowledged (ms).
   */
  staleness: { entriesBehindMean: number | null; entriesBehindMax: number | null; msBehindMean: number | null; msBehindMax: number | null };
  /** Analytics queries (with `workload.analytics`), counted apart from reads. */
  analytics: { attempted: number; ok: number; failed: number; latencyMs: LatencySummary };
  /** Automatic failovers (elections won after the first primary). */
  failovers: number;
  /** Failovers while the old primary was up and reachable (a detector timeout too short, a slow network). */
  falseFailovers: number;
  /** Mean time from losing the primary (crash, or cut off from a majority) to the first candidate standing. */
  detectionMs: number | null;
  /** Mean time from the first candidate standing to a primary being elected. */
  electionMs: number | null;
  /** Total time from losing a primary to its successor's first acknowledged write (recovery time, as clients see it). */
  downtimeMs: number;
  /** Concurrent conflicting writes detected (multi-master; 0 for single-primary modes). */
  conflicts: number;
  /** Keys whose values differ between two live nodes that applied the same log position (multi-master: between any two live masters). */
  divergentKeys: number;
  /** Quorum: writes refused because another write had taken their version (the client should retry). */
  rejectedStaleWrites: number;
  /** Quorum: writes with no majority answer in time: they may or may not have committed. */
  indeterminateWrites: number;
  /** Quorum: (key, version) pairs committed with two different writes. Always 0 with ballots (Paxos). */
  divergentCommits: number;
  /** Keys whose final value (on any live node) is below a floor that an accepted write declared (e.g. a balance below 0). */
  floorViolations: number;
  /** Client-visible errors by kind (timeout, read-only, floor, overloaded, ...). */
  errors: Record<string, number>;
  /** Final store of each node (with `--state`). */
  state?: Record<string, Record<string, number>>;
}

/** Builds the summary of a finished (or paused) run. */
export function summarize(sim: Simulation, options: { state?: boolean } = {}): RunSummary {
  const s = sim.stats;
  const inFlight = [...sim.inFlight].filter((op) => Number.isNaN(op.serviceMs));
  const inFlightWrites = inFlight.filter((op) => op.command !== 0).length;
  const inFlightReads = inFlight.length - inFlightWrites;
  const writesDone = s.writesAcknowledged + s.writesFailed;
  const readsDone = s.readsOk + s.readsFailed;
  const endUs = sim.now();
  const summary: RunSummary = {
    scenario: sim.scenario.name,
    seed: sim.scenario.seed,
    events: sim.eventCount,
    eventHash: sim.eventHash,
    virtualTimeMs: round3(endUs / 1000),
    truncated: sim.eventCount >= sim.maxEvents,
    writes: { attempted: s.writesAttempted, acknowledged: s.writesAcknowledged, failed: s.writesFailed, inFlight: inFlightWrites },
    reads: { attempted: s.readsAttempted, ok: s.readsOk, failed: s.readsFailed, stale: s.staleReads, inFlight: inFlightReads },
    availability: ratio(s.writesAcknowledged + s.readsOk, writesDone + readsDone),
    readAvailability: ratio(s.readsOk, readsDone),
    writeAvailability: ratio(s.writesAcknowledged, writesDone),
    uptimeRatio: endUs === 0 ? 1 : round6(1 - s.primaryDowntimeUntil(endUs) / endUs),
    writeLatencyMs: s.writeLatency.summary(),
    readLatencyMs: s.readLatency.summary(),
    lagMs: lagSummary(sim),
    lostAcknowledgedWrites: lostWrites(sim),
    atRiskWrites: sim.ledger.atRisk,
    staleReads: s.staleReads,
    staleness: stalenessSummary(sim),
    analytics: { attempted: s.analyticsAttempted, ok: s.analyticsOk, failed: s.analyticsFailed, latencyMs: s.analyticsLatency.summary() },
    ...failoverSummary(sim),
    conflicts: sim.stats.conflicts,
    divergentKeys: sim.isMultiMaster || sim.isQuorum ? divergentAcrossMasters(sim) : divergentKeys(sim),
    floorViolations: floorViolations(sim),
    rejectedStaleWrites: sim.stats.rejectedStaleWrites,
    indeterminateWrites: sim.stats.indeterminateWrites,
    divergentCommits: sim.stats.divergentCommits,
    errors: Object.fromEntries([...s.errors].sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  if (options.state) summary.state = finalState(sim);
  return summary;
}

function stalenessSummary(sim: Simulation): RunSummary["staleness"] {
  const s = sim.stats;
  if (s.staleReads === 0) return { entriesBehindMean: null, entriesBehindMax: null, msBehindMean: null, msBehindMax: null };
  return {
    entriesBehindMean: round3(s.staleEntriesSum / s.staleReads),
    entriesBehindMax: s.staleEntriesMax,
    msBehindMean: round3(s.staleness.meanMs),
    msBehindMax: round3(s.staleness.maxMs),
  };
}

function failoverSummary(sim: Simulation): Pick<RunSummary, "failovers" | "falseFailovers" | "detectionMs" | "electionMs" | "downtimeMs"> {
  const records = sim.stats.failovers;
  const endUs = sim.now();
  const detected = records.filter((r) => r.lostAtUs !== null);
  const mean = (xs: number[]) => (xs.length === 0 ? null : round3(xs.reduce((a, b) => a + b, 0) / xs.length / 1000));
  // A primary still lost at the end (no successor yet, e.g. no majority left) counts until the end.
  const openOutageUs = sim.replication.failover && sim.stats.primaryLostAtUs >= 0 ? endUs - sim.stats.primaryLostAtUs : 0;
  const downtimeUs = openOutageUs + records.reduce((sum, r) => sum + ((r.firstAckUs ?? endUs) - (r.lostAtUs ?? r.firstCandidacyUs)), 0);
  return {
    failovers: records.length,
    falseFailovers: records.filter((r) => r.falseFailover).length,
    detectionMs: mean(detected.map((r) => r.firstCandidacyUs - r.lostAtUs!)),
    electionMs: mean(records.map((r) => r.electedAtUs - r.firstCandidacyUs)),
    downtimeMs: round3(downtimeUs / 1000),
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round6(part / whole);
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function lagSummary(sim: Simulation): RunSummary["lagMs"] {
  const out: RunSummary["lagMs"] = {};
  for (const node of sim.nodes) {
    if (node.index === sim.directoryPrimary() && !sim.stats.lag.has(node.index)) continue;
    const h = sim.stats.lag.get(node.index);
    if (!h && sim.scenario.replication.mode === "none") continue;
    out[node.id] = h && h.count > 0 ? { mean: round3(h.meanMs), p99: round3(h.percentileMs(99)), max: round3(h.maxMs) } : { mean: null, p99: null, max: null };
  }
  return out;
}

/** Acknowledged writes the final primary's log does not hold (0 when no node is primary). Multi-master: writes a conflict resolution discarded. */
function lostWrites(sim: Simulation): number {
  if (sim.isMultiMaster) {
    const winners = winningOps(sim);
    return [...sim.stats.discardedWrites].filter((op) => !winners.has(op)).length;
  }
  if (sim.isQuorum) return sim.stats.overwrittenAcknowledged;
  const primary = sim.nodes[sim.directoryPrimary()];
  if (!primary || primary.role !== "primary") return 0;
  return sim.ledger.missingFrom(primary.log);
}

/** Keys that differ between live nodes that applied the same log position (replay must be deterministic). */
function divergentKeys(sim: Simulation): number {
  const groups = new Map<string, typeof sim.nodes>();
  for (const node of sim.nodes) {
    if (!node.up || node.spec.role === "witness") continue;
    const position = `${node.appliedIndex}/${node.log.termAt(node.appliedIndex)}`;
    groups.set(position, [...(groups.get(position) ?? []), node]);
  }
  const divergent = new Set<number>();
  for (const nodes of groups.values()) {
    for (let k = 0; k < sim.keys.size; k++) {
      const first = nodes[0].store.get(k);
      if (nodes.some((n) => !Object.is(n.store.get(k), first))) divergent.add(k);
    }
  }
  return divergent.size;
}

function divergentAcrossMasters(sim: Simulation): number {
  const live = sim.nodes.filter((n) => n.up);
  let count = 0;
  for (let k = 0; k < sim.keys.size; k++) if (live.some((n) => !Object.is(n.store.get(k), live[0].store.get(k)))) count++;
  return count;
}

function floorViolations(sim: Simulation): number {
  let count = 0;
  for (const [key, floor] of sim.stats.floors) if (sim.nodes.some((n) => n.up && n.store.valueOrZero(key) < floor)) count++;
  return count;
}

function finalState(sim: Simulation): Record<string, Record<string, number>> {
  return Object.fromEntries(sim.nodes.map((n) => [n.id, n.store.toObject(sim.keys.names)]));
}
