import { CommandKind, type LogEntry } from "./command-log";

/**
 * A node's key-value data: one number per key, plus the log index of the write that produced it
 * (its version), which is how a read can tell that it is stale.
 */
export class KeyValueStore {
  values: Float64Array;
  versions: Float64Array;

  constructor(readonly keyCount: number) {
    this.values = new Float64Array(keyCount).fill(NaN);
    this.versions = new Float64Array(keyCount);
  }

  /** The value of a key, or NaN when it was never written. */
  get(key: number): number {
    return this.values[key];
  }

  /** A missing key counts as 0 for `add` (a balance that was never touched). */
  valueOrZero(key: number): number {
    const v = this.values[key];
    return Number.isNaN(v) ? 0 : v;
  }

  /**
   * Replays one deterministic command: the entry says everything (a value or an amount), so every
   * replica that applies the same entries in the same order ends with the same data. (SetNow and
   * SetRandom in a statement log are the exception the course demonstrates: see follower.ts.)
   */
  apply(entry: LogEntry): void {
    this.set(entry.key, entry.kind === CommandKind.Add ? this.valueOrZero(entry.key) + entry.arg : entry.arg, entry.index);
  }

  /** Writes a value computed elsewhere (a replica's own evaluation of a non-deterministic command). */
  set(key: number, value: number, version: number): void {
    this.values[key] = value;
    this.versions[key] = version;
  }

  copyFrom(other: KeyValueStore): void {
    this.values.set(other.values);
    this.versions.set(other.versions);
  }

  clear(): void {
    this.values.fill(NaN);
    this.versions.fill(0);
  }

  /** The store as a plain object (absent keys omitted), for `--state` and for comparing replicas. */
  toObject(keyNames: readonly string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (let k = 0; k < this.keyCount; k++) if (!Number.isNaN(this.values[k])) out[keyNames[k]] = this.values[k];
    return out;
  }
}
