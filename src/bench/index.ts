import { execFileSync } from "child_process";
import { join } from "path";
import type { EngineMeasurement } from "./engine";
import type { ShardedMeasurement } from "./sharded";

/**
 * `npm run bench`: the engine benchmark and the checker benchmark. Speed and memory are measured
 * here, never asserted in timed tests. Each engine configuration runs in a fresh process (peak RSS
 * is per process), three times; the median is reported.
 *
 *   npm run bench            # the reference run (1,000,000 writes) with and without metric streams,
 *                            # a 10x longer run for memory, a sharded cluster (4 shards in lockstep)
 *                            # at 1x and 10x, and the linearizability checker
 *   npm run bench -- --quick # 100,000 writes, for a fast look
 */
const REPEATS = 3;

function runChild(writes: number, subscribed: boolean): EngineMeasurement {
  const out = execFileSync(process.execPath, ["--expose-gc", join(__dirname, "engine.js"), String(writes), subscribed ? "subscribed" : "bare"], { encoding: "utf8" });
  return JSON.parse(out) as EngineMeasurement;
}

function runShardedChild(operations: number): ShardedMeasurement {
  const out = execFileSync(process.execPath, [join(__dirname, "sharded.js"), String(operations)], { encoding: "utf8" });
  return JSON.parse(out) as ShardedMeasurement;
}

function median<M extends { wallMs: number }>(runs: M[]): M {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)];
}

function measure(writes: number, subscribed: boolean, repeats = REPEATS): EngineMeasurement {
  const runs = Array.from({ length: repeats }, () => runChild(writes, subscribed));
  if (new Set(runs.map((r) => r.eventHash)).size !== 1) throw new Error("benchmark runs disagree on the event hash: the engine is not deterministic");
  return median(runs);
}

function row(label: string, m: EngineMeasurement): string {
  return `| ${label} | ${m.writes.toLocaleString("en")} | ${m.events.toLocaleString("en")} | ${(m.wallMs / 1000).toFixed(2)} s | ${m.nsPerWrite} ns | ${(m.eventsPerSec / 1e6).toFixed(2)} M/s | ${m.peakRssMb} MB |`;
}

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  const writes = quick ? 100_000 : 1_000_000;
  const bare = measure(writes, false);
  const subscribed = measure(writes, true);
  const long = measure(writes * 10, false, 1);
  console.log(`Engine: 1 primary + 3 async replicas, exponential 5 ms links, 10,000 writes/s (median of ${REPEATS}; node ${process.version})\n`);
  console.log("| run | writes | events | wall time | per write | events/s | peak RSS |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(row("no subscriber", bare));
  console.log(row("all metric streams subscribed", subscribed));
  console.log(row("10x longer, no subscriber (1 run)", long));
  console.log(`\nmetrics cost: ${(subscribed.wallMs / bare.wallMs).toFixed(2)}x the run without subscribers`);
  console.log(`memory: the 10x longer run peaks at ${(long.peakRssMb / bare.peakRssMb).toFixed(2)}x the memory`);
  printSharded(quick ? 20_000 : 100_000);
  const { benchChecker } = await import("./checker");
  const rows = await benchChecker();
  console.log("\nLinearizability checker on the shared Jepsen/Porcupine histories:\n");
  console.log("| history | time | verdict |");
  console.log("|---|---|---|");
  for (const r of rows) console.log(`| ${r.name} | ${r.ms.toFixed(0)} ms | ${r.verdict} |`);
}

function printSharded(operations: number): void {
  const runs = Array.from({ length: REPEATS }, () => runShardedChild(operations));
  if (new Set(runs.map((r) => r.eventHash)).size !== 1) throw new Error("sharded benchmark runs disagree on the event hash: not deterministic");
  const base = median(runs);
  const long = runShardedChild(operations * 10);
  const line = (label: string, m: ShardedMeasurement) =>
    `| ${label} | ${m.operations.toLocaleString("en")} | ${m.events.toLocaleString("en")} | ${(m.wallMs / 1000).toFixed(2)} s | ${m.nsPerOperation} ns | ${(m.eventsPerSec / 1e6).toFixed(2)} M/s | ${m.peakRssMb} MB |`;
  console.log(`\nSharded: 4 shards x (primary + 2 async replicas), consistent hashing, 10,000 ops/s, half writes, lockstep 1 ms slices (median of ${REPEATS}):\n`);
  console.log("| run | operations | events | wall time | per operation | events/s | peak RSS |");
  console.log("|---|---|---|---|---|---|---|");
  console.log(line("reference", base));
  console.log(line("10x longer (1 run)", long));
  console.log(`\nmemory: the 10x longer sharded run peaks at ${(long.peakRssMb / base.peakRssMb).toFixed(2)}x the memory`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
