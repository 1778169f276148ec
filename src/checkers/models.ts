/**
 * Sequential specifications ("models") that the linearizability checker replays operations against.
 *
 * A history is linearizable when its operations can be put in one order, consistent with real time, in which
 * every operation does what the model says a single, non-replicated copy would do (Herlihy & Wing 1990).
 * The shape of `Model` follows Porcupine's (github.com/anishathalye/porcupine): init, step, a state equality
 * and hash for the memo table, and an optional partition into independent sub-histories.
 *
 * Every model here acts on independent keys, so each partitions the history by key (P-compositionality,
 * Horn & Kroening 2015): a state is then the value of ONE key, which keeps states small and the search fast.
 */
import type { History, HistoryOp, HistoryOpKind } from "../history/types";
import { formatValue, hashValue, sameValue, valueKey } from "./values";

/**
 * What the client was told about an operation. `known: false` is an "info" operation (a timeout): it may or
 * may not have taken effect, and whatever it would have returned is unknown.
 */
export type Observed = { readonly known: true; readonly value: unknown } | { readonly known: false };

/** What the client was told about `op`, in the form models take ("info": nothing known). */
export function observedOutcome(op: HistoryOp): Observed {
  return op.status === "ok" ? { known: true, value: op.output } : { known: false };
}

/** The parts of an operation that a model needs to apply it. */
export type ModelInput = Pick<HistoryOp, "kind" | "key" | "input">;

/** `[legal, next]`: whether the operation could have returned what it returned in `state`, and the state after it. */
export type StepResult<State> = readonly [legal: boolean, next: State];

export interface Model<State> {
  readonly name: string;
  init(): State;
  /**
   * Apply one operation. With `output.known === false` (a timeout) there is nothing to contradict, so the
   * operation should be legal wherever it could have taken effect; the search also lets it never happen.
   */
  step(state: State, input: ModelInput, output: Observed): StepResult<State>;
  equal(a: State, b: State): boolean;
  /** A 32-bit hash consistent with `equal`; it indexes the checker's memo of visited configurations. */
  hash(state: State): number;
  /** Split a history into sub-histories that can be checked independently (for example, one per key). */
  partition?(history: History): History[];
  /**
   * Drop unknown-outcome operations that provably cannot matter, returning a sub-history that is
   * linearizable exactly when `partition` is. Applied to each partition before the search.
   */
  simplify?(partition: History): History;
  /** One short phrase for an operation, used in failure explanations. */
  describeOp(op: HistoryOp): string;
  /** One short phrase for a state, used in failure explanations. */
  describeState(state: State): string;
}

type StepFunction = (state: unknown, input: ModelInput, output: Observed) => StepResult<unknown>;

/** Keys never interact in these models, so each key is its own sub-history (order within a key is kept). */
export function partitionByKey(history: History): History[] {
  const byKey = new Map<string, HistoryOp[]>();
  for (const op of history) {
    const ops = byKey.get(op.key);
    if (ops) ops.push(op);
    else byKey.set(op.key, [op]);
  }
  return Array.from(byKey.values());
}

/**
 * For register semantics (read, write, cas only): drop every unknown-outcome write or cas whose value no
 * operation ever observes (no acknowledged read returned it, no cas expected it).
 *
 * Why this is safe: take any valid order that includes such an operation I, which sets the value to v.
 * Until the next write, nothing can follow it that depends on v (no read returns v, no acknowledged cas
 * expects v), only unknown-outcome cas ops that do nothing on v. Remove I and those (unknown operations
 * may always be assumed never to have happened): the next write sets the value regardless, so the order
 * stays valid. Hence dropping I never changes the verdict.
 *
 * Why it matters: a timed-out write whose value nobody read (typical after a crash) stays pending to the
 * end of the search, and each one doubles the orders a search must rule out to prove a history NOT
 * linearizable ("it happened here, and was overwritten" or "it never happened"). With a few dozen, an
 * invalid history could not be refuted within any budget. An `add` or `append` builds on the value it
 * finds, so a value can be observed indirectly: partitions with those are returned unchanged.
 */
export function dropUnobservedUnknownWrites(partition: History): History {
  if (partition.some((op) => op.kind !== "read" && op.kind !== "write" && op.kind !== "cas")) return partition;
  const observed = new Set<unknown>();
  for (const op of partition) {
    if (op.status === "fail") continue;
    if (op.kind === "read" && op.status === "ok") observed.add(valueKey(op.output));
    if (op.kind === "cas") observed.add(valueKey(casArguments(op.input)[0]));
  }
  const unobserved = (op: HistoryOp): boolean => {
    if (op.status !== "info") return false;
    if (op.kind === "write") return !observed.has(valueKey(op.input));
    return op.kind === "cas" && !observed.has(valueKey(casArguments(op.input)[1]));
  };
  return partition.some(unobserved) ? partition.filter((op) => !unobserved(op)) : partition;
}

