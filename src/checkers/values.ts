/**
 * Comparing, hashing and printing the values that histories carry (numbers, strings, null, small JSON objects).
 *
 * Every checker needs the same three questions answered the same way ("is this the value that write wrote?",
 * "have we seen this state before?", "how do I show it to a learner?"), so they live here once.
 */

/** True when two history values are the same value: identical primitives, or structurally equal JSON data. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A key for Set/Map lookups that is equal exactly when `sameValue` is true. */
export function valueKey(value: unknown): unknown {
  return typeof value === "object" && value !== null ? `json:${JSON.stringify(value)}` : value;
}

/**
 * A 32-bit hash of a history value, consistent with `sameValue` (equal values hash equally).
 * It only needs to spread states over the checker's memo table; collisions are resolved by `sameValue`.
 */
export function hashValue(value: unknown): number {
  if (value === null || value === undefined) return 0x2545f491;
  if (typeof value === "number") return Number.isInteger(value) ? mix32(value | 0) ^ mix32((value / 0x100000000) | 0) : hashString(String(value));
  if (typeof value === "string") return hashString(value);
  if (typeof value === "boolean") return value ? 0x1b873593 : 0x68e31da4;
  return hashString(JSON.stringify(value));
}

/** FNV-1a over UTF-16 code units, finished with `mix32` so that short strings still spread over all 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return mix32(hash ^ text.length);
}

/** The finaliser of MurmurHash3: a cheap, deterministic scramble of a 32-bit integer. */
export function mix32(input: number): number {
  let h = input | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A value as a learner would read it: JSON-like, with an absent value shown as "nothing". */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Microseconds of virtual time as milliseconds with one decimal, e.g. "12.1 ms". */
export function formatMicros(us: number): string {
  return `${(us / 1000).toFixed(1)} ms`;
}
