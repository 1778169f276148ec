import type { Simulation } from "../../src/sim/simulation";

/** Node ids whose final store differs from the primary's (live replicas only). */
export function replicasDifferingFromPrimary(sim: Simulation): string[] {
  const primary = sim.nodes[sim.directoryPrimary()];
  const expected = JSON.stringify(primary.store.toObject(sim.keys.names));
  return sim.nodes
    .filter((n) => n !== primary && n.up && n.spec.role !== "witness")
    .filter((n) => JSON.stringify(n.store.toObject(sim.keys.names)) !== expected)
    .map((n) => n.id);
}
