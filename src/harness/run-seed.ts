import type { Subscription } from "rxjs";
import type { SimEvent } from "../events";
import { summarize, type RunSummary } from "../metrics/summary";
import type { Scenario } from "../scenario/types";
import type { Bug } from "../sim/bugs";
import { Simulation } from "../sim/simulation";
import { CoverageTracker, type Coverage } from "./coverage";
import { drawFaults, faultOptions, SINGLE_NODE_FAULTS, withFaults, type FaultOptions } from "./fault-mix";
import { DEFAULT_HEAL, runHealPhase, type HealStatus } from "./heal-phase";
import { AppliedEntriesWereAppended, invariantsFor, type Violation } from "./invariants";
import { classifyViolations } from "./known-engine-bugs";
import { DEFAULT_PHASES, MODE_TEMPLATES, scenarioFor, type HarnessMode, type PhaseOptions } from "./modes";
import { DEFAULT_OPERATOR, Operator } from "./operator";

/**
 * One seed of the reliability harness, start to end: build the mode's scenario, draw its faults, run
 * the safety phase in slices (the operator and the state invariants act between slices), heal, require
 * convergence, and check every invariant. The same input always gives the same output, down to the
 * event hash: a failing seed is a failing test case forever.
 */

export interface RunSeedInput {
  mode: HarnessMode;
  seed: number;
  /** Deliberate bugs (src/sim/bugs.ts), to prove the invariants catch them. */
  bugs?: readonly Bug[];
  /** Fault knobs over the defaults. `enabled` defaults to what the mode can use. */
  faults?: Partial<FaultOptions>;
  /** Keep every event as a readable object (for failure reports). Costs memory and time. */
  record?: boolean;
  phases?: Partial<PhaseOptions>;
}

export interface SeedResult {
  seed: number;
  mode: HarnessMode;
  bugs: Bug[];
  violations: Violation[];
  /** All violations, including those beyond the few examples kept per invariant. */
  violationCount: number;
  /** Violations no known engine bug explains (the ones that fail a test). */
  unexplainedCount: number;
  status: HealStatus;
  /** Virtual time the heal phase took to converge (null if it did not). */
  convergenceMs: number | null;
  coverage: Coverage;
  /** The drawn fault schedule, one line per fault. */
  faults: string[];
  /** What the operator and the heal phase did, one line each. */
  actions: string[];
  summary: RunSummary;
  events: number;
  eventHash: string;
  /** Subscriptions the harness made that were still open after the run (must be 0). */
  openSubscriptions: number;
  /** With `record`: the scenario as run, and every event. */
  scenario?: Scenario;
  history?: SimEvent[];
}

/**
 * The fault knobs of a mode by default. A single database gets only node faults, fewer of them (a
 * disk loss destroys its only copy: more would leave most runs rightly unavailable and test little),
 * and more frequent random crashes (one node to crash instead of three or four).
 */
export function defaultFaultsFor(mode: HarnessMode): FaultOptions {
  return faultOptions(MODE_TEMPLATES[mode].replicaCount === 0 ? { enabled: SINGLE_NODE_FAULTS, faultsMax: 2, randomCrashMtbfMs: 1000 } : {});
}

/** The scenario a seed runs (with its faults), and the fault schedule. */
export function plan(input: Pick<RunSeedInput, "mode" | "seed" | "faults" | "phases">) {
  const phases = { ...DEFAULT_PHASES, ...input.phases };
  const base = scenarioFor(input.mode, input.seed, phases);
  const options = { ...defaultFaultsFor(input.mode), ...input.faults };
  const schedule = drawFaults(input.seed, base.nodes.map((n) => n.id), options);
  return { phases, scenario: withFaults(base, schedule), schedule, faultOptions: options };
}

export function runSeed(input: RunSeedInput): SeedResult {
  const { phases, scenario, schedule } = plan(input);
  const template = MODE_TEMPLATES[input.mode];
  const bugs = [...(input.bugs ?? [])];
  const sim = new Simulation(scenario, { bugs });
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
  if (heal.status === "not-converged") {
    violations.push({ invariant: "convergence", timeMs: round3(sim.now() / 1000), node: null, message: `did not converge within ${phases.convergenceMsMax} ms of healing: ${heal.gap}` });
    violationCount++;
  }
  violations.sort((x, y) => x.timeMs - y.timeMs);
  const coverageResult = coverage.result(operator.actions.length);
  const applied = invariants.find((i): i is AppliedEntriesWereAppended => i instanceof AppliedEntriesWereAppended);
  classifyViolations(violations, {
    summary,
    deposedAcks: coverageResult.deposedAcks,
    finalPrimaryShortfall: operator.actions.at(-1)?.missingAcknowledged ?? 0,
    awaitingSnapshotEpisodes: applied?.awaitingSnapshotEpisodes ?? 0,
    awaitingSnapshotAtEnd: applied?.awaitingSnapshotNow ?? 0,
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
    events: summary.events,
    eventHash: summary.eventHash,
    openSubscriptions: subscriptions.filter((s) => !s.closed).length,
    ...(input.record ? { scenario, history } : {}),
  };
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
