import type { Key, TxId, Value } from "./types";

/**
 * The multi-version store. A write never overwrites: it appends a new version of the row, tagged with
 * its writer and, once the writer commits, with a commit timestamp. Readers pick the version their
 * isolation level allows (the newest, the newest committed, or the newest as of a snapshot), so a
 * reader never waits for a writer and a writer never waits for a reader.
 *
 * MVCC is CONCURRENCY CONTROL on one database: it decides what concurrent transactions see. It is not a
 * consensus protocol (the lecture lists it with 2PC and 3PC): nothing here makes replicas agree.
 *
 * The Git analogy fits the reading side: every commit is a new immutable version, and you can check out
 * an old one while others keep committing. It stops fitting at writes: Git lets two branches change the
 * same file and merges later, while a database must decide at once (a write lock, first-committer-wins,
 * or an abort); and Git keeps history forever, while a database garbage-collects versions that no
 * running snapshot can see any more (`collect`).
 *
 * Per key, versions are kept oldest first. Write locks let at most one transaction hold an uncommitted
 * version of a key at a time, so a chain is: committed versions in commit order, then at most one
 * uncommitted version.
 */
export interface Version {
  readonly key: Key;
  value: Value;
  readonly writer: TxId;
  /** Null while the writer has not committed. */
  commitTs: number | null;
}

export class VersionStore {
  private readonly chains = new Map<Key, Version[]>();
  private count = 0;

  /** Every key that has (or had) a version, in first-write order. */
  keys(): Key[] {
    return [...this.chains.keys()];
  }

  /** Versions currently kept, over all keys. */
  get versionCount(): number {
    return this.count;
  }

  /** The versions of one key, oldest first (a copy: for notebooks and tests). */
  chain(key: Key): readonly Version[] {
    return [...(this.chains.get(key) ?? [])];
  }

  /** Loads committed data (timestamp 0 by default), as a bulk load before any transaction. */
  load(key: Key, value: Value, writer: TxId, commitTs = 0): void {
    this.push(key, { key, value, writer, commitTs });
  }

  /** The newest version, committed or not (what read uncommitted sees). */
  latest(key: Key): Version | undefined {
    const chain = this.chains.get(key);
    return chain === undefined ? undefined : chain[chain.length - 1];
  }

  /** The newest committed version (what read committed sees at each statement). */
  latestCommitted(key: Key): Version | undefined {
    return this.findFromNewest(key, (v) => v.commitTs !== null);
  }

  /** The newest version committed at or before `ts` (what a snapshot taken at `ts` sees). */
  asOf(key: Key, ts: number): Version | undefined {
    return this.findFromNewest(key, (v) => v.commitTs !== null && v.commitTs <= ts);
  }

  /** The writer's own uncommitted version of a key, if any: a transaction always sees its own writes. */
  uncommittedBy(key: Key, writer: TxId): Version | undefined {
    const v = this.latest(key);
    return v !== undefined && v.commitTs === null && v.writer === writer ? v : undefined;
  }

  /** Versions by others that are newer than `seen` (all of them when `seen` is undefined). */
  newerThan(key: Key, seen: Version | undefined, except: TxId): Version[] {
    const chain = this.chains.get(key) ?? [];
    const from = seen === undefined ? 0 : chain.indexOf(seen) + 1;
    return chain.slice(from).filter((v) => v.writer !== except);
  }

  /** Whether someone other than `except` committed a version of `key` after timestamp `ts`. */
  committedAfter(key: Key, ts: number, except: TxId): Version | undefined {
    return this.findFromNewest(key, (v) => v.commitTs !== null && v.commitTs > ts && v.writer !== except);
  }

  /** Writes an uncommitted version (or updates the writer's own uncommitted one: one version per transaction). */
  write(key: Key, value: Value, writer: TxId): void {
    const own = this.uncommittedBy(key, writer);
    if (own !== undefined) own.value = value;
    else this.push(key, { key, value, writer, commitTs: null });
  }

  /** Stamps the writer's uncommitted versions of `keys` with its commit timestamp. */
  commit(keys: Iterable<Key>, writer: TxId, commitTs: number): void {
    for (const key of keys) {
      const v = this.uncommittedBy(key, writer);
      if (v !== undefined) v.commitTs = commitTs;
    }
  }

  /** Drops the writer's uncommitted versions: an abort is just forgetting them (nothing to undo in place). */
  rollback(keys: Iterable<Key>, writer: TxId): void {
    for (const key of keys) {
      const chain = this.chains.get(key);
      const v = this.uncommittedBy(key, writer);
      if (chain === undefined || v === undefined) continue;
      chain.pop();
      this.count--;
      if (chain.length === 0) this.chains.delete(key);
    }
  }

  /**
   * Garbage collection: drops every committed version that no snapshot at or after `horizonTs` can see,
   * that is, all but the newest committed version at or before the horizon, and everything newer.
   * Returns how many versions were dropped.
   */
  collect(horizonTs: number): number {
    let dropped = 0;
    for (const chain of this.chains.values()) {
      let keepFrom = -1;
      for (let i = chain.length - 1; i >= 0; i--) {
        const ts = chain[i].commitTs;
        if (ts !== null && ts <= horizonTs) {
          keepFrom = i;
          break;
        }
      }
      if (keepFrom > 0) {
        chain.splice(0, keepFrom);
        dropped += keepFrom;
      }
    }
    this.count -= dropped;
    return dropped;
  }

  private push(key: Key, v: Version): void {
    const chain = this.chains.get(key);
    if (chain === undefined) this.chains.set(key, [v]);
    else chain.push(v);
    this.count++;
  }

  private findFromNewest(key: Key, ok: (v: Version) => boolean): Version | undefined {
    const chain = this.chains.get(key);
    if (chain === undefined) return undefined;
    for (let i = chain.length - 1; i >= 0; i--) if (ok(chain[i])) return chain[i];
    return undefined;
  }
}
