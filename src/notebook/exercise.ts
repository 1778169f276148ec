/**
 * Exercises and predictions in notebooks: the convention every replicalab notebook follows (see
 * docs/notebook-authoring.md).
 *
 *   check("Exercise 1", lostWrites, 3, { hint: "count acknowledged writes missing after failover",
 *                                          explain: "async replication acknowledged them before any replica had them" });
 *   // ✓ Exercise 1: right — async replication acknowledged them before any replica had them
 *   // ✗ Exercise 1: not yet (got 0) — hint: count acknowledged writes missing after failover
 *
 * A check never throws: a wrong or missing answer must not stop "Run all", or every later cell,
 * chart and check of the notebook would stay empty. The headless runner counts "not yet" lines
 * (`--strict-checks`) to prove the solution edition of each notebook is right.
 */
import { inspect, isDeepStrictEqual } from "util";

/** What a check compares with: a value (deep equality) or a test of the answer. */
export type Expected<T> = T | ((actual: T) => boolean);

export interface CheckOptions {
  /** Shown when the answer is not right yet: point the way, do not give the answer. */
  hint?: string;
  /** Shown when the answer is right: why it is right, the lesson in one line. */
  explain?: string;
  /** Where the line goes (default console.log, i.e. the cell's output). */
  print?: (line: string) => void;
}

/**
 * Compares a learner's answer with the expected one and prints one line saying so.
 * `expected` is either a value (compared deeply, so arrays and objects work) or a predicate.
 * `undefined` counts as "no answer yet" (an unfinished TODO). Returns whether it was right.
 */
export function check<T>(name: string, actual: T, expected: Expected<T>, opts: CheckOptions = {}): boolean {
  const print = opts.print ?? ((line: string) => console.log(line));
  const verdict = judge(actual, expected);
  if (verdict.right) {
    print(`✓ ${name}: right${opts.explain ? ` — ${opts.explain}` : ""}`);
  } else {
    print(`✗ ${name}: not yet (${verdict.why})${opts.hint ? ` — hint: ${opts.hint}` : ""}`);
  }
  return verdict.right;
}

function judge<T>(actual: T, expected: Expected<T>): { right: boolean; why: string } {
  if (actual === undefined) return { right: false, why: "no answer yet" };
  try {
    const right = isPredicate(expected) ? expected(actual) === true : isDeepStrictEqual(actual, expected);
    return { right, why: `got ${brief(actual)}` };
  } catch (err) {
    return { right: false, why: `checking it failed: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function isPredicate<T>(expected: Expected<T>): expected is (actual: T) => boolean {
  return typeof expected === "function";
}

/** A predicate for numbers: within `tolerance` of `expected` (for measured, rounded quantities). */
export function approx(expected: number, tolerance: number): (actual: number) => boolean {
  return (actual) => typeof actual === "number" && Math.abs(actual - expected) <= tolerance;
}

/** A value in one short line, for "got ..." (long answers are cut, never dumped). */
function brief(value: unknown): string {
  const s = inspect(value, { depth: 2, breakLength: Infinity, maxArrayLength: 10, maxStringLength: 60 });
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** A predict-then-run question, asked before an experiment and revealed after it. */
export interface Prediction {
  /** Prints whether `guess` (an option key) was the answer, and why. Returns whether it was. */
  reveal(guess: string | undefined, answer: string, explain?: string): boolean;
}

/**
 * Prints a question with lettered options before an experiment. The learner writes a guess in the
 * next cell (`const guess = "b";`), runs the experiment, then `q.reveal(guess, "b", "why")`.
 * Committing to a guess first is what makes the result stick.
 */
export function predict(question: string, options: Record<string, string>, print: (line: string) => void = (l) => console.log(l)): Prediction {
  const keys = Object.keys(options);
  print(`? Predict: ${question}`);
  for (const k of keys) print(`    ${k}) ${options[k]}`);
  print(`  Write your guess (${keys.join(", ")}) in the next cell, then run the experiment.`);
  return {
    reveal(guess, answer, explain) {
      const why = explain ? ` — ${explain}` : "";
      const answerText = `${answer}) ${options[answer] ?? "?"}`;
      if (guess === undefined || !(guess in options)) {
        print(`• Prediction: no guess given; the answer is ${answerText}${why}`);
        return false;
      }
      const right = guess === answer;
      print(right ? `✓ Prediction: right, ${answerText}${why}` : `• Prediction: you said ${guess}, the answer is ${answerText}${why}`);
      return right;
    },
  };
}
