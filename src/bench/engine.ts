import { Simulation } from "../sim/simulation";
import type { Scenario } from "../scenario/types";
import { summarize } from "../metrics/summary";

/** The reference run of the issue: 1 primary + 3 async replicas, exp 5 ms links, 10,000 writes/s. */
export function referenceScenario(writes: number): Scenario {
  return {
    format: 1,
    name: "bench-async-3",
    seed: 1,
    durationMs: (writes / 10_000) * 1000,
    nodes: [
      { id: "db1", role: "primary" },
      { id: "db2", role: "replica" },
      { id: "db3", role: "replica" },
      { id: "db4", role: "replica" },
    ],
    replication: { mode: "async" },
    network: { latencyMs: { dist: "exponential", mean: 5 } },
    workload: { opsPerSec: 10_000, readRatio: 0, keys: 1000 },
  };
}

if (require.main === module) {
  const writes = Number(process.argv[2] ?? 200_000);
  const t0 = process.hrtime.bigint();
  const sim = new Simulation(referenceScenario(writes));
  sim.run();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const s = summarize(sim);
  console.log(`${s.events} events in ${ms.toFixed(0)} ms: ${(s.events / ms / 1000).toFixed(3)} M events/s; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; writes ${s.writes.acknowledged}`);
}
