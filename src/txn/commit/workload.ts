import { sampler } from "../../sim/distributions";
import { Random } from "../../sim/random";
import { msToUs } from "../../sim/time";
import { keyNumber } from "./nodes";
import type { CommitWorkloadSpec } from "./scenario-types";
import type { CommitSettings } from "./settings";
import { makeTransaction, type Transaction } from "./transaction";

export interface WorkloadHost {
  now(): number;
  at(timeUs: number, action: () => void): void;
  /** A transaction arrives at the coordinator. */
  arrive(tx: Transaction): void;
}

/**
 * The transactions of a run: a fixed list, and/or a Poisson stream of `txPerSec`, each writing
 * `keysPerTx` distinct keys chosen uniformly. Arrival times and key choices draw from separate
 * streams, so changing `keysPerTx` does not move the arrivals. Transactions are numbered in order of
 * arrival, from 1.
 */
export class CommitWorkload {
  private nextId = 1;
  private readonly arrivals: Random;
  private readonly keyChoice: Random;

  constructor(
    private readonly spec: CommitWorkloadSpec,
    private readonly settings: CommitSettings,
    private readonly host: WorkloadHost,
  ) {
    this.arrivals = new Random(settings.seed, "txn/workload/arrivals");
    this.keyChoice = new Random(settings.seed, "txn/workload/keys");
  }

  start(): void {
    for (const tx of this.spec.transactions ?? []) {
      const keys = tx.keys.map((name) => keyNumber(name, this.settings.keys) ?? -1);
      this.host.at(msToUs(tx.atMs), () => this.arrive(keys));
    }
    if (this.spec.txPerSec !== undefined) this.scheduleRandom(this.spec.txPerSec, 0);
  }

  private scheduleRandom(txPerSec: number, afterUs: number): void {
    const gapMs = sampler({ dist: "exponential", mean: 1000 / txPerSec })(this.arrivals);
    const atUs = afterUs + msToUs(gapMs);
    const stopUs = Math.min(this.settings.endUs, this.spec.stopAtMs === undefined ? Infinity : msToUs(this.spec.stopAtMs));
    if (atUs >= stopUs) return;
    this.host.at(atUs, () => {
      this.arrive(this.randomKeys());
      this.scheduleRandom(txPerSec, atUs);
    });
  }

  private arrive(keys: readonly number[]): void {
    this.host.arrive(makeTransaction(this.nextId++, this.host.now(), keys, this.settings.participants));
  }

  /** `keysPerTx` distinct keys, uniformly (rejection sampling: keysPerTx is at most keys, and small). */
  private randomKeys(): number[] {
    const { keys, keysPerTx } = this.settings;
    const chosen = new Set<number>();
    while (chosen.size < keysPerTx) chosen.add(this.keyChoice.int(keys));
    return [...chosen].sort((a, b) => a - b);
  }
}
