/**
 * The design studio: run a design against a card and grade it, in one call.
 *
 * ```ts
 * const run = runDesign(card("bank-ledger"), { replication: "async", replicas: 2, failover: { electionTimeoutMs: 300 } });
 * console.log(gradeText(run.grade));
 * // FAIL bank-ledger with "async ×3 elect 300ms"
 * //   ✗ no acknowledged payment is ever lost: 2 (needs ≤ 0)
 * //       why: 2 acknowledged writes were lost: async replication acknowledged them before any replica had them, ...
 * //   ✓ at least 90% of requests succeed, crash included: 93.5% (needs ≥ 90.0%)
 * ```
 *
 * Runs are deterministic: the card fixes the seed, so a design always gets the same grade.
 */
import type { FaultWindow, Provenance, TimeSeries } from "../charts/types";
import { availabilitySeries } from "../metrics/series";
import { summarize, type RunSummary } from "../metrics/summary";
import { experiment } from "../notebook/experiment";
import { ScenarioError } from "../scenario/errors";
import { runShardedScenario, type ShardedSummary } from "../sharding";
import { VERSION } from "../version";
import { ArchitectureError, buildScenario, designLabel, validateArchitecture, type Architecture, type BuiltScenario } from "./architecture";
import type { RequirementCard } from "./cards";
import { grade, gradeText, type Grade } from "./grade";
import { measureCluster, measureSharded, type Measurements, type RunFacts } from "./measure";

/** One design run against one card: what ran, what it measured, its grade, and series for charts. */
export interface DesignRun {
  card: RequirementCard;
  architecture: Architecture;
  /** The design's label in tables and charts. */
  label: string;
  built: BuiltScenario;
  /** The engine's result summary (cluster or sharded kind). */
  summary: RunSummary | ShardedSummary;
  measured: Measurements;
  facts: RunFacts;
  grade: Grade;
  /** Availability per window (named after the design), its fault windows and provenance, for `availabilityChart`. */
  availability: TimeSeries;
  faults: FaultWindow[];
  provenance: Provenance;
  /** Sharded designs: availability per shard (s1..sN); empty otherwise. */
  shardAvailability: TimeSeries[];
}

/** Validates the design, builds the scenario from the card, runs it, measures and grades it. */
export function runDesign(c: RequirementCard, design: Architecture): DesignRun {
  const architecture = validateArchitecture(design, c);
  const label = designLabel(architecture);
  const built = buildScenario(c, architecture);
  const provenance: Provenance = { scenario: built.scenario.name, seed: built.scenario.seed, version: VERSION };
  if (built.kind === "cluster") {
    const run = experiment(built.scenario, { windowMs: 250 });
    const { measured, facts } = measureCluster(c, run.summary, run.windows.availability);
    return {
      card: c, architecture, label, built, summary: run.summary, measured, facts,
      grade: grade(c, { architecture, label, measured, facts }),
      availability: { ...run.data.availability, name: label }, faults: run.data.faults, provenance, shardAvailability: [],
    };
  }
  const run = runShardedScenario(built.scenario);
  const shardSummaries = run.cluster.shards.map((sh) => summarize(sh.simulation));
  const { measured, facts } = measureSharded(c, run.summary, run.windows.total.availability, shardSummaries);
  return {
    card: c, architecture, label, built, summary: run.summary, measured, facts,
    grade: grade(c, { architecture, label, measured, facts }),
    availability: availabilitySeries(run.windows.total.availability, label),
    faults: run.faults,
    provenance,
    shardAvailability: Object.entries(run.windows.availability).map(([shard, w]) => availabilitySeries(w, shard)),
  };
}

/** Runs several designs against one card (in order). */
export function runDesigns(c: RequirementCard, designs: readonly Architecture[]): DesignRun[] {
  return designs.map((d) => runDesign(c, d));
}

/**
 * For exercises: runs a design and prints its grade, or prints the one-line reason it cannot be
 * built (`architecture.acks: must be 1-2 ...`) and returns undefined, so a notebook cell with a
 * half-written design still runs to its check. `undefined` (an unfinished exercise) prints nothing.
 */
export function tryDesign(c: RequirementCard, design: Architecture | undefined, print: (line: string) => void = (l) => console.log(l)): DesignRun | undefined {
  if (design === undefined) return undefined;
  try {
    const run = runDesign(c, design);
    print(gradeText(run.grade));
    return run;
  } catch (e) {
    // A design the engine's scenario checks refuse (none should pass validation) is reported the same way.
    if (e instanceof ArchitectureError || e instanceof ScenarioError) {
      print(e.message);
      return undefined;
    }
    throw e;
  }
}
