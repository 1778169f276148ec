import { lastValueFrom, toArray } from "rxjs";
import { describe, expect, it } from "vitest";
import { AtomicCommitSimulation, runAtomicCommit, type TxnEvent } from "../../../src/txn/commit";
import { chaos2pc } from "./chaos";
import { commitScenario, seeds } from "./helpers";

/** A 3PC run with crash-stop faults and partitions: every code path of the protocol, for hashing. */
function chaos3pc(seed: number) {
  return commitScenario({
    seed,
    protocol: "3pc",
    workload: { txPerSec: 60, keys: 12, keysPerTx: 3, voteNoProbability: 0.05 },
    faults: [
      { type: "random-crashes", nodes: ["coordinator", "p1", "p2", "p3"], mtbfMs: 800, mttrMs: 200 },
      { type: "random-partitions", mtbfMs: 600, mttrMs: 100 },
    ],
  });
}

describe("determinism", () => {
  it("the same seed gives the same event hash: 20 seeds of each protocol under faults, run twice", () => {
    for (const make of [chaos2pc, chaos3pc]) {
      for (const seed of seeds(20)) {
        const first = runAtomicCommit(make(seed)).summary;
        const second = runAtomicCommit(make(seed)).summary;
        expect(second.eventHash, `${make.name}(${seed}) hashed differently on a second run`).toBe(first.eventHash);
        expect(second).toEqual(first);
      }
    }
  }, 60_000);

  it("different seeds give different event hashes", () => {
    const hashes = seeds(20).map((seed) => runAtomicCommit(chaos3pc(seed)).summary.eventHash);
    expect(new Set(hashes).size).toBe(20);
  }, 60_000);

  it("the seed option overrides the scenario's seed", () => {
    const overridden = runAtomicCommit(chaos3pc(3), { seed: 7 }).summary;
    expect(overridden.seed).toBe(7);
    expect(overridden.eventHash).toBe(runAtomicCommit(chaos3pc(7)).summary.eventHash);
  });

  it("a run paused in slices produces the same events as one uninterrupted run", () => {
    const whole = new AtomicCommitSimulation(chaos3pc(5), { recordEvents: true }).run();
    const sliced = new AtomicCommitSimulation(chaos3pc(5), { recordEvents: true });
    for (let t = 0; t < 1500; t += 37) sliced.runUntil(t);
    sliced.runUntil(1500).finish();
    expect(sliced.eventHash).toBe(whole.eventHash);
    expect(sliced.events).toEqual(whole.events);
  });

  it("the event stream delivers every event once, in order, in batches of one virtual millisecond", async () => {
    const simulation = new AtomicCommitSimulation(chaos2pc(4), { recordEvents: true });
    const batches = lastValueFrom(simulation.batches$.pipe(toArray()));
    const events = lastValueFrom(simulation.events$.pipe(toArray()));
    simulation.run();
    const received = await batches;
    expect((await events) as TxnEvent[]).toEqual(simulation.events);
    for (const batch of received) {
      expect(batch.events.length).toBeGreaterThan(0);
      for (const e of batch.events) expect(Math.floor(e.timeMs)).toBe(batch.startMs);
    }
    expect(received.flatMap((b) => b.events).length).toBe(simulation.eventCount);
  });

  it("recording events changes nothing about the run", () => {
    expect(runAtomicCommit(chaos2pc(9), { recordEvents: true }).summary).toEqual(runAtomicCommit(chaos2pc(9)).summary);
  });
});
