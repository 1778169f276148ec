/**
 * Commit timestamps: a counter, not a wall clock. MVCC needs only an ORDER of commits (which versions a
 * snapshot sees), and a counter gives one that is exact, deterministic and free of clock skew.
 * PostgreSQL does the same with transaction ids; Spanner needs real time only because its snapshots
 * span machines.
 */
export class LogicalClock {
  private last = 0;

  /** The timestamp of the latest commit: a snapshot taken now sees every version up to it. */
  get current(): number {
    return this.last;
  }

  /** The timestamp for the next commit. */
  tick(): number {
    return ++this.last;
  }
}
