/**
 * What the coordinator has forced to its log for one transaction: it survives a crash. The decision
 * is written BEFORE any participant hears it (Gray 1978): a coordinator that crashes after telling
 * one participant "commit" must still say "commit" to the others when it comes back.
 */
export interface CoordinatorRecord {
  readonly participants: readonly number[];
  /** 3PC: everyone voted yes and the coordinator entered the pre-committed state. */
  preCommitted: boolean;
  /** null until decided. */
  decision: boolean | null;
  /** Every participant acknowledged the decision: no need to resend it after a crash. */
  ended: boolean;
}

/** The coordinator's working state for a transaction it is running: lost in a crash. */
export interface CoordinatorRound {
  readonly txn: number;
  readonly participants: readonly number[];
  phase: "voting" | "pre-committing" | "deciding";
  /** Votes received so far (yes or no). */
  votes: number;
  readonly yes: Set<number>;
  /** Pre-commit acknowledgements (3PC), then decision acknowledgements. */
  readonly acks: Set<number>;
}

export class CoordinatorNode {
  up = true;
  /** Bumped by each crash, so timers set before it never fire after it. */
  incarnation = 0;
  /** Durable. */
  readonly log = new Map<number, CoordinatorRecord>();
  /** Volatile. */
  readonly rounds = new Map<number, CoordinatorRound>();

  crash(): void {
    this.up = false;
    this.incarnation++;
    this.rounds.clear();
  }
}
