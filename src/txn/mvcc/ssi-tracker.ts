import type { Predicate, Key, TxId, Value } from "./types";
import type { ReadEvent, TxnState } from "./txn-state";
import { versionMatches, type VisibleRows } from "./levels/mechanism";
import type { Version, VersionStore } from "./version-store";

/**
 * The bookkeeping of Serializable Snapshot Isolation (Cahill et al. 2008, "basic" algorithm, with
 * PostgreSQL's refinement of ignoring partners that aborted).
 *
 * An rw-antidependency R -rw-> W means: R read a version (or a predicate's set of rows), and W,
 * running concurrently, wrote a newer version R could not see. It is detected from either side:
 * - R reads after W wrote: R finds versions newer than its snapshot (`onRead`, `onScan`);
 * - W writes after R read: R holds a SIREAD "lock" on the key or on a matching predicate (`onWrite`).
 *   SIREAD locks block nobody; they outlive R's commit for as long as a transaction concurrent with R runs.
 *
 * A transaction with an rw-antidependency in AND one out is a "pivot": every cycle in an SI history has
 * one (Fekete et al. 2005). A pivot that is still running aborts at commit; if the pivot has already
 * committed, the transaction that completes the structure aborts instead. This is conservative: it aborts
 * some pivots that are not part of any cycle (false positives), never misses a cycle.
 */
export class SsiTracker {
  /** Serializable transactions that may still take part in a conflict. */
  private readonly tracked = new Map<TxId, TxnState>();

  constructor(private readonly store: VersionStore) {}

  begin(tx: TxnState): void {
    if (tx.ssi !== null) this.tracked.set(tx.id, tx);
  }

  /** R read `key` and saw `seen`: every newer version by a concurrent writer is an rw-antidependency R -> W. */
  onRead(reader: TxnState, key: Key, seen: Version | undefined): string | null {
    reader.ssi?.readKeys.add(key);
    for (const newer of this.store.newerThan(key, seen, reader.id)) {
      const abort = this.addEdge(reader, this.tracked.get(newer.writer), reader, key);
      if (abort !== null) return abort;
    }
    return null;
  }

  /** A predicate read: like a read of every key whose match a newer version could change. */
  onScan(reader: TxnState, label: string, predicate: Predicate, rows: VisibleRows): string | null {
    const seen: ReadEvent[] = [...rows].map(([key, v]) => ({ key, value: v?.value ?? null, writer: v?.writer ?? null }));
    reader.ssi?.predicates.push({ label, predicate, seen });
    for (const [key, version] of rows) {
      const seenMatches = versionMatches(predicate, version);
      for (const newer of this.store.newerThan(key, version, reader.id)) {
        if (!seenMatches && !versionMatches(predicate, newer)) continue;
        const abort = this.addEdge(reader, this.tracked.get(newer.writer), reader, `${key} (scan ${label})`);
        if (abort !== null) return abort;
      }
    }
    return null;
  }

  /** W writes `key`: every concurrent reader holding a SIREAD lock on it gets an rw-antidependency R -> W. */
  onWrite(writer: TxnState, key: Key, value: Value): string | null {
    for (const reader of this.tracked.values()) {
      if (reader === writer || !concurrent(reader, writer) || !readsKey(reader, key, value)) continue;
      const abort = this.addEdge(reader, writer, writer, key);
      if (abort !== null) return abort;
    }
    return null;
  }

  /** At commit: a pivot (live rw-antidependencies in and out) must not commit. */
  onCommit(tx: TxnState): string | null {
    const inbound = firstLive(tx.ssi?.inConflicts);
    const outbound = firstLive(tx.ssi?.outConflicts);
    if (inbound === undefined || outbound === undefined) return null;
    return `dangerous structure: ${inbound.name} -rw-> ${tx.name} -rw-> ${outbound.name}`;
  }

  /**
   * A transaction ended: aborted ones stop counting at once; committed ones are kept while any
   * serializable transaction that began before their commit still runs (their SIREAD locks still matter).
   */
  ended(tx: TxnState): void {
    if (tx.status === "aborted") this.tracked.delete(tx.id);
    let oldestActiveStart = Infinity;
    for (const t of this.tracked.values()) if (t.status === "active") oldestActiveStart = Math.min(oldestActiveStart, t.startTs);
    for (const t of [...this.tracked.values()]) {
      if (t.status === "committed" && (t.commitTs as number) <= oldestActiveStart) this.tracked.delete(t.id);
    }
  }

  /** Serializable transactions tracked now (for tests of bounded memory). */
  get trackedCount(): number {
    return this.tracked.size;
  }

  /**
   * Records R -rw-> W, unless it completes a dangerous structure around a transaction that already
   * committed (which can no longer be aborted): then `actor`, the running transaction, must abort.
   */
  private addEdge(reader: TxnState, writer: TxnState | undefined, actor: TxnState, what: string): string | null {
    if (writer === undefined || writer === reader || writer.status === "aborted" || reader.ssi === null || writer.ssi === null) return null;
    if (writer.status === "committed" && firstLive(writer.ssi.outConflicts) !== undefined) {
      return `dangerous structure: ${reader.name} -rw(${what})-> ${writer.name} -rw-> ${firstLive(writer.ssi.outConflicts)!.name}, and ${writer.name} already committed; ${actor.name} aborts`;
    }
    if (reader.status === "committed" && firstLive(reader.ssi.inConflicts) !== undefined) {
      return `dangerous structure: ${firstLive(reader.ssi.inConflicts)!.name} -rw-> ${reader.name} -rw(${what})-> ${writer.name}, and ${reader.name} already committed; ${actor.name} aborts`;
    }
    reader.ssi.outConflicts.add(writer);
    writer.ssi.inConflicts.add(reader);
    return null;
  }
}

/** R and W overlap in time: R still runs, or committed after W's snapshot was taken. */
function concurrent(reader: TxnState, writer: TxnState): boolean {
  return reader.status === "active" || (reader.status === "committed" && (reader.commitTs as number) > writer.startTs);
}

/** Whether R holds a SIREAD lock that a write of `value` to `key` touches (the row, or a predicate it may change). */
function readsKey(reader: TxnState, key: Key, value: Value): boolean {
  const ssi = reader.ssi;
  if (ssi === null) return false;
  if (ssi.readKeys.has(key)) return true;
  return ssi.predicates.some((p) => p.predicate(key, value) || p.seen.some((r) => r.key === key && r.value !== null && p.predicate(key, r.value)));
}

/** The first partner that did not abort (aborted transactions leave no dependencies behind). */
function firstLive(partners: ReadonlySet<TxnState> | undefined): TxnState | undefined {
  if (partners === undefined) return undefined;
  for (const p of partners) if (p.status !== "aborted") return p;
  return undefined;
}
