/**
 * The replicated log: an ordered list of commands ("ADD 100 to user 1"), numbered from 1. Replicas
 * replay it in order, so every copy that has applied the same prefix holds the same data.
 *
 * Each entry also carries the term (epoch) of the primary that created it. An entry is identified by
 * (index, term): only one primary exists per term, so two logs that hold the same term at the same
 * index hold the same entry there, and the same entries before it (Raft's Log Matching property).
 * That is what lets the engine find lost writes without keeping every write forever.
 */

/**
 * Command kinds, as they travel in the log. SetNow and SetRandom exist to show why replayed commands
 * must be deterministic: with a statement log, each replica evaluates NOW() or RAND() itself.
 */
export const CommandKind = { Set: 0, Add: 1, SetNow: 2, SetRandom: 3 } as const;
export type CommandKind = (typeof CommandKind)[keyof typeof CommandKind];

export interface LogEntry {
  readonly index: number;
  readonly term: number;
  /** The client operation that created it. */
  readonly op: number;
  readonly key: number;
  readonly kind: CommandKind;
  /** Set: the value. Add: the amount. SetNow/SetRandom: the value the primary computed. */
  readonly arg: number;
  /** Virtual time at which the primary appended (committed) it, in µs: the start of replication lag. */
  readonly createdUs: number;
}

/** One run of consecutive entries with the same term: entries from startIndex onwards have `term`. */
interface TermRun {
  term: number;
  startIndex: number;
}

/**
 * Entries kept in memory are only a window [firstIndex, lastIndex]; older ones were compacted away
 * (their effect lives in the store). The term of every index ever appended stays known through
 * `termRuns`, which has one element per change of primary, so it stays tiny.
 */
export class CommandLog {
  private entries: LogEntry[] = [];
  /** Position in `entries` of index `firstIndex` (entries before it are garbage awaiting compaction). */
  private head = 0;
  /** Index of the first entry held in memory. */
  firstIndex = 1;
  /** Index of the last entry (0 when empty). */
  lastIndex = 0;
  private termRuns: TermRun[] = [];

  /** The entry at an index, or undefined if it was compacted away or does not exist. */
  entry(index: number): LogEntry | undefined {
    if (index < this.firstIndex || index > this.lastIndex) return undefined;
    return this.entries[this.head + index - this.firstIndex];
  }

  /** Term of the entry at `index` (0 for index 0, or beyond the end). Works for compacted entries too. */
  termAt(index: number): number {
    if (index <= 0 || index > this.lastIndex) return 0;
    const runs = this.termRuns;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[mid].startIndex <= index) lo = mid;
      else hi = mid - 1;
    }
    return runs.length > 0 && runs[lo].startIndex <= index ? runs[lo].term : 0;
  }

  get lastTerm(): number {
    return this.termAt(this.lastIndex);
  }

  /** Appends an entry; its index must be lastIndex + 1. */
  append(entry: LogEntry): void {
    if (entry.index !== this.lastIndex + 1) throw new Error(`log gap: appending ${entry.index} after ${this.lastIndex}`);
    const runs = this.termRuns;
    if (runs.length === 0 || runs[runs.length - 1].term !== entry.term) runs.push({ term: entry.term, startIndex: entry.index });
    this.entries.push(entry);
    this.lastIndex = entry.index;
  }

  /** Removes every entry after `index` (a divergent suffix); returns how many were removed. */
  truncateAfter(index: number): number {
    if (index >= this.lastIndex) return 0;
    const removed = this.lastIndex - index;
    const keep = Math.max(0, index - this.firstIndex + 1);
    this.entries.length = this.head + keep;
    this.lastIndex = index;
    if (this.firstIndex > index + 1) this.firstIndex = index + 1;
    while (this.termRuns.length > 0 && this.termRuns[this.termRuns.length - 1].startIndex > index) this.termRuns.pop();
    return removed;
  }

  /** Forgets entries before `index` (their effects live on in the store). */
  compactBefore(index: number): void {
    const upTo = Math.min(index, this.lastIndex + 1);
    if (upTo <= this.firstIndex) return;
    this.head += upTo - this.firstIndex;
    this.firstIndex = upTo;
    // Reclaim the array now and then, so compaction stays amortised O(1) per entry.
    if (this.head > 4096 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Replaces the whole log by a snapshot's position: nothing in memory, terms copied from the sender. */
  resetTo(lastIndex: number, termRuns: readonly TermRun[]): void {
    this.entries = [];
    this.head = 0;
    this.firstIndex = lastIndex + 1;
    this.lastIndex = lastIndex;
    this.termRuns = termRuns.filter((r) => r.startIndex <= lastIndex).map((r) => ({ ...r }));
  }

  /** Empties the log (the disk is gone). */
  clear(): void {
    this.resetTo(0, []);
  }

  /** A copy of the term history, for snapshots and for comparing logs. */
  termHistory(): TermRun[] {
    return this.termRuns.map((r) => ({ ...r }));
  }

  /** Number of entries held in memory. */
  get retained(): number {
    return this.lastIndex - this.firstIndex + 1;
  }

  /**
   * The longest prefix this log shares with another: the largest index at which both hold the same
   * term (and so, by Log Matching, the same entries up to it).
   */
  commonPrefixWith(other: CommandLog): number {
    let index = Math.min(this.lastIndex, other.lastIndex);
    while (index > 0 && this.termAt(index) !== other.termAt(index)) {
      // Terms differ from the later of the two runs' starts up to here: jump just before it.
      index = Math.max(this.runStartBefore(index), other.runStartBefore(index));
    }
    return index;
  }

  /** The index just before the term run that contains `index`. */
  private runStartBefore(index: number): number {
    for (let i = this.termRuns.length - 1; i >= 0; i--) {
      if (this.termRuns[i].startIndex <= index) return this.termRuns[i].startIndex - 1;
    }
    return 0;
  }

  /** Runs of (term, first index, last index) covering the whole log, for counting lost writes. */
  termSpans(): { term: number; from: number; to: number }[] {
    const spans = [];
    for (let i = 0; i < this.termRuns.length; i++) {
      const from = this.termRuns[i].startIndex;
      const to = i + 1 < this.termRuns.length ? this.termRuns[i + 1].startIndex - 1 : this.lastIndex;
      if (from <= to) spans.push({ term: this.termRuns[i].term, from, to });
    }
    return spans;
  }
}
