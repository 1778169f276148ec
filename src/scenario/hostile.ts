import type { PathSegment, Problem } from "./errors";

/**
 * A first pass over untrusted input that looks only for input meant to hurt, before any validator
 * walks it: keys that could pollute prototypes, nesting deep enough to blow a recursive walker's stack,
 * and arrays big enough to stall one. The scenario format never needs any of them.
 *
 * The walk is iterative (an explicit stack), so its own depth is not the input's depth, and it visits
 * the input in document order (pre-order, keys in `Object.keys` order), so the problem it returns is
 * the first such problem in the file.
 */

/** Keys that mean something to JavaScript objects; JSON.parse turns them into own properties. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Deeper than any valid scenario (which nests about 6 levels), shallow enough for any walker. */
export const MAX_DEPTH = 32;

/** More items than any array of a sensible scenario (script operations, faults, links). */
export const MAX_ITEMS = 100_000;

/**
 * Values visited before giving up. JSON input is a tree, so this only bites on objects built in code
 * that share sub-objects many times over (each share is walked again).
 */
const MAX_VISITS = 5_000_000;

interface Pending {
  value: unknown;
  path: PathSegment[];
}

/** The first hostile construct in `root`, in document order, or undefined when there is none. */
export function findHostileInput(root: unknown): Problem | undefined {
  const stack: Pending[] = [{ value: root, path: [] }];
  let visits = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop() as Pending;
    if (++visits > MAX_VISITS) return { path: [], problem: `the scenario is too large (more than ${MAX_VISITS} values)` };
    const problem = problemHere(value, path);
    if (problem !== undefined) return { path, problem };
    pushChildren(stack, value, path);
  }
  return undefined;
}

/** What is wrong with this one value, ignoring its children. */
function problemHere(value: unknown, path: readonly PathSegment[]): string | undefined {
  const key = path[path.length - 1];
  if (typeof key === "string" && FORBIDDEN_KEYS.has(key)) return "forbidden key";
  if (typeof value !== "object" || value === null) return undefined;
  if (path.length > MAX_DEPTH) return `nested too deeply (more than ${MAX_DEPTH} levels)`;
  if (Array.isArray(value)) {
    return value.length > MAX_ITEMS ? `too many items (${value.length}; at most ${MAX_ITEMS})` : undefined;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `expected plain JSON data, got ${kindOf(value)}`;
  return undefined;
}

/** Pushes the children of a container so that they pop in document order. */
function pushChildren(stack: Pending[], value: unknown, path: readonly PathSegment[]): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = keys.length - 1; i >= 0; i--) stack.push({ value: record[keys[i]], path: [...path, keys[i]] });
}

/** "a Map", "a Date", "an object": what a non-plain object is, for the message. */
function kindOf(value: object): string {
  const name: unknown = (value.constructor as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || name === "") return "an object";
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}
