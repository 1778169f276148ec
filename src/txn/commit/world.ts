import type { CommitBugs } from "./bugs";
import type { CoordinatorNode } from "./coordinator-state";
import type { TxnEventInput, TxnMessageKind } from "./events";
import type { MessageBody } from "./messages";
import type { ParticipantNode } from "./participant-state";
import type { CommitPhase } from "./scenario-types";
import type { CommitSettings } from "./settings";

/**
 * What the protocol modules (coordinator, participant, termination, recovery) may see and do. The
 * simulation implements it; protocols never touch the clock, the network or the faults directly, and
 * never import checkers or metrics (those read the event stream).
 */
export interface CommitWorld {
  readonly settings: CommitSettings;
  readonly coordinator: CoordinatorNode;
  readonly bugs: CommitBugs;
  participant(node: number): ParticipantNode;
  /** Virtual time, µs. */
  now(): number;
  emit(event: TxnEventInput): void;
  send(from: number, to: number, kind: TxnMessageKind, txn: number, body?: MessageBody): void;
  /** Runs `action` after `delayUs`, unless `node` crashed in between. */
  afterVirtual(node: number, delayUs: number, action: () => void): void;
  isUp(node: number): boolean;
  /**
   * A fault point: `node` reached `phase` of `txn`, having sent (or received) `count` messages of it.
   * Returns false when a fault crashed the node right here: the caller must stop at once.
   */
  checkpoint(node: number, phase: CommitPhase, txn: number, count: number): boolean;
  /** A node's name, for events. */
  name(node: number): string;
}
