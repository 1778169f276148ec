import type { SimEvent } from "../../src/events";

/** A primary's reign: from its first to its last acknowledged write. */
export interface Reign {
  node: string;
  epoch: number;
  firstAckMs: number;
  lastAckMs: number;
}

/**
 * Reigns of every primary, from the event log: acknowledgements belong to the reign started by the
 * node's latest `promote` event.
 */
export function reigns(events: readonly SimEvent[]): Reign[] {
  const current = new Map<string, Reign>();
  const all: Reign[] = [];
  for (const e of events) {
    if (e.type === "promote") {
      const reign = { node: e.node, epoch: e.epoch, firstAckMs: Infinity, lastAckMs: -Infinity };
      current.set(e.node, reign);
      all.push(reign);
    } else if (e.type === "ack") {
      const reign = current.get(e.node);
      if (!reign) continue;
      reign.firstAckMs = Math.min(reign.firstAckMs, e.timeMs);
      reign.lastAckMs = Math.max(reign.lastAckMs, e.timeMs);
    }
  }
  return all.filter((r) => r.firstAckMs <= r.lastAckMs);
}

/** Pairs of reigns of different nodes whose acknowledgement intervals overlap: two primaries at once. */
export function overlappingReigns(events: readonly SimEvent[]): [Reign, Reign][] {
  const list = reigns(events).sort((a, b) => a.firstAckMs - b.firstAckMs);
  const overlaps: [Reign, Reign][] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length && list[j].firstAckMs <= list[i].lastAckMs; j++) {
      if (list[j].node !== list[i].node) overlaps.push([list[i], list[j]]);
    }
  }
  return overlaps;
}
