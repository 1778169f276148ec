import { findCycle } from "./cycles";
import type { TxId } from "./types";

/**
 * Deadlock detection on the waits-for graph, run each time a request blocks (the only moment a new
 * cycle can close). The victim is the YOUNGEST transaction of the cycle (highest id): it has done the
 * least work, and always choosing by age means the oldest transaction eventually finishes, so no
 * transaction is starved by repeated restarts.
 */
export interface Deadlock {
  /** The transactions of the cycle, in waits-for order. */
  cycle: TxId[];
  victim: TxId;
}

export function findDeadlock(waitsFor: ReadonlyMap<TxId, readonly TxId[]>, from: TxId): Deadlock | null {
  const arcs = (tx: TxId) => (waitsFor.get(tx) ?? []).map((to) => ({ to, edge: tx }));
  const cycle = findCycle([from], arcs);
  if (cycle === null) return null;
  return { cycle, victim: Math.max(...cycle) };
}
