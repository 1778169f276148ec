import type { Distribution } from "../../scenario/types";
import { maxOf } from "../../sim/distributions";
import { msToUs } from "../../sim/time";
import { nodeNames } from "./nodes";
import type { AtomicCommitScenario, CommitProtocol, LockConflictPolicy } from "./scenario-types";

/** Timeouts used when a scenario names none, ms: generous for links of a few ms. */
export const DEFAULT_TIMEOUTS_MS = { voteMs: 50, preCommitAckMs: 50, decisionMs: 150, terminationRoundMs: 40 } as const;
export const DEFAULT_KEYS = 100;
export const DEFAULT_MAX_EVENTS = 10_000_000;

/**
 * A participant waiting for the participant it believes should run 3PC termination suspects it after
 * this many rounds: one to reach it, two for its rounds (collect states, pre-commit), one for its answer.
 */
export const CANDIDATE_WAIT_ROUNDS = 4;

/** A scenario resolved for the engine: defaults filled in, times in integer microseconds. */
export interface CommitSettings {
  readonly name: string;
  readonly protocol: CommitProtocol;
  readonly participants: number;
  /** Node names by number ("coordinator", "p1", ...). */
  readonly names: readonly string[];
  readonly seed: number;
  readonly endUs: number;
  readonly maxEvents: number;
  readonly cooperativeTermination: boolean;
  readonly latencyMs: Distribution;
  readonly lossRate: number;
  readonly voteUs: number;
  readonly preCommitAckUs: number;
  readonly decisionUs: number;
  readonly retryUs: number;
  readonly terminationRoundUs: number;
  readonly candidateUs: number;
  readonly keys: number;
  readonly keysPerTx: number;
  readonly voteNoProbability: number;
  readonly onLockConflict: LockConflictPolicy;
}

export function resolveSettings(s: AtomicCommitScenario): CommitSettings {
  const t = { ...DEFAULT_TIMEOUTS_MS, ...s.timeouts };
  const keys = s.workload.keys ?? DEFAULT_KEYS;
  return {
    name: s.name,
    protocol: s.protocol,
    participants: s.participants,
    names: nodeNames(s.participants),
    seed: s.seed,
    endUs: msToUs(s.durationMs),
    maxEvents: s.maxEvents ?? DEFAULT_MAX_EVENTS,
    cooperativeTermination: s.cooperativeTermination ?? false,
    latencyMs: s.network.latencyMs,
    lossRate: s.network.lossRate ?? 0,
    voteUs: msToUs(t.voteMs),
    preCommitAckUs: msToUs(t.preCommitAckMs),
    decisionUs: msToUs(t.decisionMs),
    retryUs: msToUs(t.retryMs ?? t.decisionMs),
    terminationRoundUs: msToUs(t.terminationRoundMs),
    candidateUs: msToUs(t.terminationRoundMs * CANDIDATE_WAIT_ROUNDS),
    keys,
    keysPerTx: s.workload.keysPerTx ?? Math.min(s.participants, keys),
    voteNoProbability: s.workload.voteNoProbability ?? 0,
    onLockConflict: s.workload.onLockConflict ?? "vote-no",
  };
}

/**
 * The conditions under which 3PC cannot disagree (Skeen 1981): crash-stop failures only, no lost
 * messages, no partitions, and a bound on message delay that the timeouts cover. A participant must
 * not give up on a coordinator that is only slow, so its decision timeout must exceed the
 * coordinator's longest wait (for votes or pre-commit acks) plus one delay, and a termination round
 * must fit a round trip. 2PC needs none of this to stay safe; it blocks instead.
 */
export interface SafetyConditions {
  /** The latency distribution has a maximum (constant or uniform). */
  latencyBounded: boolean;
  /** The timeouts exceed the waits above, given the largest possible latency. */
  timeoutsCoverLatency: boolean;
  /** The scenario has no partitions. */
  noPartitions: boolean;
  /** Crashed nodes never restart (crash-stop). */
  crashStop: boolean;
  /** No message loss. */
  noLoss: boolean;
  /** All of the above: 3PC's guarantee applies to this run. */
  threePhaseCommitSafe: boolean;
}

export function safetyConditions(s: AtomicCommitScenario, settings: CommitSettings): SafetyConditions {
  const maxLatencyUs = msToUs(maxOf(settings.latencyMs));
  const latencyBounded = Number.isFinite(maxLatencyUs);
  const longestCoordinatorWaitUs = Math.max(settings.voteUs, settings.preCommitAckUs);
  const timeoutsCoverLatency =
    latencyBounded && settings.decisionUs > longestCoordinatorWaitUs + maxLatencyUs && settings.terminationRoundUs > 2 * maxLatencyUs;
  const faults = s.faults ?? [];
  const noPartitions = !faults.some((f) => f.type === "partition" || f.type === "random-partitions");
  const crashStop = !faults.some((f) => (f.type === "crash" && f.durationMs !== undefined) || (f.type === "random-crashes" && f.mttrMs !== undefined));
  const noLoss = settings.lossRate === 0;
  const all = latencyBounded && timeoutsCoverLatency && noPartitions && crashStop && noLoss;
  return { latencyBounded, timeoutsCoverLatency, noPartitions, crashStop, noLoss, threePhaseCommitSafe: all };
}
