/**
 * Atomic commitment: two-phase commit (Gray 1978) and three-phase commit (Skeen 1981) on a
 * deterministic simulator, with their faults, an atomicity checker, metrics and timelines.
 *
 * The world (simulation, network, faults), the protocols (coordinator, participant, termination) and
 * the checkers and metrics (which read only the event stream) are separate modules.
 */
export type { AtomicCommitScenario, CommitFaultSpec, CommitNetworkSpec, CommitPhase, CommitProtocol, CommitTimeouts, CommitWorkloadSpec, CoordinatorPhase, FixedTransaction, LockConflictPolicy, ParticipantPhase } from "./scenario-types";
export { parseAtomicCommitScenario, loadAtomicCommitScenarioFile, isAtomicCommitScenario } from "./scenario";
export { runAtomicCommit, type AtomicCommitResult, type RunAtomicCommitOptions } from "./run";
export { AtomicCommitSimulation, type AtomicCommitOptions } from "./simulation";
export type { AtomicCommitSummary } from "./summary";
export { checkAtomicity, type AtomicityViolation } from "./atomicity";
export { outcomesOf, type TxnOutcome } from "./outcomes";
export { timeline, type Timeline, type TimelineMark, type TimelineMessage, type TimelineOptions } from "./timeline";
export { describeTxnEvent, TXN_EVENT_TYPES, TXN_MESSAGE_KINDS, type TxnEvent, type TxnEventType, type TxnMessageKind, type DecideReason, type VoteReason, type TimeoutKind } from "./events";
export type { TxnEventBatch } from "./event-log";
export { COMMIT_BUGS, type CommitBug } from "./bugs";
export { DEFAULT_TIMEOUTS_MS, type SafetyConditions } from "./settings";
export { ScenarioError } from "../../scenario/errors";
