/**
 * Grading a design against a card: per requirement, the measured value, pass or fail, and when it
 * fails, WHY, in terms of the mechanism that caused it ("async replication acknowledged them before
 * any replica had them, and the primary crashed at 3000 ms"), never just "too low".
 *
 * Grading is a pure function of the card, the design and what the run measured, so a test can grade
 * made-up measurements, and a notebook can grade a run again after changing a card's bounds.
 */
import type { Architecture } from "./architecture";
import { boundText, formatValue, type Metric, type Requirement, type RequirementCard } from "./cards";
import type { Measurements, RunFacts } from "./measure";

export interface RequirementResult {
  requirement: Requirement;
  /** null: this kind of run cannot measure it (a fail, with the reason as explanation). */
  measured: number | null;
  passed: boolean;
  /** "2.1% ≥ 95.0%"-style text: measured value and bound. */
  verdict: string;
  /** Why it failed, in terms of the mechanism (empty when it passed). */
  explanation: string;
}

export interface Grade {
  card: string;
  design: string;
  passed: boolean;
  results: RequirementResult[];
}

/** What grading needs from a run. */
export interface GradeInput {
  architecture: Architecture;
  label: string;
  measured: Measurements;
  facts: RunFacts;
}

/** Grades one run of a design against its card. */
export function grade(c: RequirementCard, run: GradeInput): Grade {
  const results = c.requirements.map((r): RequirementResult => {
    const measured = run.measured[r.metric];
    const passed = measured !== null && (r.atMost === undefined || measured <= r.atMost) && (r.atLeast === undefined || measured >= r.atLeast);
    const verdict = `${formatValue(r.metric, measured)} (needs ${boundText(r)})`;
    const explanation = passed ? "" : measured === null ? unmeasured(r.metric, run) : explain(r.metric, c, run, measured);
    return { requirement: r, measured, passed, verdict, explanation };
  });
  return { card: c.id, design: run.label, passed: results.every((r) => r.passed), results };
}

/** A grade as text: one line per requirement, ✓ or ✗, and the reason under each ✗. */
export function gradeText(g: Grade): string {
  const head = `${g.passed ? "PASS" : "FAIL"} ${g.card} with "${g.design}"`;
  const lines = g.results.map((r) => `  ${r.passed ? "✓" : "✗"} ${r.requirement.says}: ${r.verdict}${r.passed ? "" : `\n      why: ${r.explanation}`}`);
  return [head, ...lines].join("\n");
}

function unmeasured(metric: Metric, run: GradeInput): string {
  if (metric === "reportsCompletedRatio") return run.facts.kind === "sharded" ? "sharded runs here have no reports" : "no report ran";
  if (metric === "outageFailedRatio") return "no request finished during the outage";
  return "nothing was measured (no operation of that kind succeeded)";
}

