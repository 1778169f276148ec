/**
 * Lost writes: the system said "ok" to a write, and the data no longer shows it. This is what asynchronous
 * replication loses on failover, and what the first replication notebooks measure.
 *
 * Two kinds of evidence can be given:
 * - a final LOG (every `{key, value}` entry a node ended up with): an acknowledged write is lost when no entry
 *   of its key carries its value;
 * - a final STATE (`{[key]: value}`): later writes overwrite earlier ones, so an acknowledged write is lost
 *   only when the surviving value came from writes that all finished before it began (real time proves the
 *   survivor is older), or when no write produced the surviving value at all (or the key is gone).
 *
 * Only `write` operations are judged (`add` amounts cannot be told apart in a final value). Values are assumed
 * unique per key, as replicalab's workloads make them.
 */
import type { History, HistoryOp } from "../history/types";
import { resultOf, type CheckResult } from "./result";
import { formatValue, sameValue } from "./values";

export interface LogEntry {
  readonly key: string;
  readonly value: unknown;
}

/** What survived: a node's final log, or a final key-to-value state. */
export type FinalData = { readonly log: readonly LogEntry[] } | { readonly state: Readonly<Record<string, unknown>> };

export interface LostWrite {
  write: HistoryOp;
  /** In state mode, the value the key ended with (null when absent); undefined in log mode. */
  finalValue?: unknown;
  explanation: string;
}

/** Find every acknowledged write that the final data does not account for. */
export function checkLostWrites(history: History, final: FinalData): CheckResult<LostWrite> {
  const acknowledged = history.filter((op) => op.kind === "write" && op.status === "ok");
  const lost = "log" in final ? lostFromLog(acknowledged, final.log) : lostFromState(history, acknowledged, final.state);
  return resultOf(lost);
}

function lostFromLog(acknowledged: readonly HistoryOp[], log: readonly LogEntry[]): LostWrite[] {
  const lost: LostWrite[] = [];
  for (const write of acknowledged) {
    if (log.some((entry) => entry.key === write.key && sameValue(entry.value, write.input))) continue;
    lost.push({ write, explanation: `${writePhrase(write)} was acknowledged but is not in the final log.` });
  }
  return lost;
}

function lostFromState(history: History, acknowledged: readonly HistoryOp[], state: Readonly<Record<string, unknown>>): LostWrite[] {
  const lost: LostWrite[] = [];
  for (const write of acknowledged) {
    const finalValue = Object.prototype.hasOwnProperty.call(state, write.key) ? (state[write.key] ?? null) : null;
    if (sameValue(finalValue, write.input)) continue;
    const survivors = history.filter((op) => op.kind === "write" && op.status !== "fail" && op.key === write.key && sameValue(op.input, finalValue));
    if (survivors.some((survivor) => mayFollow(survivor, write))) continue;
    lost.push({ write, finalValue, explanation: explainOverwrite(write, finalValue, survivors) });
  }
  return lost;
}

/** Could `later` have taken effect after `earlier`? Only not if it certainly finished before `earlier` began. */
function mayFollow(later: HistoryOp, earlier: HistoryOp): boolean {
  return later.status !== "ok" || later.completeUs === null || later.completeUs >= earlier.invokeUs;
}

function explainOverwrite(write: HistoryOp, finalValue: unknown, survivors: readonly HistoryOp[]): string {
  if (finalValue === null || finalValue === undefined) return `${writePhrase(write)} was acknowledged, but the key ended with no value.`;
  if (survivors.length === 0) {
    return `${writePhrase(write)} was acknowledged, but the key ended with ${formatValue(finalValue)}, which no write wrote.`;
  }
  return (
    `${writePhrase(write)} was acknowledged, but the key ended with ${formatValue(finalValue)}, ` +
    `written by process ${survivors[0].process} before that write even began.`
  );
}

function writePhrase(write: HistoryOp): string {
  return `Process ${write.process}'s write of ${formatValue(write.input)} to key ${write.key}`;
}
