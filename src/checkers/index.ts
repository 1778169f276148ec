/**
 * Consistency checkers: judge a `History` (what clients asked and were told) the way Jepsen does, without
 * looking inside the cluster.
 */
export {
  checkLinearizability,
  DEFAULT_MAX_STEPS_PER_PARTITION,
  type LinearizabilityFailure,
  type LinearizabilityOptions,
  type LinearizabilityResult,
  type Verdict,
} from "./linearizability";
export {
  casRegisterModel,
  describeOperation,
  dropUnobservedUnknownWrites,
  observedOutcome,
  partitionByKey,
  porcupineKvModel,
  replicalabKvModel,
  type Model,
  type ModelInput,
  type Observed,
  type StepResult,
} from "./models";
export { checkStaleReads, type StaleRead, type StaleReadOptions } from "./stale-reads";
export { checkLostWrites, type FinalData, type LogEntry, type LostWrite } from "./lost-writes";
export { checkDivergence, type Divergence, type NodeStates } from "./divergence";
export { MAX_EXAMPLES, type CheckResult } from "./result";
