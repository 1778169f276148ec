/**
 * Deliberate bugs, for testing the tests. The reliability harness runs each protocol with one of
 * these switched on and must catch it within a bounded number of seeds; a check that never fails on a
 * broken protocol proves nothing. They are options of `Simulation`, never of the scenario format, so
 * no course material can switch them on by accident.
 */
export const BUGS = [
  /** sync and semi-sync acknowledge a write as soon as the primary logged it (as async does). */
  "ack-before-replicate",
  /** A crashed database node keeps answering requests (fail-stop violated). */
  "zombie-node",
  /** Primary crashes do not add to atRiskWrites. */
  "uncounted-risk",
  /** A replica applies every second `add` twice (non-idempotent replay). */
  "double-apply",
] as const;

export type Bug = (typeof BUGS)[number];

/** The set of bugs switched on for one run (empty in every real use). */
export class Bugs {
  private readonly on: ReadonlySet<Bug>;
  constructor(bugs: readonly Bug[] = []) {
    this.on = new Set(bugs);
  }
  has(bug: Bug): boolean {
    return this.on.has(bug);
  }
}
