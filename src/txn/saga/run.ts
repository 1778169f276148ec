import type { CheckResult } from "../../checkers/result";
import { LatencyHistogram, type LatencySummary } from "../../metrics/latency-histogram";
import { msToUs } from "../../sim/time";
import type { SagaEvent } from "./events";
import { installFaults, type FaultWindow } from "./faults";
import { checkInvariants, failedInvariants, type FinalState, type InvariantName, type Violation } from "./invariants";
import { OutcomeWindows, type OutcomeSeries } from "./outcome-series";
import { MINUTE_MS } from "./phone-switch";
import { RESTAURANT_ACCOUNT, TELCO_ACCOUNT } from "./plans";
import type { SagaScenario } from "./scenario";
import { SagaSystem } from "./system";
import type { BrokenVariant, SagaKind, SagaStyle } from "./types";
import { customerIds, DEFAULTS, scheduleArrivals } from "./workload";

/**
 * Runs a saga scenario in two phases (after TigerBeetle's simulator): a SAFETY phase of `durationMs`
 * in which sagas start and faults happen, then a LIVENESS phase without faults in which every saga must
 * finish within `settleMs`. The run stops as soon as everything has settled, and checks the invariants.
 *
 * ```ts
 * const result = runSagaScenario(loadSagaScenarioFile("data/scenarios/saga-food-order-faults.json"));
 * result.sagas;        // { started, completed, compensated, failed, inFlight, rejected }
 * result.invariants;   // each: { valid, count, examples }
 * result.series;       // per window: completed, compensated, inFlight, fundsLockedRupees
 * ```
 */
export interface SagaRunOptions {
  /** A deliberately broken variant, to show that the invariants catch it. Never a scenario field. */
  broken?: BrokenVariant | null;
  /** Keep the readable event list (default true; the hash is computed either way). */
  keepEvents?: boolean;
  /** Chart window (default 1 s for food orders, 1 min for calls). */
  windowMs?: number;
}

export interface SagaRunResult {
  scenario: string;
  seed: number;
  saga: SagaKind;
  style: SagaStyle;
  broken: BrokenVariant | null;
  sagas: { started: number; completed: number; compensated: number; failed: number; inFlight: number; rejected: number };
  messages: { sent: number; lost: number; toDownNode: number; perSaga: number };
  /** Saga durations, start to end, of sagas that ended. */
  sagaDurationMs: LatencySummary;
  /** When the last saga ended (ms of virtual time), or null if some never did. */
  settledAtMs: number | null;
  /** The liveness deadline: end of faults plus `settleMs`. */
  deadlineMs: number;
  virtualTimeMs: number;
  money: { initialRupees: number; finalRupees: number; lockedAtEndRupees: number };
  invariants: Record<InvariantName, CheckResult<Violation>>;
  /** The invariants that failed (empty for a correct run). */
  violated: InvariantName[];
  series: OutcomeSeries;
  faults: FaultWindow[];
  eventHash: string;
  events: SagaEvent[];
  /** The final state the invariants judged (accounts, holds, ledger, orders, calls, sagas). */
  state: FinalState;
}

export function settleMsOf(scenario: SagaScenario): number {
  if (scenario.settleMs !== undefined) return scenario.settleMs;
  return scenario.saga === "food-order" ? 60_000 : ((scenario.callMinutesMax ?? DEFAULTS.callMinutesMax) + 3) * MINUTE_MS;
}

