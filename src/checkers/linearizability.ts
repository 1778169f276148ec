/**
 * A linearizability checker: can the operations of a history be put in one order, consistent with real time,
 * in which each does what a single copy of the data (the `Model`) would do?
 *
 * The algorithm is Wing & Gong's (1993, "Testing and verifying concurrent objects") depth-first search with
 * Lowe's improvements (2017, "Testing for linearizability"), as implemented by Porcupine
 * (github.com/anishathalye/porcupine, `checkSingle`):
 * - all calls and returns sit in one time-ordered list; the search tries, from the front, each call that
 *   comes before the first return (those operations are "minimal": nothing had to happen before them);
 * - linearizing an operation applies it to the model and lifts its call and return out of the list; meeting
 *   a return whose operation is not linearized yet means this path is stuck, so it backtracks (a stack);
 * - a memo of (linearized set, model state) prunes paths that reach a configuration already explored;
 * - independent parts of the history (one per key) are checked separately (P-compositionality).
 *
 * Operations with status "fail" did not happen and are dropped. Operations with status "info" (unknown
 * outcome) may take effect at any time after their invocation, or never: their return is placed at
 * +infinity (as Porcupine and Knossos do), and the search succeeds as soon as every "ok" operation is
 * linearized, which is the same as saying the pending ones never took effect. Unknown operations are what
 * make searches explode, so three sound shortcuts (each explained where it is made) trim them: timed-out
 * reads are left out, the model may drop timed-out writes nobody observed (`Model.simplify`), and an
 * unknown operation that would change nothing is not tried.
 *
 * The search is exponential in the worst case, so it is bounded by a deterministic step budget: past it
 * the answer is "unknown", never a hang. Nothing in here reads a clock; a caller that wants a wall-clock
 * deadline passes `shouldStop`, which is polled every few thousand steps.
 */
import type { History, HistoryOp } from "../history/types";
import { EventList, isCallNode } from "./event-list";
import { explainFailure } from "./explain-failure";
import { ConfigurationMemo, LinearizedSet } from "./memo";
import { observedOutcome, type Model, type Observed } from "./models";
import { formatMicros } from "./values";

/**
 * Enough for every shared Jepsen and Porcupine history by a wide margin (the hardest needs under 1 million).
 * The memo keeps about one entry per successful step, so a partition that spends all 10 million steps on
 * long states (Porcupine's 200-operation append keys) holds some 700 MB until it finishes.
 */
export const DEFAULT_MAX_STEPS_PER_PARTITION = 10_000_000;
/** How often (in steps) `shouldStop` is asked: rare enough to cost nothing, often enough to stop promptly. */
const STOP_POLL_INTERVAL = 4096;

export type Verdict = true | false | "unknown";

export interface LinearizabilityOptions {
  /** Search steps allowed per partition before the answer becomes "unknown". Default 10,000,000. */
  maxStepsPerPartition?: number;
  /** Asked between slices of the search and every few thousand steps; returning true stops with "unknown". */
  shouldStop?: () => boolean;
  /** How to print a history time in explanations (default: microseconds as "12.1 ms"). */
  formatTime?: (us: number) => string;
}

export interface LinearizabilityFailure {
  key: string;
  /** The longest linearizable prefix found, as operations in linearization order. */
  longestPrefix: HistoryOp[];
  /** The operations that could not be linearized after that prefix (the one whose return forced it, first). */
  cannotFollow: HistoryOp[];
  /** One plain sentence for a learner. */
  explanation: string;
}

export interface LinearizabilityResult {
  valid: Verdict;
  partitions: number;
  /** Operations given to the search: the "ok" ones, and the "info" ones that could matter (see above). */
  opsChecked: number;
  steps: number;
  failure?: LinearizabilityFailure;
  /** Why the answer is "unknown": the step budget ran out, or `shouldStop` asked to stop. */
  stoppedBy?: "step-limit" | "stop-request";
}

