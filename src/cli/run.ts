import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { kindOf } from "../scenario/catalog";
import { loadScenarioFile, withSeed } from "../scenario/load";
import { runScenario } from "../scenario/run";
import type { RunSummary } from "../metrics/summary";
import { Exit, UsageError, type CommandIO } from "./io";

export const RUN_USAGE = "replicalab run <scenario.json> [--seed N] [--json] [--state] [--history FILE]";

/** `replicalab run`: runs a scenario file and prints its result summary. */
export async function runCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length !== 1) throw new UsageError(`expected one scenario file: ${RUN_USAGE}`);
  const file = positionals[0];
  const kind = kindOf(file);
  if (kind !== "cluster") return runOtherKind(kind, file, values.seed, values.json === true, io);
  let scenario = loadScenarioFile(file);
  if (values.seed !== undefined) scenario = withSeed(scenario, values.seed);
  const { summary, simulation } = runScenario(scenario, { state: values.state, recordHistory: values.history !== undefined });
  if (values.history !== undefined) {
    const history = [...(simulation.history ?? []), ...simulation.unfinishedHistory()];
    writeFileSync(values.history, JSON.stringify(history) + "\n");
  }
  io.stdout(values.json ? JSON.stringify(summary, null, 2) + "\n" : humanSummary(summary));
  return Exit.Ok;
}

/** Atomic-commit, saga and sharded experiments have their own formats and summaries (see src/txn, src/sharding). */
async function runOtherKind(kind: string, file: string, seed: string | undefined, json: boolean, io: CommandIO): Promise<number> {
  const seedNumber = seed === undefined ? undefined : parseSeed(seed);
  let summary: unknown;
  if (kind === "atomic-commit") {
    const { loadAtomicCommitScenarioFile, runAtomicCommit } = await import("../txn/commit");
    summary = runAtomicCommit(loadAtomicCommitScenarioFile(file), { seed: seedNumber }).summary;
  } else if (kind === "saga") {
    const { loadSagaScenarioFile, runSagaScenario } = await import("../txn/saga");
    const scenario = loadSagaScenarioFile(file);
    const { events: _events, ...result } = runSagaScenario(seedNumber === undefined ? scenario : { ...scenario, seed: seedNumber });
    summary = result;
  } else if (kind === "sharded") {
    const { loadShardedScenarioFile, runShardedScenario } = await import("../sharding");
    summary = runShardedScenario(loadShardedScenarioFile(file), { seed: seedNumber }).summary;
  } else {
    throw new UsageError(`${file}: unknown scenario kind "${kind}" (expected none for a cluster, "atomic-commit", "saga" or "sharded")`);
  }
  io.stdout(json ? JSON.stringify(summary, null, 2) + "\n" : `${kind} ${file}\n${JSON.stringify(summary, null, 2)}\n`);
  return Exit.Ok;
}

function parseSeed(text: string): number {
  const seed = Number(text);
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(seed)) throw new UsageError(`--seed: expected a whole number >= 0, got "${text}"`);
  return seed;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: { seed: { type: "string" }, json: { type: "boolean" }, state: { type: "boolean" }, history: { type: "string" } },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (usage: ${RUN_USAGE})`);
  }
}

const pct = (x: number | null) => (x === null ? "n/a" : `${(x * 100).toFixed(2)}%`);
const ms = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(2)} ms`);

/** A few lines a person reads: what ran, what it cost, what was lost. */
export function humanSummary(s: RunSummary): string {
  const lines = [
    `scenario ${s.scenario}, seed ${s.seed}: ${s.events} events over ${(s.virtualTimeMs / 1000).toFixed(1)} s of virtual time${s.truncated ? " (stopped at maxEvents)" : ""}`,
    `  writes     ${s.writes.acknowledged}/${s.writes.attempted} acknowledged, ${s.writes.failed} failed; latency mean ${ms(s.writeLatencyMs.mean)}, p99 ${ms(s.writeLatencyMs.p99)}`,
    `  reads      ${s.reads.ok}/${s.reads.attempted} ok, ${s.reads.failed} failed, ${s.reads.stale} stale; latency mean ${ms(s.readLatencyMs.mean)}, p99 ${ms(s.readLatencyMs.p99)}`,
    `  available  ${pct(s.availability)} of operations (reads ${pct(s.readAvailability)}, writes ${pct(s.writeAvailability)}); primary up ${pct(s.uptimeRatio)} of the time`,
    `  lost       ${s.lostAcknowledgedWrites} acknowledged writes lost (${s.atRiskWrites} were at risk when a primary's reign ended)`,
  ];
  for (const [node, lag] of Object.entries(s.lagMs)) lines.push(`  lag ${node.padEnd(6)} mean ${ms(lag.mean)}, p99 ${ms(lag.p99)}, max ${ms(lag.max)}`);
  if (s.divergentKeys > 0) lines.push(`  DIVERGED   ${s.divergentKeys} keys differ between nodes at the same log position`);
  lines.push(`  event hash ${s.eventHash}`);
  return lines.join("\n") + "\n";
}
