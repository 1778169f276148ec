/**
 * Who is who in an atomic-commit world, and where each key lives. Nodes are small integers: the
 * coordinator is 0 and participant "pI" is I (1..N), so a node's number is also its lane in a timeline.
 */

export const COORDINATOR = 0;
export const COORDINATOR_NAME = "coordinator";

/** Node names by number: "coordinator", "p1" .. "pN". */
export function nodeNames(participants: number): string[] {
  return [COORDINATOR_NAME, ...participantNumbers(participants).map((p) => `p${p}`)];
}

/** Participant numbers 1..N. */
export function participantNumbers(participants: number): number[] {
  return Array.from({ length: participants }, (_, i) => i + 1);
}

/** The number of a node name, or undefined when it names no node of a world with N participants. */
export function nodeNumber(name: string, participants: number): number | undefined {
  if (name === COORDINATOR_NAME) return COORDINATOR;
  const match = /^p([1-9][0-9]*)$/.exec(name);
  if (match === null) return undefined;
  const n = Number(match[1]);
  return n <= participants ? n : undefined;
}

export function keyName(key: number): string {
  return `k${key}`;
}

/** The number of a key name ("k7" -> 7), or undefined when it is not one of `keys` keys. */
export function keyNumber(name: string, keys: number): number | undefined {
  const match = /^k(0|[1-9][0-9]*)$/.exec(name);
  if (match === null) return undefined;
  const k = Number(match[1]);
  return k < keys ? k : undefined;
}

/** Key "kI" lives on participant (I mod N) + 1: consecutive keys land on different participants. */
export function ownerOfKey(key: number, participants: number): number {
  return (key % participants) + 1;
}

/** Orders node names as lanes: the coordinator first, then p1, p2, ..., p10 (by number, not text). */
export function compareNodeNames(a: string, b: string): number {
  return laneRank(a) - laneRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function laneRank(name: string): number {
  if (name === COORDINATOR_NAME) return 0;
  const match = /^p([0-9]+)$/.exec(name);
  return match === null ? Number.MAX_SAFE_INTEGER : Number(match[1]);
}
