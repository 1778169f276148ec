/**
 * Turning the deepest point of a failed search into one sentence a learner can act on.
 *
 * A linearizability checker proves a negative ("no order works"), which is hard to read. Like Porcupine's
 * visualisation and Knossos' "final paths", we show the longest order that DID work and the operation that
 * could not come after it, plus the state it ran into and which operation put that state there.
 */
import type { HistoryOp } from "../history/types";
import { observedOutcome, type Model } from "./models";
import { sameValue } from "./values";

export interface FailureContext<State> {
  readonly model: Model<State>;
  readonly key: string;
  /** The longest linearizable prefix found, in linearization order. */
  readonly prefix: readonly HistoryOp[];
  /** The operation whose return forced it into the order, but which no state after the prefix allows. */
  readonly blocking: HistoryOp;
  /** Every operation of the partition, to say where a read's value came from. */
  readonly partition: readonly HistoryOp[];
  readonly formatTime: (us: number) => string;
}

/** One plain sentence, e.g. "Read of key x by process 3 returned 2 (...), which no order ... can explain: ...". */
export function explainFailure<State>(context: FailureContext<State>): string {
  const { model, key, prefix, blocking, partition, formatTime } = context;
  const { state, lastChange } = replay(model, prefix);
  // describeOp already says "(outcome unknown)" for an unknown-outcome operation; only add a known completion.
  const source = lastChange
    ? ` (left by the ${model.describeOp(lastChange)}${lastChange.status === "ok" ? `, ${completion(lastChange, formatTime)}` : ""})`
    : " (its initial value)";
  const count = prefix.length === 1 ? "1 operation" : `${prefix.length} operations`;
  return (
    `${capitalise(model.describeOp(blocking))} (${timeSpan(blocking, formatTime)})${origin(blocking, partition, formatTime)}, ` +
    `which no order of the operations consistent with real time can explain: ` +
    `after the longest order that works (${count}), key ${key} held ${model.describeState(state)}${source}, ` +
    `and none of the operations still in flight could come next.`
  );
}

/**
 * For a read of a register: which write (the latest one invoked before the read ended) wrote the value it
 * returned, so a stale read names the old write and a garbage read says nobody wrote it. Values built by
 * `append` or `add` come from no single write, so those histories get no such clause.
 */
function origin(op: HistoryOp, partition: readonly HistoryOp[], formatTime: (us: number) => string): string {
  if (op.kind !== "read" || op.status !== "ok" || op.output === null || op.output === undefined) return "";
  if (partition.some((other) => other.kind === "append" || other.kind === "add")) return "";
  const end = op.completeUs ?? Infinity;
  let writer: HistoryOp | null = null;
  for (const candidate of partition) {
    if (candidate.status === "fail" || candidate.invokeUs > end || !sameValue(valueWritten(candidate), op.output)) continue;
    if (!writer || candidate.invokeUs > writer.invokeUs) writer = candidate;
  }
  if (!writer) return ", a value that no earlier write wrote";
  return `, a value last set by process ${writer.process} (invoked at ${formatTime(writer.invokeUs)}, ${completion(writer, formatTime)})`;
}

/** The value a write or compare-and-set puts in place (undefined for other operations). */
function valueWritten(op: HistoryOp): unknown {
  if (op.kind === "write") return op.input;
  if (op.kind === "cas" && Array.isArray(op.input)) return op.input[1];
  return undefined;
}

/** Re-apply the prefix to find the final state and the last operation that changed it. */
function replay<State>(model: Model<State>, prefix: readonly HistoryOp[]): { state: State; lastChange: HistoryOp | null } {
  let state = model.init();
  let lastChange: HistoryOp | null = null;
  for (const op of prefix) {
    const [, next] = model.step(state, op, observedOutcome(op));
    if (!model.equal(state, next)) lastChange = op;
    state = next;
  }
  return { state, lastChange };
}

function timeSpan(op: HistoryOp, formatTime: (us: number) => string): string {
  return `invoked at ${formatTime(op.invokeUs)}, ${completion(op, formatTime)}`;
}

function completion(op: HistoryOp, formatTime: (us: number) => string): string {
  if (op.status !== "ok" || op.completeUs === null) return "outcome unknown";
  return `completed at ${formatTime(op.completeUs)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