function explain(metric: Metric, c: RequirementCard, run: GradeInput, value: number): string {
  switch (metric) {
    case "lostAcknowledgedWrites": return explainLost(c, run, value);
    case "availability": return explainAvailability(c, run);
    case "writeP99Ms": return explainWriteLatency(c, run);
    case "readP99Ms": return explainReadLatency(c, run);
    case "staleReads": return `${value} read${value === 1 ? "" : "s"} returned an old value: ${(run.architecture.reads ?? "primary") !== "primary" ? `reads went to replicas, which apply each write after the primary acknowledged it (worst replica's p99 lag ${fmt(run.facts.lagP99MsMax)} ms); read from the primary` : "after the failover, a read reached a node that had not yet applied every acknowledged write"}`;
    case "stalenessMsMax": return `replicas answered reads ${Math.round(value)} ms behind the primary: they apply the log later than the primary (worst replica's p99 lag ${fmt(run.facts.lagP99MsMax)} ms), and ${run.architecture.analytics === "replicas" ? "the reports on the replicas hold the workers that apply it" : "a replica that is busy or was down catches up late"}; read from the primary, or keep replica lag low`;
    case "reportsCompletedRatio": return `${run.facts.reportsFailed} of ${run.facts.reportsAttempted} reports failed (${errorList(run.facts.errors)}): every report holds a worker for ${reportMs(c)} ms, and ${run.architecture.analytics === "replicas" ? "the replicas" : "the primary"} had too few workers free for them next to the rest of the traffic`;
    case "opsPerSec": return explainThroughput(c, run, value);
    case "outageFailedRatio": return explainBlastRadius(run, value);
  }
}

function explainLost(c: RequirementCard, run: GradeInput, lost: number): string {
  const a = run.architecture;
  const crash = c.faults.find((f) => f.kind === "primary-crash" || f.kind === "replica-set-down");
  const when = crash ? `the primary crashed at ${crash.atMs} ms` : "the primary changed";
  const noun = `${lost} acknowledged write${lost === 1 ? " was" : "s were"} lost`;
  if (a.replication === "async") return `${noun}: async replication acknowledged them before any replica had them, and ${when}; the new primary never received them, and the old one discarded them when it came back as a replica`;
  if (a.failover && (a.failover.leases === false || a.failover.fencing === false)) return `${noun}: without ${a.failover.leases === false ? "leases" : "fencing"} two primaries acknowledged writes at the same time after ${when}, and one side's writes were thrown away`;
  if (a.replication === "semi-sync") return `${noun}: semi-sync waited for ${a.acks} replica(s) only, and after ${when} a replica without those writes became primary`;
  return `${noun}: they were missing from the log of the final primary after ${when} (${run.facts.atRiskWrites} writes were held by no other live node at a change of primary)`;
}

function explainAvailability(c: RequirementCard, run: GradeInput): string {
  const a = run.architecture;
  const f = run.facts;
  const errors = `errors: ${errorList(f.errors)}`;
  const crash = c.faults.find((x) => x.kind === "primary-crash");
  const replicaCrash = c.faults.find((x) => x.kind === "replica-crash");
  if (crash && !a.failover && a.replication !== "quorum") {
    const back = crash.durationMs !== undefined ? `until it came back at ${crash.atMs + crash.durationMs} ms` : "for the rest of the run";
    return `nothing replaced the primary that crashed at ${crash.atMs} ms: without failover settings no replica is elected, so writes${(a.reads ?? "primary") === "primary" ? " and reads" : ""} failed ${back} (${errors}); add failover: { electionTimeoutMs: ... }`;
  }
  if (crash && a.replication === "quorum") {
    const coordinators = 1 + a.replicas;
    return `clients pick a coordinator node in turn, the crashed db1 included: the 1/${coordinators} of requests sent to it timed out while it was down, even though a majority kept committing the rest (${errors}); more data nodes make that share smaller`;
  }
  if (a.replication === "sync" && c.faults.length > 0 && (f.errors.timeout ?? 0) > 0) {
    return `sync replication waits for EVERY replica to apply a write: while a node was down, writes waited for it until their clients timed out (${errors}); semi-sync with acks waits only for some of them`;
  }
  const load = overload(c, a);
  if (load) return `${load} (${errors})`;
  if (replicaCrash && a.reads === "replicas" && a.replicas > 1) {
    return `reads are dealt to the replicas in turn, the crashed one included: its share timed out for as long as it was down (${errors}); "least-loaded" routing stops choosing a replica whose requests go unanswered`;
  }
  const loadAfterCrash = overload(c, a, true);
  if (loadAfterCrash) return `${loadAfterCrash} (${errors})`;
  if (f.failovers > 0) return `every failover leaves clients without a primary: detecting the crash (${fmt(f.detectionMs)} ms), electing a successor (${fmt(f.electionMs)} ms) and its lease wait added up to ${Math.round(f.downtimeMs)} ms of failed writes (${errors}); a shorter election timeout shortens it`;
  if ((f.errors["no-quorum"] ?? 0) + (f.errors.indeterminate ?? 0) > 0) return `without a majority of voters reachable, quorum writes are refused (${errors})`;
  return `requests failed (${errors})`;
}

/**
 * Why some node had more work than it can do, or null: all requests on the primary (of a shard), or
 * too few replicas to carry the reads (every replica also replays every write); with `afterCrash`,
 * counting the replicas left once the card's replica crash has taken one of them.
 */
function overload(c: RequirementCard, a: Architecture, afterCrash = false): string | null {
  if (!c.hardware) return null;
  const cap = capacity(c);
  const reads = c.workload.readRatio * c.workload.opsPerSec;
  const writes = writeShare(c) * c.workload.opsPerSec;
  const shards = a.shards ?? 1;
  if (writes / shards > 0.9 * cap) return `the primary was overloaded: every write${shards > 1 ? " of its shard" : ""} goes to it, ${Math.round(writes / shards)} a second, and it serves about ${cap} requests a second, so requests queued until they timed out; replicas cannot help (each replays every write): split the writes over shards`;
  if ((a.reads ?? "primary") === "primary" || a.replicas === 0) {
    const onPrimary = (reads + writes) / shards;
    if (onPrimary > 0.9 * cap) return `the primary was overloaded: it takes all ${Math.round(onPrimary)} requests a second${shards > 1 ? " of its shard" : ""} but serves about ${cap}, so requests queued until they timed out; send reads to replicas`;
    return null;
  }
  if (reads / a.replicas + writes > 0.9 * cap) {
    return `${a.replicas} replica(s) each serve ${Math.round(reads / a.replicas)} reads a second and replay ${Math.round(writes)} writes a second, more than the about ${cap} a node serves: add replicas`;
  }
  const crashed = afterCrash && c.faults.some((x) => x.kind === "replica-crash");
  const left = a.replicas - 1;
  if (crashed && (left === 0 || reads / left + writes > 0.9 * cap)) {
    return left === 0
      ? `when the only replica crashed, reads had nowhere to go: size the replicas for one of them being down (N+1)`
      : `when a replica crashed, the ${left} left each had to serve ${Math.round(reads / left)} reads a second AND replay ${Math.round(writes)} writes a second, more than the about ${cap} a node serves: size the replicas for one of them being down (N+1)`;
  }
  return null;
}

function explainWriteLatency(c: RequirementCard, run: GradeInput): string {
  const a = run.architecture;
  if (c.workload.reports && (a.analytics ?? "primary") === "primary") return `the reports run on the primary: each holds one of its ${c.hardware?.workers ?? "?"} workers for ${reportMs(c)} ms, so writes queue behind them; move the reports to a replica`;
  if (c.workload.reports && a.replication === "sync") return `sync replication waits for every replica to APPLY each write, and the replica's workers are busy with ${reportMs(c)} ms reports, so every write waits for them; replicate asynchronously (or semi-sync: logged, not applied) when reports run on replicas`;
  if (a.replication === "sync" && c.faults.length > 0) return `sync replication waits until every replica has applied the write, and while a node was down writes waited for it (until the client gave up, or the node came back): the slowest replica sets every write's latency`;
  const load = overload(c, a);
  if (load) return load;
  if (a.replication === "sync") return `sync replication waits until every replica has applied the write: a round trip to the slowest replica (plus its queue) on every write`;
  if (a.replication === "semi-sync") return `semi-sync waits for ${a.acks} replica(s) to log the write: one network round trip on every write${(a.acks ?? 1) > 1 ? ", and the slowest of them decides" : ""}`;
  if (a.replication === "quorum") return `a quorum write takes two round trips to a majority (prepare/promise, then accept/accepted) before it is acknowledged`;
  return `writes queued at the primary (p99 set by its busiest moments)`;
}

function explainReadLatency(c: RequirementCard, run: GradeInput): string {
  const a = run.architecture;
  const reads = a.reads ?? "primary";
  if (c.workload.reports && a.analytics === "replicas" && reads !== "primary") return `reads go to the replicas where the ${reportMs(c)} ms reports hold the workers, so reads queue behind reports; keep order pages on the primary, or give reports a replica of their own`;
  if (c.workload.reports && (a.analytics ?? "primary") === "primary" && reads === "primary") return `reads queue on the primary behind ${reportMs(c)} ms reports; move the reports to a replica`;
  const load = overload(c, a) ?? overload(c, a, true);
  if (load) return load;
  if (c.faults.some((x) => x.kind === "replica-crash") && reads === "replicas") return `reads dealt to the crashed replica waited until they timed out, and the survivors queued the rest`;
  return `reads waited on the network and queues`;
}

function explainThroughput(c: RequirementCard, run: GradeInput, value: number): string {
  const shards = run.architecture.shards ?? 1;
  const writes = Math.round(writeShare(c) * c.workload.opsPerSec);
  const head = `only ${Math.round(value)} of ${c.workload.opsPerSec} requests a second were answered outside the outage`;
  if (shards === 1) return `${head}: every write goes to the one primary, and ${writes} writes a second arrive for a node that serves about ${capacity(c)} requests a second; replicas do not help (each replays every write): split the keys over shards, each with its own primary`;
  return `${head}: ${shards} primaries share ${writes} writes a second (about ${Math.round(writes / shards)} each, besides reads, against about ${capacity(c)} each serves); add shards`;
}

function explainBlastRadius(run: GradeInput, value: number): string {
  const shards = run.architecture.shards ?? 1;
  if (shards === 1) return `${pct(value)} of requests failed during the outage: with one replica set, the rack that went down held every user's data (the blast radius is everyone); with N shards it holds about 1/N of them`;
  const others = Object.entries(run.facts.shardAvailability).slice(1).filter(([, v]) => v !== null && v < 0.99);
  const spill = others.length ? `; other shards failed requests too (${others.map(([sh, v]) => `${sh} ${pct(v as number)} ok`).join(", ")})` : "";
  return `${pct(value)} of requests failed during the outage: the replica set that went down held 1/${shards} of the users (${pct(1 / shards)}), and all their requests failed while it was down${spill}; more shards make each one's share smaller`;
}

function capacity(c: RequirementCard): number {
  if (!c.hardware) return Infinity;
  const meanMs = c.hardware.serviceTimeMs.dist === "constant" ? c.hardware.serviceTimeMs.value
    : c.hardware.serviceTimeMs.dist === "exponential" ? c.hardware.serviceTimeMs.mean
    : c.hardware.serviceTimeMs.dist === "uniform" ? (c.hardware.serviceTimeMs.min + c.hardware.serviceTimeMs.max) / 2
    : Math.exp(c.hardware.serviceTimeMs.mu + c.hardware.serviceTimeMs.sigma ** 2 / 2);
  return Math.round((c.hardware.workers * 1000) / meanMs);
}

function writeShare(c: RequirementCard): number {
  return 1 - c.workload.readRatio;
}

function reportMs(c: RequirementCard): string {
  const d = c.workload.reports?.serviceTimeMs;
  return d?.dist === "constant" ? String(d.value) : d?.dist === "exponential" ? `about ${d.mean}` : "long";
}

function errorList(errors: Record<string, number>): string {
  const parts = Object.entries(errors).map(([k, n]) => `${k} ${n}`);
  return parts.length ? parts.join(", ") : "none";
}

function fmt(x: number | null): string {
  return x === null ? "n/a" : String(Math.round(x));
}

function pct(x: number): string {
  return `${Math.round(100 * x)}%`;
}
