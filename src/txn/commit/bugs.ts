/**
 * Deliberate bugs, for testing the atomicity checker: a checker that never fails on a broken protocol
 * proves nothing. They are options of a run (`runAtomicCommit(s, { bugs })`), never fields of the
 * scenario format, so no course material can switch them on by accident.
 */
export const COMMIT_BUGS = [
  /** The coordinator decides commit on the first yes vote, without waiting for the others. */
  "commit-without-all-votes",
  /** 2PC: a participant in doubt aborts on its own when its decision timeout fires (the classic mistake). */
  "in-doubt-abort",
] as const;

export type CommitBug = (typeof COMMIT_BUGS)[number];

export class CommitBugs {
  private readonly on: ReadonlySet<CommitBug>;
  constructor(bugs: readonly CommitBug[] = []) {
    this.on = new Set(bugs);
  }
  has(bug: CommitBug): boolean {
    return this.on.has(bug);
  }
}
