import type { ReplicationMode } from "../scenario/types";
import type { LeaderState } from "./leader-state";

/**
 * When may a primary acknowledge a write to its client? This is the whole difference between the
 * replication modes:
 * - none, async: at once, after the local commit (the email: sent, not yet read);
 * - semi-sync (k): once k replicas have durably LOGGED the entry (not necessarily applied it);
 * - sync: once every replica has APPLIED it (the phone call: you wait for the answer), except replicas
 *   that `fallbackToAsyncAfterMs` stopped waiting for.
 *
 * Returns the highest log index that may be acknowledged.
 */
export function acknowledgeablePoint(
  mode: ReplicationMode,
  acks: number,
  leader: LeaderState,
  replicas: readonly number[],
  lastIndex: number,
): number {
  switch (mode) {
    case "none":
    case "async":
    case "multi-master": // these modes do not ship a primary's log
    case "quorum":
      return lastIndex;
    case "semi-sync":
      return kthHighest(replicas.map((r) => leader.loggedIndex[r]), acks);
    case "sync": {
      let point = lastIndex;
      for (const r of replicas) if (!leader.fallenBack[r]) point = Math.min(point, leader.appliedIndex[r]);
      return point;
    }
  }
}

function kthHighest(values: number[], k: number): number {
  if (k <= 0) return Infinity;
  if (values.length < k) return 0;
  values.sort((x, y) => y - x);
  return values[k - 1];
}
