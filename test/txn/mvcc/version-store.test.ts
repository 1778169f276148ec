import { describe, expect, it } from "vitest";
import { Database } from "../../../src/txn/mvcc/database";
import { VersionStore } from "../../../src/txn/mvcc/version-store";

describe("VersionStore", () => {
  it("serves each reader the version its rule picks: newest, newest committed, or as of a snapshot", () => {
    const store = new VersionStore();
    store.load("x", 1, 0);
    store.write("x", 2, 1);
    store.commit(["x"], 1, 1);
    store.write("x", 3, 2);
    expect(store.latest("x")?.value).toBe(3);
    expect(store.latestCommitted("x")?.value).toBe(2);
    expect(store.asOf("x", 0)?.value).toBe(1);
    expect(store.newerThan("x", store.asOf("x", 0), 99).map((v) => v.value)).toEqual([2, 3]);
  });

  it("keeps the version the oldest snapshot needs and drops the ones before it", () => {
    const store = new VersionStore();
    store.load("x", 0, 0);
    for (let ts = 1; ts <= 5; ts++) {
      store.write("x", ts, ts);
      store.commit(["x"], ts, ts);
    }
    expect(store.collect(3)).toBe(3);
    expect(store.chain("x").map((v) => v.value)).toEqual([3, 4, 5]);
  });
});

describe("garbage collection", () => {
  function churn(gc: boolean, holdSnapshot: boolean) {
    const db = new Database({ initial: { x: 0, y: 0 }, gc });
    const old = holdSnapshot ? db.begin("SI") : null;
    old?.read("x");
    const counts: number[] = [];
    for (let i = 1; i <= 100; i++) {
      const tx = db.begin("SI");
      tx.write(i % 2 === 0 ? "x" : "y", i);
      tx.commit();
      counts.push(db.versionCount);
    }
    return { db, counts, old };
  }

  it("keeps versions bounded with GC on", () => {
    const { counts } = churn(true, false);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
  });

  it("lets versions grow with every commit when GC is off", () => {
    const { counts } = churn(false, false);
    expect(counts[counts.length - 1]).toBe(102);
  });

  it("keeps what an open snapshot can still read, and drops it once that snapshot ends", () => {
    const { db, counts, old } = churn(true, true);
    expect(counts[counts.length - 1]).toBe(102); // the old snapshot pins every later version
    expect(old!.read("x")).toEqual({ status: "ok", value: 0 });
    old!.commit();
    expect(db.versionCount).toBe(2);
  });
});
