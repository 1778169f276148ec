import type { Simulation } from "../sim/simulation";
import type { Operator } from "./operator";

/**
 * The liveness phase, after the safety phase (TigerBeetle's VOPR does the same): heal every partition
 * and cut, restore slowed links, restart every crashed node, let the workload stop, and require the
 * cluster to converge within a bounded virtual time: every live node's log matches the primary's and
 * its store equals the primary's. A cluster that is rightly unavailable (no node may lead: every
 * promotable copy of the data was destroyed) is reported as `unavailable`, not as a bug.
 *
 * Message loss is a property of the links in this engine (scenario data), so it does not heal: the
 * cluster must converge through it, which heartbeats make possible.
 */

export type HealStatus = "converged" | "unavailable" | "not-converged";

export interface HealResult {
  status: HealStatus;
  /** Virtual time from the start of the heal phase to convergence (null if it did not converge). */
  convergenceMs: number | null;
  /** What the heal did, one line each. */
  actions: string[];
  /** When not converged: what was still different at the bound. */
  gap: string | null;
}

export interface HealOptions {
  /** Convergence must come within this long, ms. */
  convergenceMsMax: number;
  /** Convergence is checked (and the operator steps) every this long, ms. */
  checkEveryMs: number;
}

export const DEFAULT_HEAL: HealOptions = { convergenceMsMax: 5000, checkEveryMs: 10 };

/** Ends every fault: heals the network, restores slowed links, restarts crashed servers. */
export function healCluster(sim: Simulation, slowLinks: readonly [string, string][]): string[] {
  const t = sim.now() / 1000;
  const actions = [`${t} ms: heal every partition and cut`];
  sim.network.heal();
  for (const [from, to] of slowLinks) sim.network.unslow(sim.topology.indexOf(from), sim.topology.indexOf(to));
  if (slowLinks.length > 0) actions.push(`${t} ms: restore slowed links ${slowLinks.map(([a, b]) => `${a}->${b}`).join(", ")}`);
  for (let i = 0; i < sim.topology.serverCount; i++) {
    if (!sim.isUp(i)) {
      sim.restart(i);
      actions.push(`${t} ms: restart ${sim.topology.names[i]}`);
    }
  }
  return actions;
}

/** Null when converged; otherwise what differs, in one line. */
export function convergenceGap(sim: Simulation, operator: Operator): string | null {
  if (sim.isQuorum) return quorumGap(sim);
  if (!operator.primaryUsable()) {
    const p = sim.directoryPrimary();
    return `no usable primary (${sim.nodes[p]?.id ?? "none"} is ${sim.isUp(p) ? sim.nodes[p]?.role : "down"})`;
  }
  const primary = sim.nodes[sim.directoryPrimary()];
  for (const node of sim.nodes) {
    if (node === primary || node.spec.role === "witness") continue;
    if (!sim.isUp(node.index)) return `${node.id} is down`;
    const common = node.log.commonPrefixWith(primary.log);
    if (node.log.lastIndex !== primary.log.lastIndex || common !== primary.log.lastIndex) {
      return `${node.id}'s log (last ${node.log.lastIndex}, common prefix ${common}) does not match primary ${primary.id}'s (last ${primary.log.lastIndex})`;
    }
    if (node.appliedIndex !== primary.appliedIndex) return `${node.id} applied ${node.appliedIndex} of ${primary.appliedIndex}`;
    for (let k = 0; k < sim.keys.size; k++) {
      if (!Object.is(node.store.get(k), primary.store.get(k)) || node.store.versions[k] !== primary.store.versions[k]) {
        return `${node.id}'s ${sim.keys.names[k]} is ${node.store.get(k)} (v${node.store.versions[k]}), primary ${primary.id}'s is ${primary.store.get(k)} (v${primary.store.versions[k]})`;
      }
    }
  }
  return null;
}

/**
 * Quorum mode has no primary and no log: it has converged when every data node is up and holds the
 * same version and value of every key (decides and catch-up spread what a majority committed).
 */
function quorumGap(sim: Simulation): string | null {
  const data = sim.nodes.filter((n) => n.spec.role !== "witness");
  const first = data[0];
  for (const node of data) {
    if (!sim.isUp(node.index)) return `${node.id} is down`;
    if (node === first) continue;
    for (let k = 0; k < sim.keys.size; k++) {
      if (node.store.versions[k] !== first.store.versions[k] || !Object.is(node.store.get(k), first.store.get(k))) {
        return `${node.id}'s ${sim.keys.names[k]} is ${node.store.get(k)} (v${node.store.versions[k]}), ${first.id}'s is ${first.store.get(k)} (v${first.store.versions[k]})`;
      }
    }
  }
  return null;
}

/** True when no node may ever lead again and data was destroyed: waiting is the right answer. */
export function rightlyUnavailable(operator: Operator): boolean {
  return !operator.primaryUsable() && operator.candidates().length === 0 && operator.sawDataLoss;
}

/**
 * Heals, then runs in steps until convergence or the bound. `step` runs between slices (the operator
 * and the state invariants).
 */
export function runHealPhase(sim: Simulation, operator: Operator, slowLinks: readonly [string, string][], step: () => void, options: HealOptions = DEFAULT_HEAL): HealResult {
  const startMs = sim.now() / 1000;
  const actions = healCluster(sim, slowLinks);
  let gap = convergenceGap(sim, operator);
  for (let t = startMs + options.checkEveryMs; gap !== null && t <= startMs + options.convergenceMsMax; t += options.checkEveryMs) {
    sim.runUntil(t);
    step();
    gap = convergenceGap(sim, operator);
    // Nobody can lead and nobody ever will (logs only move under a primary): stop waiting.
    if (gap !== null && rightlyUnavailable(operator)) return { status: "unavailable", convergenceMs: null, actions, gap };
  }
  if (gap === null) return { status: "converged", convergenceMs: round3(sim.now() / 1000 - startMs), actions, gap };
  return { status: rightlyUnavailable(operator) ? "unavailable" : "not-converged", convergenceMs: null, actions, gap };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
