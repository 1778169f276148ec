/**
 * Stale reads: a read that returned a value which, before the read even began, had already been overwritten
 * by a write the system had acknowledged. This is the everyday symptom of reading from a lagging replica,
 * and it is much cheaper to find than a full linearizability check (no search: one pass per read).
 *
 * It assumes set/read histories where each written value is unique per key (replicalab's workloads write
 * fresh values), so a read's value names the write it came from. A value nobody wrote is not a staleness
 * question and is skipped (the linearizability checker reports it). Each key is judged on its own.
 *
 * Cost: O(reads x writes of the read's key), fine for the histories of a notebook run.
 *
 * "Older" only counts what real time proves: the returned value's write S finished before another write W
 * began, and W was acknowledged before the read began. A write with an unknown outcome ("info") may have
 * landed at any time, so a value it wrote is never called stale.
 */
import type { History, HistoryOp } from "../history/types";
import { resultOf, type CheckResult } from "./result";
import { formatMicros, formatValue, sameValue } from "./values";

export interface StaleRead {
  read: HistoryOp;
  /** The write whose value the read returned; null when it returned the initial, absent value. */
  returnedWrite: HistoryOp | null;
  /** The newest write acknowledged before the read began. */
  latestAcknowledged: HistoryOp;
  /** How many acknowledged writes, all finished before the read began, certainly came after the returned value. */
  writesBehind: number;
  /** How long (ms of virtual time) before the read began its value was first certainly overwritten. */
  staleMs: number;
  explanation: string;
}

export interface StaleReadOptions {
  /** How to print a history time (default: microseconds as "12.1 ms"). */
  formatTime?: (us: number) => string;
}

/** Find every stale read in a history of `write` and `read` operations. */
export function checkStaleReads(history: History, options: StaleReadOptions = {}): CheckResult<StaleRead> {
  const formatTime = options.formatTime ?? formatMicros;
  const writesByKey = groupWrites(history);
  const stale: StaleRead[] = [];
  for (const read of history) {
    if (read.kind !== "read" || read.status !== "ok") continue;
    const found = judgeRead(read, writesByKey.get(read.key) ?? [], formatTime);
    if (found) stale.push(found);
  }
  return resultOf(stale);
}

/** Writes that may have happened (not "fail"), per key. */
function groupWrites(history: History): Map<string, HistoryOp[]> {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    if (op.kind !== "write" || op.status === "fail") continue;
    const writes = byKey.get(op.key);
    if (writes) writes.push(op);
    else byKey.set(op.key, [op]);
  }
  return byKey;
}

/** The overwriting writes that prove a source value old by the time `read` began. */
interface Overwrites {
  source: HistoryOp | null;
  /** Acknowledged before the read began, and begun after the source finished. */
  writes: HistoryOp[];
}

function judgeRead(read: HistoryOp, writes: readonly HistoryOp[], formatTime: (us: number) => string): StaleRead | null {
  const acknowledged = writes.filter((w) => w.status === "ok" && w.completeUs !== null && w.completeUs < read.invokeUs);
  if (acknowledged.length === 0) return null;
  const sources = sourcesOf(read, writes);
  if (sources === null) return null; // a value nobody wrote
  // With duplicate values, take the most charitable source: the read is stale only if every source is.
  let freshest: Overwrites | null = null;
  for (const source of sources) {
    const overwrites = overwritesOf(source, acknowledged);
    if (overwrites.writes.length === 0) return null;
    if (!freshest || overwrites.writes.length < freshest.writes.length) freshest = overwrites;
  }
  if (!freshest) return null;
  return describeStaleRead(read, freshest, latestOf(acknowledged), formatTime);
}

/** The writes that could have produced the read's value; [null] for the initial value; null if none. */
function sourcesOf(read: HistoryOp, writes: readonly HistoryOp[]): (HistoryOp | null)[] | null {
  if (read.output === null || read.output === undefined) return [null];
  const sources = writes.filter((w) => sameValue(w.input, read.output));
  return sources.length > 0 ? sources : null;
}

/** Acknowledged writes that certainly came after `source` (the initial value precedes everything). */
function overwritesOf(source: HistoryOp | null, acknowledged: readonly HistoryOp[]): Overwrites {
  if (source === null) return { source, writes: [...acknowledged] };
  if (source.status !== "ok" || source.completeUs === null) return { source, writes: [] };
  const finished = source.completeUs;
  return { source, writes: acknowledged.filter((w) => w.invokeUs > finished) };
}

function latestOf(writes: readonly HistoryOp[]): HistoryOp {
  return writes.reduce((latest, w) => ((w.completeUs ?? 0) > (latest.completeUs ?? 0) ? w : latest));
}

function describeStaleRead(
  read: HistoryOp,
  overwrites: Overwrites,
  latestAcknowledged: HistoryOp,
  formatTime: (us: number) => string,
): StaleRead {
  const firstOverwrite = overwrites.writes.reduce((first, w) => ((w.completeUs ?? 0) < (first.completeUs ?? 0) ? w : first));
  const staleUs = read.invokeUs - (firstOverwrite.completeUs ?? read.invokeUs);
  const behind = overwrites.writes.length;
  const origin = overwrites.source ? `written by process ${overwrites.source.process}` : "the initial value";
  const explanation =
    `Read of key ${read.key} by process ${read.process} at ${formatTime(read.invokeUs)} returned ` +
    `${formatValue(read.output)} (${origin}), ${behind} acknowledged write${behind === 1 ? "" : "s"} behind: ` +
    `it had been overwritten for ${formatMicros(staleUs)}, and the latest acknowledged value was ` +
    `${formatValue(latestAcknowledged.input)} (process ${latestAcknowledged.process}, acknowledged at ` +
    `${formatTime(latestAcknowledged.completeUs ?? 0)}).`;
  return { read, returnedWrite: overwrites.source, latestAcknowledged, writesBehind: behind, staleMs: staleUs / 1000, explanation };
}
