import { describe, expect, it } from "vitest";
import { LockTable } from "../../../src/txn/mvcc/lock-table";

describe("LockTable", () => {
  it("shares read locks and makes a writer wait for readers", () => {
    const locks = new LockTable();
    expect(locks.acquire(1, "x", "S")).toEqual({ granted: true });
    expect(locks.acquire(2, "x", "S")).toEqual({ granted: true });
    expect(locks.acquire(3, "x", "X")).toEqual({ granted: false, blockers: [1, 2] });
  });

  it("queues a reader behind a waiting writer, so readers cannot starve writers", () => {
    const locks = new LockTable();
    locks.acquire(1, "x", "S");
    locks.acquire(2, "x", "X");
    expect(locks.acquire(3, "x", "S")).toEqual({ granted: false, blockers: [2] });
    locks.releaseAll(1);
    expect(locks.acquire(3, "x", "S")).toEqual({ granted: false, blockers: [2] });
    expect(locks.acquire(2, "x", "X")).toEqual({ granted: true });
  });

  it("upgrades a sole reader's lock at once, and reports two upgraders as waiting for each other", () => {
    const locks = new LockTable();
    locks.acquire(1, "x", "S");
    expect(locks.acquire(1, "x", "X")).toEqual({ granted: true });
    locks.acquire(2, "y", "S");
    locks.acquire(3, "y", "S");
    locks.acquire(2, "y", "X");
    locks.acquire(3, "y", "X");
    expect(locks.waitsFor()).toEqual(new Map([[2, [3]], [3, [2]]]));
  });
});
