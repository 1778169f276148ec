import type { Subscription } from "rxjs";
import { checkLinearizability } from "../checkers/linearizability";
import { replicalabKvModel } from "../checkers/models";
import type { SimEvent } from "../events";
import { summarize } from "../metrics/summary";
import type { Scenario } from "../scenario/types";
import { BUGS, type Bug } from "../sim/bugs";
import { Simulation } from "../sim/simulation";
import { CoverageTracker } from "./coverage";
import { drawFaults, faultOptions, SINGLE_NODE_FAULTS, withFaults, type FaultOptions } from "./fault-mix";
import { DEFAULT_HEAL, runHealPhase } from "./heal-phase";
import { AppliedEntriesWereAppended, invariantsFor, type Violation } from "./invariants";
import { classifyViolations } from "./known-engine-bugs";
import { DEFAULT_PHASES, isClusterMode, MODE_TEMPLATES, scenarioFor, type ClusterMode, type ModeTemplate } from "./modes";
import { DEFAULT_OPERATOR, Operator } from "./operator";
import type { HarnessModeDef } from "./registry";
import type { RunSeedInput, SeedResult } from "./run-seed";

/**
 * The cluster modes: one Simulation per seed. Build the mode's scenario, draw its faults, run the
 * safety phase in slices (the operator and the state invariants act between slices), heal, require
 * convergence, and check every invariant. In the election modes the cluster elects its own primaries
 * and the operator only watches; in quorum mode there is no primary to promote at all.
 */

/**
 * Protocol options a broken variant switches off (they are scenario options, kept to show what
 * breaks): the harness applies them to the seed's scenario.
 */
export const SCENARIO_SWITCHES = {
  /** Failover without fencing: nodes follow lower epochs, a deposed primary never steps down. */
  "no-fencing": (s: Scenario): Scenario => ({ ...s, replication: { ...s.replication, failover: { ...s.replication.failover!, fencing: false } } }),
  /** Failover without leases: a primary cut off from the majority keeps acknowledging, a new one serves at once. */
  "no-leases": (s: Scenario): Scenario => ({ ...s, replication: { ...s.replication, failover: { ...s.replication.failover!, leases: false } } }),
  /** Quorum with the naive version check instead of Paxos ballots. */
  "no-ballots": (s: Scenario): Scenario => ({ ...s, replication: { ...s.replication, ballots: false } }),
} as const;
export type ScenarioSwitch = keyof typeof SCENARIO_SWITCHES;

/** Linearizability search budget per key: a run's history is small; beyond this the answer is "unknown". */
const LINEARIZABILITY_STEPS = 300_000;

/**
 * The fault knobs of a cluster mode by default. A single database gets only node faults, fewer of them
 * (a disk loss destroys its only copy: more would leave most runs rightly unavailable and test little),
 * and more frequent random crashes (one node to crash instead of three or four). Election and quorum
 * modes leave out the faults that destroy what a node promised (modes.ts, DURABLE_FAULTS).
 */
export function defaultClusterFaults(mode: ClusterMode): FaultOptions {
  const template = MODE_TEMPLATES[mode];
  if (template.replicaCount === 0) return faultOptions({ enabled: SINGLE_NODE_FAULTS, faultsMax: 2, randomCrashMtbfMs: 1000 });
  return faultOptions(template.faults ? { enabled: template.faults } : {});
}

/** The scenario a seed runs (with its faults and switched-off options), and the fault schedule. */
export function plan(input: Pick<RunSeedInput, "mode" | "seed" | "faults" | "phases" | "bugs">) {
  if (!isClusterMode(input.mode)) throw new Error(`plan: ${input.mode} is not a cluster mode`);
  const phases = { ...DEFAULT_PHASES, ...input.phases };
  let base = scenarioFor(input.mode, input.seed, phases);
  for (const bug of input.bugs ?? []) if (bug in SCENARIO_SWITCHES) base = SCENARIO_SWITCHES[bug as ScenarioSwitch](base);
  const options = { ...defaultClusterFaults(input.mode), ...input.faults };
  const schedule = drawFaults(input.seed, base.nodes.map((n) => n.id), options);
  return { phases, scenario: withFaults(base, schedule), schedule, faultOptions: options };
}