/**
 * Check a whole history. Partitions are searched round-robin, a slice of steps each, and the check stops at
 * the first partition found not linearizable: like Porcupine, which checks partitions in parallel and kills
 * the rest on the first failure, one hard but valid partition cannot hide an easy violation elsewhere. The
 * slices are counted in steps, not time, so the outcome is deterministic.
 */
export function checkLinearizability<State>(
  history: History,
  model: Model<State>,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  const partitions = model.partition ? model.partition(history) : [history.slice()];
  const maxSteps = options.maxStepsPerPartition ?? DEFAULT_MAX_STEPS_PER_PARTITION;
  const prepared = partitions.map((partition) => prepareOperations(model.simplify ? model.simplify(partition) : partition));
  const opsChecked = prepared.reduce((total, operations) => total + operations.length, 0);
  const searches = prepared.map((operations) => new PartitionSearch(model, operations, maxSteps));
  const { outcome, steps } = runRoundRobin(searches, options.shouldStop);
  const result: LinearizabilityResult = { valid: true, partitions: partitions.length, opsChecked, steps };
  if (outcome.verdict === false) {
    result.valid = false;
    result.failure = describeFailure(model, outcome.search.operations, outcome.deepest, options.formatTime ?? formatMicros);
  } else if (outcome.verdict === "unknown") {
    result.valid = "unknown";
    result.stoppedBy = outcome.stoppedBy;
  }
  return result;
}

/** Steps each partition gets per turn. */
const SLICE_STEPS = 16_384;

type OverallOutcome<State> =
  | { verdict: true }
  | { verdict: false; search: PartitionSearch<State>; deepest: DeepestPoint }
  | { verdict: "unknown"; stoppedBy: "step-limit" | "stop-request" };

/** Give each unfinished search a slice of steps in turn until one fails or all have finished. */
function runRoundRobin<State>(
  searches: PartitionSearch<State>[],
  shouldStop?: () => boolean,
): { outcome: OverallOutcome<State>; steps: number } {
  let unfinished = searches;
  let steps = 0;
  let stepLimitReached = false;
  while (unfinished.length > 0) {
    const stillRunning: PartitionSearch<State>[] = [];
    for (const search of unfinished) {
      if (shouldStop?.()) return { outcome: { verdict: "unknown", stoppedBy: "stop-request" }, steps };
      const stepsBefore = search.steps;
      const outcome = search.run(SLICE_STEPS, shouldStop);
      steps += search.steps - stepsBefore;
      if (outcome.verdict === false) return { outcome: { verdict: false, search, deepest: outcome.deepest }, steps };
      if (outcome.verdict === "unknown" && outcome.stoppedBy === "stop-request") return { outcome, steps };
      if (outcome.verdict === "unknown") stepLimitReached = true;
      if (outcome.verdict === "running") stillRunning.push(search);
      else search.releaseMemo();
    }
    unfinished = stillRunning;
  }
  const outcome: OverallOutcome<State> = stepLimitReached ? { verdict: "unknown", stoppedBy: "step-limit" } : { verdict: true };
  return { outcome, steps };
}

/** An operation ready for the search: its outcome in model form and its interval on the time line. */
interface SearchOperation {
  readonly op: HistoryOp;
  readonly output: Observed;
  readonly unknownOutcome: boolean;
  readonly callTime: number;
  readonly returnTime: number;
}

/**
 * Drop failed operations (they did not happen) and send unknown ones' returns to +infinity. The result is
 * numbered as `LinearizedSet` wants it: acknowledged operations in call order, then unknown-outcome ones.
 */