export function runSagaScenario(scenario: SagaScenario, options: SagaRunOptions = {}): SagaRunResult {
  const food = scenario.saga === "food-order";
  const accounts: Record<string, number> = {};
  for (const c of customerIds(scenario)) accounts[c] = scenario.balanceRupees ?? DEFAULTS.balanceRupees;
  accounts[food ? RESTAURANT_ACCOUNT : TELCO_ACCOUNT] = 0;
  const system = new SagaSystem({
    seed: scenario.seed,
    style: scenario.style,
    accounts,
    latencyMs: scenario.network?.latencyMs,
    restaurant: scenario.restaurant,
    timing: food ? {} : { maxMinutes: (scenario.callMinutesMax ?? DEFAULTS.callMinutesMax) + 1 },
    broken: options.broken ?? null,
    keepEvents: options.keepEvents ?? true,
  });
  const world = system.world;
  const faults = installFaults(world, scenario.faults ?? [], scenario.durationMs);
  scheduleArrivals(system, scenario);
  const windows = new OutcomeWindows(options.windowMs ?? (food ? 1000 : MINUTE_MS));
  const deadlineMs = scenario.durationMs + settleMsOf(scenario);
  const settled = () => world.nowUs >= msToUs(scenario.durationMs) && system.quiescent();
  sampleEvery(system, windows, settled);
  world.run(msToUs(deadlineMs), settled);
  windows.sample(world.nowMs, system.registry, system.services.bank.fundsLocked());
  return result(scenario, system, options, { faults, windows, deadlineMs, initialMoney: Object.values(accounts).reduce((a, b) => a + b, 0) });
}

/** Closes a chart window at every window end until the run settles. */
function sampleEvery(system: SagaSystem, windows: OutcomeWindows, settled: () => boolean): void {
  const step = windows.series.windowMs;
  const tick = (k: number) => {
    if (settled()) return;
    windows.sample(system.world.nowMs, system.registry, system.services.bank.fundsLocked());
    system.world.at(msToUs((k + 1) * step), () => tick(k + 1));
  };
  system.world.at(msToUs(step), () => tick(1));
}

interface RunParts {
  faults: FaultWindow[];
  windows: OutcomeWindows;
  deadlineMs: number;
  initialMoney: number;
}

function result(scenario: SagaScenario, system: SagaSystem, options: SagaRunOptions, parts: RunParts): SagaRunResult {
  const state = finalState(scenario, system, parts);
  const invariants = checkInvariants(state);
  const records = system.registry.all();
  const durations = new LatencyHistogram();
  for (const r of records) if (r.endMs !== null) durations.recordUs(msToUs(r.endMs - r.startMs));
  const count = (o: string) => records.filter((r) => r.outcome === o).length;
  const ended = records.filter((r) => r.endMs !== null).map((r) => r.endMs as number);
  const messages = system.world.messages;
  return {
    scenario: scenario.name,
    seed: scenario.seed,
    saga: scenario.saga,
    style: scenario.style,
    broken: options.broken ?? null,
    sagas: { started: records.length, completed: count("completed"), compensated: count("compensated"), failed: count("failed"), inFlight: system.registry.inFlight, rejected: system.registry.rejected },
    messages: { ...messages, perSaga: records.length === 0 ? 0 : Math.round((messages.sent / records.length) * 100) / 100 },
    sagaDurationMs: durations.summary(),
    settledAtMs: system.registry.inFlight === 0 ? Math.max(0, ...ended) : null,
    deadlineMs: parts.deadlineMs,
    virtualTimeMs: system.world.nowMs,
    money: { initialRupees: parts.initialMoney, finalRupees: system.services.bank.totalMoney(), lockedAtEndRupees: system.services.bank.fundsLocked() },
    invariants,
    violated: failedInvariants(invariants),
    series: parts.windows.series,
    faults: parts.faults,
    eventHash: system.world.log.digest(),
    events: system.world.log.events,
    state,
  };
}

function finalState(scenario: SagaScenario, system: SagaSystem, parts: RunParts): FinalState {
  const { bank, restaurant, phoneSwitch } = system.services;
  restaurant.settle();
  return {
    saga: scenario.saga,
    initialMoneyRupees: parts.initialMoney,
    accounts: Object.fromEntries(bank.accounts),
    holds: [...bank.holds.values()].map((h) => ({ ...h })),
    ledger: [...bank.ledger],
    orders: [...restaurant.orders.values()].map((o) => ({ ...o })),
    calls: [...phoneSwitch.calls.keys()].map((id) => ({ id, completedMinutes: phoneSwitch.completedMinutes(id) })),
    sagas: system.registry.all(),
    deadlineMs: parts.deadlineMs,
    rupeesPerMinute: DEFAULTS.rupeesPerMinute,
  };
}
