/**
 * The scenario format of atomic-commit experiments: one coordinator, N participants, a workload of
 * distributed transactions, and faults. Plain JSON, like the cluster scenarios of `src/scenario`, but
 * a different world, told apart by `"kind": "atomic-commit"`.
 *
 * This is a public contract (instructors write their own files): extend it, never break it.
 * `scenario-schema.ts` validates untrusted JSON into these types. Times are milliseconds of VIRTUAL
 * time (the engine works in integer microseconds).
 */
import type { Distribution } from "../../scenario/types";

export type CommitProtocol = "2pc" | "3pc";

export interface AtomicCommitScenario {
  /** Format version of this file. */
  format: 1;
  /** Which world this file describes: always "atomic-commit" here. */
  kind: "atomic-commit";
  name: string;
  description?: string;
  seed: number;
  durationMs: number;
  /** Stop after this many events (a guard for runaway runs). Default 10,000,000. */
  maxEvents?: number;
  protocol: CommitProtocol;
  /** Number of participants, named "p1" .. "pN". The coordinator is named "coordinator". */
  participants: number;
  /**
   * 2PC only: an in-doubt participant also asks the other participants (not just the coordinator)
   * for the outcome. Default false. 3PC always runs its own termination protocol.
   */
  cooperativeTermination?: boolean;
  network: CommitNetworkSpec;
  timeouts?: CommitTimeouts;
  workload: CommitWorkloadSpec;
  faults?: CommitFaultSpec[];
}

export interface CommitNetworkSpec {
  /** One-way latency of every link (links are FIFO). */
  latencyMs: Distribution;
  /** Probability that a message is lost, 0..1. Default 0. */
  lossRate?: number;
}

/**
 * Timeouts, ms. 3PC is safe only when they cover the worst message delay (Skeen 1981): a participant
 * must not give up on a coordinator that is merely slow. See `settings.ts` for the defaults and for
 * what each must exceed.
 */
export interface CommitTimeouts {
  /** The coordinator waits this long for votes, then aborts. Default 50. */
  voteMs?: number;
  /** 3PC: the coordinator waits this long for pre-commit acknowledgements, then commits anyway. Default 50. */
  preCommitAckMs?: number;
  /**
   * A participant that voted yes waits this long for the coordinator's next message. 2PC: then it asks
   * for the outcome (it stays in doubt). 3PC: then it starts the termination protocol. Default 150.
   * `blockedMs` counts in-doubt time beyond this.
   */
  decisionMs?: number;
  /** 2PC: an in-doubt participant asks again this often. Default: decisionMs. */
  retryMs?: number;
  /** 3PC termination: how long the elected participant waits for each round of replies. Default 40. */
  terminationRoundMs?: number;
}

/** What a participant does when a key is locked by another transaction's prepare. */
export type LockConflictPolicy = "vote-no" | "wait";

/**
 * Transactions. Keys are named "k0" .. "k<keys-1>"; key "kI" lives on participant p((I mod N) + 1), so
 * consecutive keys are spread over the participants.
 */
export interface CommitWorkloadSpec {
  /** Random arrivals: a Poisson stream of this many transactions per second of virtual time. */
  txPerSec?: number;
  /** A fixed list of transactions, besides (or instead of) the random ones. */
  transactions?: FixedTransaction[];
  /** Number of distinct keys. Default 100. */
  keys?: number;
  /** Keys each random transaction touches, chosen uniformly without repetition. Default: participants. */
  keysPerTx?: number;
  /** No new random transactions after this virtual time. Default: the whole run. */
  stopAtMs?: number;
  /** Probability that a participant votes no on a prepare (a constraint violation), 0..1. Default 0. */
  voteNoProbability?: number;
  /** No-wait ("vote-no", the default) or wait for the lock ("wait"). */
  onLockConflict?: LockConflictPolicy;
}

export interface FixedTransaction {
  atMs: number;
  /** Keys this transaction writes ("k0", "k7", ...). */
  keys: string[];
}

/** Points in the coordinator's protocol where a fault can strike. */
export type CoordinatorPhase =
  | "before-prepare"
  | "after-prepare-sent"
  | "after-votes"
  | "after-precommit-sent"
  | "after-decision-sent";

/** Points in a participant's protocol where a fault can strike. */
export type ParticipantPhase = "before-vote" | "after-vote" | "after-precommit";

export type CommitPhase = CoordinatorPhase | ParticipantPhase;

/**
 * When a scripted fault strikes: at a virtual time (`atMs`), or when a node reaches a point of the
 * protocol (`atPhase`), exactly one of the two.
 */
interface FaultTrigger {
  atMs?: number;
  atPhase?: CommitPhase;
  /**
   * With `atPhase`: how many messages of that phase the node has sent (for "...-sent" phases) or votes
   * it has received ("after-votes") when the fault strikes. 0 means just before the first. Default 1.
   */
  afterMessages?: number;
  /** With `atPhase`: only in this transaction (1 is the first to arrive). Default: the first to get there. */
  txn?: number;
  /** Undo the fault after this long (restart the node, heal the partition). Default: never. */
  durationMs?: number;
}

export type CommitFaultSpec =
  | (FaultTrigger & { type: "crash"; node: string })
  | (FaultTrigger & {
      type: "partition";
      /** Groups of nodes that cannot reach each other; nodes not listed reach everyone. */
      groups: string[][];
    })
  | {
      type: "random-crashes";
      nodes: string[];
      /** Mean time between failures (exponential), per node. */
      mtbfMs: number;
      /** Mean time to repair (exponential). Absent: crash-stop, a crashed node never comes back. */
      mttrMs?: number;
      fromMs?: number;
      untilMs?: number;
    }
  | {
      type: "random-partitions";
      /** Mean time between partitions (exponential). Each splits all nodes into two random sides. */
      mtbfMs: number;
      /** Mean time until it heals (exponential). */
      mttrMs: number;
      fromMs?: number;
      untilMs?: number;
    };

export type CommitFaultType = CommitFaultSpec["type"];