export function runClusterSeed(input: RunSeedInput): SeedResult {
  const { phases, scenario, schedule } = plan(input);
  const template = MODE_TEMPLATES[input.mode as ClusterMode];
  const bugs = [...(input.bugs ?? [])];
  const quorum = template.replication.mode === "quorum";
  const sim = new Simulation(scenario, { bugs: bugs.filter((b): b is Bug => (BUGS as readonly string[]).includes(b)), recordHistory: quorum });
  const invariants = invariantsFor(template, sim);
  const operator = new Operator(sim, { ...DEFAULT_OPERATOR, rule: template.promotionRule });
  const coverage = new CoverageTracker();
  const history: SimEvent[] | undefined = input.record ? [] : undefined;

  // Every consumer subscribes before the run; all are released when the run completes its stream.
  const subscriptions: Subscription[] = [];
  for (const inv of invariants) if (inv.onBatch) subscriptions.push(sim.batches$.subscribe((b) => inv.onBatch!(b)));
  subscriptions.push(sim.batches$.subscribe((b) => operator.observe(b)));
  subscriptions.push(sim.batches$.subscribe((b) => coverage.observe(b)));
  if (history) subscriptions.push(sim.batches$.subscribe((b) => history.push(...b.events())));

  const actions: string[] = [];
  const step = () => {
    // State invariants see the cluster as the slice left it; then the operator may act.
    for (const inv of invariants) inv.atSlice?.(sim);
    const action = operator.step();
    if (action) actions.push(action.description);
  };

  // Safety phase: workload and faults.
  for (let t = phases.sliceMs; t <= phases.safetyMs; t += phases.sliceMs) {
    sim.runUntil(t);
    step();
  }
  // Liveness phase: heal and require convergence.
  const heal = runHealPhase(sim, operator, schedule.slowLinks, step, { ...DEFAULT_HEAL, convergenceMsMax: phases.convergenceMsMax });
  actions.push(...heal.actions);
  sim.finish();

  const summary = summarize(sim);
  for (const inv of invariants) inv.atEnd?.(sim, summary);
  const violations = invariants.flatMap((inv) => inv.violations);
  let violationCount = invariants.reduce((n, inv) => n + inv.count, 0);
  const milestones: Record<string, number> = {};
  if (quorum) {
    const linear = checkQuorumHistory(sim);
    milestones["linearizability-checked"] = linear.verdict === "unknown" ? 0 : 1;
    milestones["linearizability-unknown"] = linear.verdict === "unknown" ? 1 : 0;
    milestones["stale-rejection"] = summary.rejectedStaleWrites;
    milestones.indeterminate = summary.indeterminateWrites;
    milestones["no-quorum-refusal"] = summary.errors["no-quorum"] ?? 0;
    if (linear.violation) {
      violations.push(linear.violation);
      violationCount++;
    }
  }
  if (heal.status === "not-converged") {
    violations.push({ invariant: "convergence", timeMs: round3(sim.now() / 1000), node: null, message: `did not converge within ${phases.convergenceMsMax} ms of healing: ${heal.gap}` });
    violationCount++;
  }
  violations.sort((x, y) => x.timeMs - y.timeMs);
  const coverageResult = coverage.result(template.failover ? null : operator.actions.length, milestones);
  const applied = invariants.find((i): i is AppliedEntriesWereAppended => i instanceof AppliedEntriesWereAppended);
  classifyViolations(violations, {
    summary,
    deposedAcks: coverageResult.deposedAcks,
    finalPrimaryShortfall: operator.actions.at(-1)?.missingAcknowledged ?? 0,
    awaitingSnapshotEpisodes: applied?.awaitingSnapshotEpisodes ?? 0,
    awaitingSnapshotAtEnd: applied?.awaitingSnapshotNow ?? 0,
    staleSuffixNodes: staleSuffixNodes(sim),
  });

  return {
    seed: input.seed,
    mode: input.mode,
    bugs,
    violations,
    violationCount,
    unexplainedCount: violations.filter((v) => v.knownBug === undefined).length,
    status: heal.status,
    convergenceMs: heal.convergenceMs,
    coverage: coverageResult,
    faults: schedule.faults.map((f) => f.description),
    actions: mergeByTime(actions),
    summary,
    totals: { acknowledged: summary.writes.acknowledged, lost: summary.lostAcknowledgedWrites, atRisk: summary.atRiskWrites, stale: summary.staleReads, divergentKeys: summary.divergentKeys },
    events: summary.events,
    eventHash: summary.eventHash,
    openSubscriptions: subscriptions.filter((s) => !s.closed).length,
    ...(input.record ? { scenario, history } : {}),
  };
}

