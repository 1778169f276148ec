import type { PathSegment, Problem } from "./errors";

/**
 * Ordering problems as they appear in the file. A validator finds problems in ITS order (schema order,
 * rule order); the instructor reads the file top to bottom, so the problem we report is the first one
 * in the document: the earliest key of the input object wins, whatever the order of the schema.
 *
 * Positions come from the parsed input: an object's keys in `Object.keys` order (which is the file's
 * order, except that integer-like keys come first), array items by index. A parent comes before its
 * children, and a missing field sits at the end of its object (that is where a reader notices it).
 */

/** The value at `path` inside `root`, or undefined when some step does not exist (never throws). */
export function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (!hasOwn(node, segment)) return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}

/** True when `segment` is an own key of `node` (an index of an array or a key of an object). */
export function hasOwn(node: unknown, segment: PathSegment): boolean {
  if (Array.isArray(node)) return typeof segment === "number" && segment >= 0 && segment < node.length;
  if (typeof node !== "object" || node === null) return false;
  return Object.prototype.hasOwnProperty.call(node, segment);
}

/** The problem that comes first in the document (on a tie, the earlier one in the list). */
export function firstInDocumentOrder(root: unknown, problems: readonly Problem[]): Problem | undefined {
  let first: Problem | undefined;
  for (const p of problems) {
    if (first === undefined || compareInDocument(root, p.path, first.path) < 0) first = p;
  }
  return first;
}

/** Negative when `a` comes before `b` in the document, positive when after, 0 for the same place. */
export function compareInDocument(root: unknown, a: readonly PathSegment[], b: readonly PathSegment[]): number {
  let node: unknown = root;
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (a[i] !== b[i]) return positionIn(node, a[i]) - positionIn(node, b[i]);
    node = valueAt(node, [a[i]]);
  }
  return a.length - b.length; // the shorter path is the parent: it comes first
}

/** Where `segment` sits among the children of `node`; a child that is absent comes after all of them. */
function positionIn(node: unknown, segment: PathSegment): number {
  if (!hasOwn(node, segment)) return Number.MAX_SAFE_INTEGER;
  if (Array.isArray(node)) return segment as number;
  return Object.keys(node as object).indexOf(String(segment));
}