function prepareOperations(partition: History): SearchOperation[] {
  const operations: SearchOperation[] = [];
  for (const op of partition) {
    if (op.status === "fail") continue;
    const unknownOutcome = op.status === "info";
    // A read that timed out changes nothing and was told nothing: it constrains no order, so leave it out
    // (kept, it would sit pending in the search until the end and be retried at every step).
    if (unknownOutcome && op.kind === "read") continue;
    if (!Number.isFinite(op.invokeUs)) throw new Error(`the ${op.kind} of process ${op.process} on key ${op.key} has no invocation time`);
    if (!unknownOutcome && (op.completeUs === null || !(op.completeUs >= op.invokeUs))) {
      throw new Error(
        `the ${op.kind} of process ${op.process} on key ${op.key} is "ok" but its completion time ` +
          `(${String(op.completeUs)}) is missing or before its invocation (${op.invokeUs})`,
      );
    }
    const returnTime = unknownOutcome ? Infinity : (op.completeUs as number);
    operations.push({ op, output: observedOutcome(op), unknownOutcome, callTime: op.invokeUs, returnTime });
  }
  return operations.sort((a, b) => Number(a.unknownOutcome) - Number(b.unknownOutcome) || a.callTime - b.callTime);
}

/** Where a failed search got furthest: the prefix it had, and the candidates it could not extend it with. */
interface DeepestPoint {
  prefix: number[];
  /** The operation whose return event stopped the search there. */
  blocking: number;
  /** The acknowledged operations that were eligible to come next (their calls precede that return). */
  candidates: number[];
}

type PartitionOutcome =
  | { verdict: true }
  | { verdict: false; deepest: DeepestPoint }
  | { verdict: "unknown"; stoppedBy: "step-limit" | "stop-request" }
  /** The slice of steps ran out: call `run` again to continue. */
  | { verdict: "running" };

/** One resumable depth-first search over one partition (Porcupine's `checkSingle`). */
class PartitionSearch<State> {
  steps = 0;
  /** The event the search looks at next (kept between slices). */
  private node: number;
  private readonly events: EventList;
  private readonly linearized: LinearizedSet;
  private memo: ConfigurationMemo<State>;
  /** The current linearization, as two parallel stacks (no object per step): call nodes, and the state before each. */
  private readonly stackCalls: number[] = [];
  private readonly stackStates: State[] = [];
  private state: State;
  private readonly okCount: number;
  private okRemaining: number;
  /** The deepest point so far (by acknowledged operations linearized); its prefix is updated in place. */
  private readonly deepest: DeepestPoint & { okDepth: number } = { prefix: [], blocking: -1, candidates: [], okDepth: -1 };
  /** Stack entries below this index have not been popped since the last record, so they equal `deepest.prefix`'s. */
  private unchangedSinceRecord = 0;

  constructor(
    private readonly model: Model<State>,
    readonly operations: readonly SearchOperation[],
    private readonly maxSteps: number,
  ) {
    this.events = new EventList(operations);
    const unknownCount = operations.filter((operation) => operation.unknownOutcome).length;
    this.okCount = operations.length - unknownCount;
    this.linearized = new LinearizedSet(this.okCount, unknownCount);
    this.memo = this.emptyMemo();
    this.state = model.init();
    this.okRemaining = this.okCount;
    this.node = this.events.first();
  }

  /**
   * Search for at most `sliceSteps` more steps. "running" means the slice ended first (call again to go on);
   * "unknown" means the whole step budget is spent.
   */
  run(sliceSteps: number, shouldStop?: () => boolean): PartitionOutcome {
    const untilStep = Math.min(this.steps + sliceSteps, this.maxSteps);
    while (this.okRemaining > 0) {
      if (this.steps >= untilStep) {
        return this.steps >= this.maxSteps ? { verdict: "unknown", stoppedBy: "step-limit" } : { verdict: "running" };
      }
      this.steps++;
      if (shouldStop && this.steps % STOP_POLL_INTERVAL === 0 && shouldStop()) return { verdict: "unknown", stoppedBy: "stop-request" };
      if (isCallNode(this.node)) {
        this.node = this.tryLinearize(this.node) ? this.events.first() : this.events.after(this.node);
      } else if (!this.backtrack()) {
        return { verdict: false, deepest: { ...this.deepest, prefix: this.deepest.prefix.slice() } };
      }
    }
    return { verdict: true };
  }

