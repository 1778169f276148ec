import { Random } from "../../sim/random";
import type { ParticipantStateName } from "./events";
import { LockTable } from "./locks";

/**
 * What a participant has forced to its log for one transaction: it survives a crash. Once
 * "prepared" (it voted yes) it may no longer abort on its own: it must learn the outcome.
 */
export interface ParticipantRecord {
  state: "prepared" | "pre-committed" | "committed" | "aborted";
  /** Every participant of the transaction (empty when this one aborted before it knew them). */
  readonly participants: readonly number[];
  /** The keys this participant holds for the transaction. */
  readonly keys: readonly number[];
}

/** One round of the 3PC termination protocol, run by the participant elected as the new coordinator. */
export interface TerminationRound {
  phase: "collecting" | "pre-committing" | "done";
  /** What each participant said (the terminator's own state included). */
  readonly states: Map<number, ParticipantStateName>;
  /** Participants whose pre-commit acknowledgement it still waits for. */
  readonly pendingAcks: Set<number>;
}

/** A participant's working state for one transaction: lost in a crash. */
export interface ParticipantWork {
  /** Bumped each time the participant re-arms its timer for this transaction: older timers are void. */
  timerGen: number;
  /** Whose next message it waits for: the coordinator (0) or the participant it asked to terminate. */
  awaiting: number;
  /** 3PC: participants it believes crashed, so it will not wait for them to run termination. */
  readonly suspected: Set<number>;
  termination: TerminationRound | null;
}

export class ParticipantNode {
  up = true;
  incarnation = 0;
  /** Durable. */
  readonly log = new Map<number, ParticipantRecord>();
  /** Volatile. */
  readonly locks = new LockTable();
  /** Volatile. */
  readonly work = new Map<number, ParticipantWork>();
  /** Draws this participant's "no" votes (constraint violations), from its own random stream. */
  readonly constraints: Random;

  constructor(
    readonly node: number,
    name: string,
    seed: number,
  ) {
    this.constraints = new Random(seed, `txn/constraints/${name}`);
  }

  /** The working state of a transaction, created on first use. */
  workOn(txn: number): ParticipantWork {
    let work = this.work.get(txn);
    if (!work) {
      work = { timerGen: 0, awaiting: 0, suspected: new Set(), termination: null };
      this.work.set(txn, work);
    }
    return work;
  }

  /** Decided (committed or aborted) per its log. */
  decided(txn: number): boolean {
    const state = this.log.get(txn)?.state;
    return state === "committed" || state === "aborted";
  }

  /** Voted yes and still waiting for the outcome. */
  inDoubt(txn: number): boolean {
    const state = this.log.get(txn)?.state;
    return state === "prepared" || state === "pre-committed";
  }

  crash(): void {
    this.up = false;
    this.incarnation++;
    this.locks.clear();
    this.work.clear();
  }
}

/** How a participant describes itself to a 3PC terminator. */
export function stateName(record: ParticipantRecord): ParticipantStateName {
  return record.state === "prepared" ? "uncertain" : record.state;
}
