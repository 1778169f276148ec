import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { emptyCoverage } from "./coverage";
import type { FaultOptions } from "./fault-mix";
import type { HarnessMode } from "./modes";
import { runSeed, type SeedResult, type SeedTotals } from "./run-seed";

/**
 * Runs many seeds on every core: one worker thread per core, each running seeds of the compiled
 * harness (lib/harness/worker.js) in chunks, and sending back a compact outcome per seed. Results come
 * back in completion order; each carries its seed, so nothing depends on which worker ran what.
 * Without the compiled worker (running from TypeScript sources), seeds run in this thread.
 */

export interface SeedTask {
  mode: HarnessMode;
  seed: number;
  bugs?: string[];
  faults?: Partial<FaultOptions>;
}

/** What a report needs of one seed (the full `SeedResult` stays in the worker): its fields and totals, flat. */
export type SeedOutcome = Pick<
  SeedResult,
  "seed" | "mode" | "bugs" | "violations" | "violationCount" | "unexplainedCount" | "status" | "convergenceMs" | "coverage" | "faults" | "events" | "eventHash" | "openSubscriptions"
> &
  SeedTotals;

export function outcomeOf(r: SeedResult): SeedOutcome {
  return {
    seed: r.seed,
    mode: r.mode,
    bugs: r.bugs,
    violations: r.violations,
    violationCount: r.violationCount,
    unexplainedCount: r.unexplainedCount,
    status: r.status,
    convergenceMs: r.convergenceMs,
    coverage: r.coverage,
    faults: r.faults,
    events: r.events,
    eventHash: r.eventHash,
    ...r.totals,
    openSubscriptions: r.openSubscriptions,
  };
}

/** Runs one seed; an exception thrown by the engine is a failure of that seed, not of the pool. */
export function runTask(task: SeedTask): SeedOutcome {
  try {
    return outcomeOf(runSeed(task));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      seed: task.seed,
      mode: task.mode,
      bugs: task.bugs ?? [],
      violations: [{ invariant: "no-exception", timeMs: NaN, node: null, message: `the run threw: ${message}` }],
      violationCount: 1,
      unexplainedCount: 1,
      status: "not-converged",
      convergenceMs: null,
      coverage: emptyCoverage(),
      faults: [],
      events: 0,
      eventHash: "",
      acknowledged: 0,
      lost: 0,
      atRisk: 0,
      stale: 0,
      divergentKeys: 0,
      openSubscriptions: 0,
    };
  }
}

export interface PoolOptions {
  workers: number;
  /** Seeds per message to a worker: large enough to amortise messaging, small enough to balance. */
  chunk?: number;
  onOutcome(outcome: SeedOutcome): void;
}

export const WORKER_FILE = join(__dirname, "worker.js");

/** Runs every task; resolves when all are done. */
export async function runPool(tasks: readonly SeedTask[], options: PoolOptions): Promise<void> {
  const chunk = options.chunk ?? 16;
  if (!existsSync(WORKER_FILE) || options.workers <= 1) {
    for (const task of tasks) options.onOutcome(runTask(task));
    return;
  }
  let next = 0;
  const take = () => {
    const slice = tasks.slice(next, next + chunk);
    next += slice.length;
    return slice;
  };
  const workers = Array.from({ length: Math.min(options.workers, Math.ceil(tasks.length / chunk)) }, () => new Worker(WORKER_FILE));
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const feed = () => {
            const slice = take();
            if (slice.length === 0) {
              void worker.terminate().then(() => resolve());
              return;
            }
            worker.postMessage(slice);
          };
          worker.on("message", (outcomes: SeedOutcome[]) => {
            for (const o of outcomes) options.onOutcome(o);
            feed();
          });
          worker.on("error", reject);
          feed();
        }),
    ),
  );
}