  /** A finished search drops its memo table (it can be hundreds of megabytes) while the others go on. */
  releaseMemo(): void {
    this.memo = this.emptyMemo();
  }

  private emptyMemo(): ConfigurationMemo<State> {
    return new ConfigurationMemo<State>(
      this.linearized.maxEncodedLength,
      (a, b) => this.model.equal(a, b),
      (state) => this.model.hash(state),
    );
  }

  /** Apply the operation of `call` next, if the model allows it and the result is a new configuration. */
  private tryLinearize(call: number): boolean {
    const id = this.events.operationOf(call);
    const operation = this.operations[id];
    const [legal, next] = this.model.step(this.state, operation.op, operation.output);
    if (!legal) return false;
    // An unknown-outcome operation that changes nothing here (a cas that would not match, a write of the
    // value already there) leads nowhere that leaving it pending (it may never happen) does not also lead:
    // skipping it loses no order, and halves the search on the etcd histories.
    if (operation.unknownOutcome && this.model.equal(next, this.state)) return false;
    this.linearized.add(id);
    if (!this.memo.addIfNew(this.linearized, next)) {
      this.linearized.delete(id);
      return false;
    }
    this.stackCalls.push(call);
    this.stackStates.push(this.state);
    this.state = next;
    this.events.lift(call);
    if (!operation.unknownOutcome) this.okRemaining--;
    return true;
  }

  /**
   * The walk met a return whose operation is not linearized: no order extends this prefix. Record the point,
   * undo the last operation and go on with the candidates after it. False when there is nothing to undo.
   */
  private backtrack(): boolean {
    this.recordIfDeepest(this.node);
    const call = this.stackCalls.pop();
    if (call === undefined) return false;
    const id = this.events.operationOf(call);
    this.state = this.stackStates.pop() as State;
    this.linearized.delete(id);
    this.events.unlift(call);
    if (!this.operations[id].unknownOutcome) this.okRemaining++;
    this.unchangedSinceRecord = Math.min(this.unchangedSinceRecord, this.stackCalls.length);
    this.node = this.events.after(call);
    return true;
  }

  /**
   * Remember the deepest point seen, by acknowledged operations linearized, for the failure report
   * (Porcupine's "longest" partial linearization). Only the part of the stack that changed since the last
   * record is copied, so the records of one search cost O(steps) in all rather than O(depth) each.
   */
  private recordIfDeepest(returnNode: number): void {
    const okDepth = this.okCount - this.okRemaining;
    if (okDepth <= this.deepest.okDepth) return;
    const depth = this.stackCalls.length;
    const prefix = this.deepest.prefix;
    prefix.length = this.unchangedSinceRecord;
    for (let i = this.unchangedSinceRecord; i < depth; i++) prefix.push(this.events.operationOf(this.stackCalls[i]));
    this.unchangedSinceRecord = depth;
    this.deepest.okDepth = okDepth;
    this.deepest.blocking = this.events.operationOf(returnNode);
    this.deepest.candidates = [];
    for (let node = this.events.first(); node !== returnNode; node = this.events.after(node)) {
      const id = this.events.operationOf(node);
      if (isCallNode(node) && !this.operations[id].unknownOutcome) this.deepest.candidates.push(id);
    }
  }
}

function describeFailure<State>(
  model: Model<State>,
  operations: readonly SearchOperation[],
  deepest: DeepestPoint,
  formatTime: (us: number) => string,
): LinearizabilityFailure {
  const opOf = (id: number): HistoryOp => operations[id].op;
  const blocking = opOf(deepest.blocking);
  const longestPrefix = deepest.prefix.map(opOf);
  const others = deepest.candidates.filter((id) => id !== deepest.blocking).map(opOf);
  return {
    key: blocking.key,
    longestPrefix,
    cannotFollow: [blocking, ...others],
    explanation: explainFailure({ model, key: blocking.key, prefix: longestPrefix, blocking, partition: operations.map((o) => o.op), formatTime }),
  };
}
