import { parseAtomicCommitScenario, runAtomicCommit, type AtomicCommitResult, type AtomicCommitScenario, type RunAtomicCommitOptions } from "../../../src/txn/commit";

/**
 * A small atomic-commit scenario for tests: 3 participants on 1-5 ms links, 40 transactions per
 * second writing 3 of 30 keys, default timeouts. Override anything with `patch`.
 */
export function commitScenario(patch: Partial<AtomicCommitScenario> = {}): AtomicCommitScenario {
  return {
    format: 1,
    kind: "atomic-commit",
    name: "test",
    seed: 1,
    durationMs: 1500,
    protocol: "2pc",
    participants: 3,
    network: { latencyMs: { dist: "uniform", min: 1, max: 5 } },
    workload: { txPerSec: 40, keys: 30, keysPerTx: 3 },
    ...patch,
  };
}

/** Seeds from..from+n-1, for loops over many runs (every failure names its seed). */
export function seeds(n: number, from = 1): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}

/** Node names of a world with n participants. */
export function allNodes(participants: number): string[] {
  return ["coordinator", ...Array.from({ length: participants }, (_, i) => `p${i + 1}`)];
}

/** One transaction every `everyMs`, each writing the first `keys` keys (so one key on each participant when keys = N). */
export function sequentialTransactions(count: number, keys: number, everyMs = 100): { atMs: number; keys: string[] }[] {
  return Array.from({ length: count }, (_, i) => ({ atMs: 10 + i * everyMs, keys: Array.from({ length: keys }, (_, k) => `k${k}`) }));
}

/**
 * Validates and runs `make(seed)` for each seed and returns every atomicity violation as a line that names the seed
 * and how to reproduce it, so a failing assertion says exactly which run broke.
 */
export function violationsOver(label: string, make: (seed: number) => AtomicCommitScenario, seedList: readonly number[], options: RunAtomicCommitOptions = {}): { lines: string[]; results: AtomicCommitResult[] } {
  const lines: string[] = [];
  const results: AtomicCommitResult[] = [];
  for (const seed of seedList) {
    const result = runAtomicCommit(parseAtomicCommitScenario(make(seed)), options);
    results.push(result);
    for (const example of result.atomicity.examples) lines.push(`seed ${seed}: ${example.explanation} (reproduce: runAtomicCommit(${label}(${seed})))`);
  }
  return { lines, results };
}

/** The first seed whose run the atomicity checker rejects, or null. */
export function firstViolatingSeed(make: (seed: number) => AtomicCommitScenario, seedList: readonly number[], options: RunAtomicCommitOptions = {}): { seed: number; result: AtomicCommitResult } | null {
  for (const seed of seedList) {
    const result = runAtomicCommit(parseAtomicCommitScenario(make(seed)), options);
    if (!result.atomicity.valid) return { seed, result };
  }
  return null;
}

export function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
