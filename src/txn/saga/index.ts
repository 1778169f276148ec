/**
 * Sagas with compensations: the public API for notebooks.
 *
 * - `runSagaScenario`, `loadSagaScenarioFile`, `parseSagaScenario`: scenario runs (orchestrated or
 *   choreographed; food order or phone call) with faults, invariants and chart series.
 * - `pivotRace`: the timeout-vs-confirmation race and how the pivot handles it.
 * - `lastPortionRace`: the two-saga anomaly, with and without a semantic lock.
 * - `compareStyles`: orchestration against choreography on one scenario.
 * - `sweep`, `sweepScenario`, `randomFaults`: many seeds with random faults (and the broken variants).
 * - the invariant checks, as pure functions of a final state.
 */
export * from "./types";
export { runSagaScenario, settleMsOf, type SagaRunOptions, type SagaRunResult } from "./run";
export { loadSagaScenarioFile, parseSagaScenario, sagaScenarioSchema, type SagaScenario } from "./scenario";
export { installFaults, type FaultWindow, type SagaFault } from "./faults";
export { checkConfirmedOrdersPaid, checkInvariants, checkMoneyConserved, checkNothingChargedTwice, checkSagasEnded, failedInvariants, type FinalState, type InvariantName, type Violation } from "./invariants";
export type { OutcomeSeries } from "./outcome-series";
export type { SagaEvent } from "./events";
export { pivotRace, type PivotRaceOptions, type PivotRaceResult } from "./pivot-race";
export { lastPortionRace, type LastPortionOptions, type LastPortionResult, type PortionSaga } from "./semantic-lock";
export { compareStyles, type StyleComparison, type StyleSummary } from "./compare-styles";
export { randomFaults, sweepScenario } from "./fault-mix";
export { sweep, type SweepFailure, type SweepOptions, type SweepReport } from "./sweep";
export { SagaSystem, type SystemOptions } from "./system";
export { DEFAULT_TIMING, planFor, type SagaParams, type SagaPlan, type SagaTiming, type StepSpec } from "./plans";
export { Bank, type Hold, type HoldState, type LedgerEntry } from "./bank";
export { Restaurant, type OrderState, type RestaurantOrder, type RestaurantOptions } from "./restaurant";
export { PhoneSwitch, MINUTE_MS } from "./phone-switch";
export type { SagaRecord } from "./saga-registry";
export type { SagaLogRecord } from "./saga-log";
