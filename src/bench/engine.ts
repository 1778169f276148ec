import { Simulation } from "../sim/simulation";
import type { Scenario } from "../scenario/types";
import { summarize } from "../metrics/summary";
import { availabilityPerWindow } from "../metrics/operators/availability";
import { lagPerWindow } from "../metrics/operators/lag";
import { latencyPerWindow } from "../metrics/operators/latency";
import { throughputPerWindow } from "../metrics/operators/throughput";
import { faultWindows } from "../metrics/operators/faults";
import { nodeStatesPerWindow } from "../metrics/operators/node-states";

/**
 * The engine benchmark of the issue: 1 primary + 3 async replicas, exponential links with a 5 ms
 * mean, writes at 10,000 per second of virtual time. Each measurement runs in its own process
 * (see index.ts) so that peak memory belongs to one configuration only.
 */
export function referenceScenario(writes: number): Scenario {
  return {
    format: 1,
    name: "bench-async-3",
    maxEvents: 1_000_000_000,
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

export interface EngineMeasurement {
  writes: number;
  subscribed: boolean;
  events: number;
  wallMs: number;
  eventsPerSec: number;
  nsPerWrite: number;
  peakRssMb: number;
  eventHash: string;
}

/** Runs the reference scenario once, optionally with every metric stream subscribed (1 s windows). */
export function measureEngine(writes: number, subscribed: boolean): EngineMeasurement {
  const sim = new Simulation(referenceScenario(writes));
  if (subscribed) {
    const sink = () => undefined;
    const b = sim.batches$;
    b.pipe(availabilityPerWindow(1000)).subscribe(sink);
    b.pipe(lagPerWindow(1000)).subscribe(sink);
    b.pipe(latencyPerWindow(1000)).subscribe(sink);
    b.pipe(throughputPerWindow(1000)).subscribe(sink);
    b.pipe(faultWindows()).subscribe(sink);
    b.pipe(nodeStatesPerWindow(1000)).subscribe(sink);
  }
  const start = process.hrtime.bigint();
  sim.run();
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const summary = summarize(sim);
  return {
    writes,
    subscribed,
    events: summary.events,
    wallMs: Math.round(wallMs),
    eventsPerSec: Math.round((summary.events / wallMs) * 1000),
    nsPerWrite: Math.round((wallMs * 1e6) / writes),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    eventHash: summary.eventHash,
  };
}

if (require.main === module) {
  const writes = Number(process.argv[2] ?? 1_000_000);
  const subscribed = process.argv[3] === "subscribed";
  process.stdout.write(JSON.stringify(measureEngine(writes, subscribed)) + "\n");
}