/**
 * Quorum reads with write-back must be linearizable: the run's client history (what clients asked
 * and were told, with times; timed-out and indeterminate writes may have happened) goes through the
 * linearizability checker with replicalab's key-value model.
 */
function checkQuorumHistory(sim: Simulation): { verdict: true | false | "unknown"; violation?: Violation } {
  const history = [...sim.history!, ...sim.unfinishedHistory()];
  const result = checkLinearizability(history, replicalabKvModel, { maxStepsPerPartition: LINEARIZABILITY_STEPS });
  if (result.valid !== false) return { verdict: result.valid };
  const failure = result.failure!;
  const at = failure.cannotFollow[0]?.invokeUs ?? 0;
  return {
    verdict: false,
    violation: { invariant: "quorum-linearizable", timeMs: round3(at / 1000), node: null, message: `the client history of ${failure.key} is not linearizable: ${failure.explanation}` },
  };
}

/** Live nodes whose log holds the whole of the primary's plus a tail beyond it (known-engine-bugs.ts). */
function staleSuffixNodes(sim: Simulation): number {
  if (sim.isQuorum || sim.isMultiMaster) return 0;
  const primary = sim.nodes[sim.directoryPrimary()];
  if (!primary || primary.role !== "primary" || !primary.up) return 0;
  return sim.nodes.filter((n) => n !== primary && n.up && n.spec.role !== "witness" && n.log.lastIndex > primary.log.lastIndex && n.log.commonPrefixWith(primary.log) >= primary.log.lastIndex).length;
}

/** Operator and heal actions in time order (both start with "<time> ms:"). */
function mergeByTime(lines: string[]): string[] {
  return lines
    .map((line, i) => ({ line, i, t: Number.parseFloat(line) }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.line);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** The invariants a cluster mode checks, by name and rule (for reports). */
function clusterInvariants(template: ModeTemplate): { name: string; rule: string }[] {
  const sim = new Simulation(scenarioFor(template.mode, 1));
  const list = invariantsFor(template, sim).flatMap((inv) =>
    // applied-within-primary-log also reports, under its own name, an apply on a store awaiting a snapshot.
    inv.name === "applied-within-primary-log" ? [{ name: inv.name, rule: inv.rule }, { name: "no-apply-awaiting-snapshot", rule: inv.rule }] : [{ name: inv.name, rule: inv.rule }],
  );
  if (template.replication.mode === "quorum") list.push({ name: "quorum-linearizable", rule: "the client history (quorum reads with write-back) is linearizable (checkers/linearizability.ts, replicalab's key-value model)" });
  list.push({ name: "convergence", rule: "after healing, the cluster converges within the bound (or is rightly unavailable)" });
  return list;
}

/** A cluster mode as the registry lists it. */
export function clusterMode(mode: ClusterMode): HarnessModeDef {
  const template = MODE_TEMPLATES[mode];
  const switches = template.failover ? ["no-fencing", "no-leases"] : template.replication.mode === "quorum" ? ["no-ballots"] : [];
  const milestones = template.failover
    ? ["election-failover", "split-brain-attempt"]
    : template.replication.mode === "quorum"
      ? ["linearizability-checked", "linearizability-unknown", "stale-rejection", "indeterminate", "no-quorum-refusal"]
      : [];
  return {
    name: mode,
    family: "cluster",
    description: template.description,
    bugs: [...BUGS, ...switches],
    milestones,
    defaultFaults: () => defaultClusterFaults(mode),
    invariants: () => clusterInvariants(template),
    run: runClusterSeed,
  };
}