/** A generic phrase such as `read of key x by process 3 returned 4` or `write of 2 to key x by process 1`. */
export function describeOperation(op: HistoryOp): string {
  const by = `by process ${op.process}`;
  const unknown = op.status === "info" ? " (outcome unknown)" : "";
  switch (op.kind) {
    case "read":
      return op.status === "ok" ? `read of key ${op.key} ${by} returned ${formatValue(op.output)}` : `read of key ${op.key} ${by}${unknown}`;
    case "write":
      return `write of ${formatValue(op.input)} to key ${op.key} ${by}${unknown}`;
    case "append":
      return `append of ${formatValue(op.input)} to key ${op.key} ${by}${unknown}`;
    case "cas": {
      const [from, to] = casArguments(op.input);
      return `compare-and-set of key ${op.key} from ${formatValue(from)} to ${formatValue(to)} ${by}${unknown}`;
    }
    case "add": {
      const { amount, floor } = addArguments(op.input);
      const floorText = floor === undefined ? "" : ` (floor ${floor})`;
      return `add of ${amount} to key ${op.key}${floorText} ${by}${unknown}`;
    }
  }
}

/** A read is legal when it returned the current value; a read that timed out constrains nothing. */
function readStep(state: unknown, _input: ModelInput, output: Observed): StepResult<unknown> {
  return [!output.known || sameValue(output.value, state), state];
}

/** A write always succeeds and replaces the value. */
function writeStep(_state: unknown, input: ModelInput): StepResult<unknown> {
  return [true, input.input];
}

/**
 * An acknowledged ("ok") compare-and-set happened, so the value must have been `from`. Failed ones never reach
 * the model (the checker drops "fail" operations: they did not happen). An unknown one swaps only if it can.
 */
function casStep(state: unknown, input: ModelInput, output: Observed): StepResult<unknown> {
  const [from, to] = casArguments(input.input);
  const matches = sameValue(state, from);
  return [matches || !output.known, matches ? to : state];
}

/** String concatenation, as in Porcupine's key-value model. */
function appendStep(state: unknown, input: ModelInput): StepResult<unknown> {
  return [true, String(state ?? "") + String(input.input)];
}

/**
 * replicalab's `add`: an absent key counts as 0. With a floor, an add that would take the value below it is
 * refused by the engine and has no effect, so an acknowledged add that would go below is illegal.
 */
function addStep(state: unknown, input: ModelInput, output: Observed): StepResult<unknown> {
  const { amount, floor } = addArguments(input.input);
  const next = (typeof state === "number" ? state : 0) + amount;
  const refused = floor !== undefined && next < floor;
  if (refused) return [!output.known, state];
  return [true, next];
}

function casArguments(input: unknown): [unknown, unknown] {
  if (!Array.isArray(input) || input.length !== 2) {
    throw new Error(`a compare-and-set input must be [from, to], got ${JSON.stringify(input)}`);
  }
  return [input[0], input[1]];
}

function addArguments(input: unknown): { amount: number; floor?: number } {
  const candidate = input as { amount?: unknown; floor?: unknown } | null;
  if (typeof candidate !== "object" || candidate === null || typeof candidate.amount !== "number") {
    throw new Error(`an add input must be {amount, floor?}, got ${JSON.stringify(input)}`);
  }
  const floor = typeof candidate.floor === "number" ? candidate.floor : undefined;
  return { amount: candidate.amount, floor };
}

/** Build a per-key model from one step function per supported operation kind. */
function keyedModel(name: string, initial: unknown, steps: Partial<Record<HistoryOpKind, StepFunction>>): Model<unknown> {
  return {
    name,
    init: () => initial,
    step(state, input, output) {
      const step = steps[input.kind];
      if (!step) throw new Error(`the ${name} model has no "${input.kind}" operation`);
      return step(state, input, output);
    },
    equal: sameValue,
    hash: hashValue,
    partition: partitionByKey,
    simplify: dropUnobservedUnknownWrites,
    describeOp: describeOperation,
    describeState: formatValue,
  };
}

/** A compare-and-set register, initially absent (null): Jepsen's etcd test (read, write, cas). */
export const casRegisterModel: Model<unknown> = keyedModel("cas-register", null, {
  read: readStep,
  write: writeStep,
  cas: casStep,
});

/** Porcupine's key-value store: get, put and append on strings, an absent key reads as "". */
export const porcupineKvModel: Model<unknown> = keyedModel("porcupine-kv", "", {
  read: readStep,
  write: writeStep,
  append: appendStep,
});

/** replicalab's own store: read (null when absent), write (set), add with an optional floor, and cas. */
export const replicalabKvModel: Model<unknown> = keyedModel("replicalab-kv", null, {
  read: readStep,
  write: writeStep,
  add: addStep,
  cas: casStep,
});
