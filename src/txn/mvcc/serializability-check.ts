import { buildDsg, describeCycle, findDsgCycle, type Dependency } from "./dsg";
import { runInterleaved } from "./random-interleaving";
import { randomMix, type MixOptions } from "./random-mix";
import type { IsolationLevel } from "./types";

/**
 * The randomized serializability check: for each seed, a random mix of transactions runs under a
 * random interleaving at one isolation level; the committed history's direct serialization graph is
 * built, and a cycle in it is a non-serializable execution, with the proof attached.
 *
 * At SER (SSI) there must be no cycle for any seed. At SI the same check must FIND cycles (write skew:
 * two rw-antidependencies in a ring), or the check could not tell the levels apart.
 */
export interface SerializabilityOptions {
  level: IsolationLevel;
  /** How many seeds (default 300), from `firstSeed` (default 1). */
  seeds?: number;
  firstSeed?: number;
  /** Stop at the first seed whose history has a cycle (to find one fast). */
  stopAtFirstCycle?: boolean;
  mix?: MixOptions;
}

export interface CycleExample {
  seed: number;
  /** The cycle in words: `T3 -rw(k1)-> T1 -rw(k0)-> T3`. */
  cycle: string;
  edges: Dependency[];
  /** The interleaving that produced it, in the literature's notation. */
  schedule: string;
}

export interface SerializabilityReport {
  level: IsolationLevel;
  seedsRun: number;
  firstSeed: number;
  committedTxns: number;
  abortedTxns: number;
  /** Seeds whose committed history is not serializable. */
  cycleSeeds: number[];
  firstCycle: CycleExample | null;
}

/** One seed: the run, and the cycle of its committed history if there is one. */
export function checkSeed(level: IsolationLevel, seed: number, mix: MixOptions = {}) {
  const run = runInterleaved(randomMix(seed, mix), level, seed);
  const dsg = buildDsg(run.db.history());
  const cycle = findDsgCycle(dsg);
  const example: CycleExample | null = cycle === null ? null : { seed, cycle: describeCycle(cycle, dsg.names), edges: cycle, schedule: run.schedule };
  return { run, dsg, cycle: example };
}

export function checkSerializability(options: SerializabilityOptions): SerializabilityReport {
  const firstSeed = options.firstSeed ?? 1;
  const seeds = options.seeds ?? 300;
  const report: SerializabilityReport = { level: options.level, seedsRun: 0, firstSeed, committedTxns: 0, abortedTxns: 0, cycleSeeds: [], firstCycle: null };
  for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
    const { run, cycle } = checkSeed(options.level, seed, options.mix);
    report.seedsRun++;
    report.committedTxns += run.committed;
    report.abortedTxns += run.aborted;
    if (cycle === null) continue;
    report.cycleSeeds.push(seed);
    report.firstCycle ??= cycle;
    if (options.stopAtFirstCycle) break;
  }
  return report;
}
