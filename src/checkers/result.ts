/**
 * The one result shape of the simple checkers (stale reads, lost writes, divergence), so a notebook can show
 * any of them the same way: a verdict, how many violations, and a few worked examples.
 */

/** Enough examples to see a pattern; more would bury it. */
export const MAX_EXAMPLES = 5;

export interface CheckResult<Example> {
  /** True when no violation was found. */
  valid: boolean;
  /** How many violations were found. */
  count: number;
  /** The first `MAX_EXAMPLES` violations, in the order found, each with a one-sentence `explanation`. */
  examples: Example[];
}

/** Build a result from every violation found. */
export function resultOf<Example>(violations: readonly Example[]): CheckResult<Example> {
  return { valid: violations.length === 0, count: violations.length, examples: violations.slice(0, MAX_EXAMPLES) };
}
