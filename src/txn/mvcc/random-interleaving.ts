import { Random } from "../../sim/random";
import { Database } from "./database";
import { TxnDriver, type TraceEntry } from "./driver";
import type { Mix } from "./random-mix";
import { formatSchedule, type Step } from "./schedule";
import type { IsolationLevel } from "./types";

/**
 * Runs transaction programs concurrently, in an order chosen by a seeded random scheduler: at each turn
 * it picks one transaction that can move (begun or not, not waiting for a lock, not finished) and issues
 * its next operation. A waiting transaction is retried whenever another one ends, and a deadlock aborts
 * the youngest, so the run always ends. Same mix, level and seed: the same interleaving, step for step.
 */
export interface InterleavedRun {
  db: Database;
  /** The steps in the order they were issued (the schedule the random scheduler chose). */
  steps: Step[];
  /** That order, in the literature's notation. */
  schedule: string;
  trace: TraceEntry[];
  committed: number;
  aborted: number;
}

/** A bound on turns, far above what any mix needs: a run that reached it would be a bug, not a long run. */
const MAX_TURNS = 100_000;

export function runInterleaved(mix: Mix, level: IsolationLevel, seed: number): InterleavedRun {
  const rnd = new Random(seed, "mvcc/interleaving");
  const db = new Database({ initial: mix.initial });
  const driver = new TxnDriver(db, () => level);
  const next = mix.programs.map(() => 0);
  const steps: Step[] = [];
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const movable = mix.programs.map((_, i) => i).filter((i) => next[i] < mix.programs[i].ops.length && driver.runnable(mix.programs[i].name));
    if (movable.length === 0) break;
    const i = movable[rnd.int(movable.length)];
    const step = { tx: mix.programs[i].name, op: mix.programs[i].ops[next[i]++] };
    steps.push(step);
    driver.issue(steps.length - 1, step);
  }
  driver.abortOpen("still open when the interleaving ended");
  const txns = driver.all();
  return {
    db,
    steps,
    schedule: formatSchedule(steps),
    trace: driver.trace,
    committed: txns.filter((t) => t.tx?.status === "committed").length,
    aborted: txns.filter((t) => t.tx?.status === "aborted").length,
  };
}
