import { describe, expect, it } from "vitest";
import { LockTable } from "../../../src/txn/commit/locks";
import { runAtomicCommit } from "../../../src/txn/commit";
import { commitScenario } from "./helpers";

describe("locks", () => {
  it("a key locked by one transaction conflicts for every other, until released", () => {
    const locks = new LockTable();
    locks.acquire(1, [10, 11]);
    expect(locks.conflict(2, [11, 12])).toBe(1);
    expect(locks.conflict(1, [11])).toBeNull();
    locks.release(1, [10, 11]);
    expect(locks.conflict(2, [11, 12])).toBeNull();
  });

  it("hands released keys to waiting prepares in arrival order, each when all its keys are free", () => {
    const locks = new LockTable();
    const granted: number[] = [];
    locks.acquire(1, [10]);
    locks.acquire(2, [20]);
    locks.wait({ txn: 3, keys: [10, 20], grant: () => granted.push(3) });
    locks.wait({ txn: 4, keys: [10], grant: () => granted.push(4) });
    locks.release(1, [10]).forEach((w) => w.grant());
    expect(granted).toEqual([4]); // 3 still needs key 20
    locks.release(4, [10]);
    locks.release(2, [20]).forEach((w) => w.grant());
    expect(granted).toEqual([4, 3]);
    expect(locks.holds(3, [10, 20])).toBe(true);
  });

  it("under contention, no-wait aborts on lock conflicts while waiting commits more and aborts only on vote timeouts", () => {
    const run = (onLockConflict: "vote-no" | "wait") =>
      runAtomicCommit(commitScenario({ durationMs: 3000, workload: { txPerSec: 100, stopAtMs: 2800, keys: 6, keysPerTx: 3, onLockConflict } })).summary;
    const noWait = run("vote-no");
    const wait = run("wait");
    expect(noWait.abortedBy.lockConflict).toBeGreaterThan(50);
    expect(wait.abortedBy.lockConflict).toBe(0);
    expect(wait.transactions.committed).toBeGreaterThan(noWait.transactions.committed);
    expect(wait.commitLatencyMs.p99!).toBeGreaterThan(noWait.commitLatencyMs.p99!);
    expect(wait.abortedBy.voteTimeout).toBeGreaterThan(0); // waits in a cycle: the vote timeout breaks the deadlock
    expect(noWait.atomicityViolations + wait.atomicityViolations).toBe(0);
  }, 60_000);
});
