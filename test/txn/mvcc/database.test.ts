import { describe, expect, it } from "vitest";
import { Database } from "../../../src/txn/mvcc/database";

describe("Database", () => {
  it("lets a snapshot reader read while a writer holds the row, and never blocks it", () => {
    const db = new Database({ initial: { x: 1 } });
    const writer = db.begin("SI");
    expect(writer.write("x", 2).status).toBe("ok");
    const reader = db.begin("SI");
    expect(reader.read("x")).toEqual({ status: "ok", value: 1 });
    expect(writer.commit().status).toBe("committed");
    expect(reader.read("x")).toEqual({ status: "ok", value: 1 }); // still its snapshot
    expect(db.begin("SI").read("x")).toEqual({ status: "ok", value: 2 });
  });

  it("does not block a writer behind a snapshot reader", () => {
    const db = new Database({ initial: { x: 1 } });
    const reader = db.begin("SI");
    reader.read("x");
    const writer = db.begin("SI");
    expect(writer.write("x", 5).status).toBe("ok");
    expect(writer.commit().status).toBe("committed");
  });

  it("makes a locking reader wait for a writer and then read the committed value", () => {
    const db = new Database({ initial: { x: 1 } });
    const writer = db.begin("RR", "W");
    writer.write("x", 2);
    const reader = db.begin("RR", "R");
    expect(reader.read("x")).toEqual({ status: "blocked", key: "x", waitingFor: ["W"] });
    writer.commit();
    expect(reader.read("x")).toEqual({ status: "ok", value: 2 });
  });

  it("shows a transaction its own uncommitted writes at every level", () => {
    for (const level of ["RU", "RC", "RR", "SI", "SER"] as const) {
      const db = new Database({ initial: { x: 1 } });
      const tx = db.begin(level);
      tx.write("x", 7);
      expect(tx.read("x"), level).toEqual({ status: "ok", value: 7 });
      expect(tx.scan((k) => k === "x"), level).toEqual({ status: "ok", value: [{ key: "x", value: 7 }] });
    }
  });

  it("forgets an aborted transaction's versions", () => {
    const db = new Database({ initial: { x: 1 } });
    const tx = db.begin("SI");
    tx.write("x", 9);
    tx.write("y", 9);
    expect(db.versionCount).toBe(3);
    tx.abort();
    expect(db.versionCount).toBe(1);
    expect(db.committedState()).toEqual({ x: 1 });
  });

  it("aborts the youngest transaction of a deadlock", () => {
    const db = new Database({ initial: { x: 0, y: 0 } });
    const t1 = db.begin("RR");
    const t2 = db.begin("RR");
    t1.write("x", 1);
    t2.write("y", 1);
    expect(t1.write("y", 2).status).toBe("blocked");
    const res = t2.write("x", 2);
    expect(res).toMatchObject({ status: "aborted", cause: "deadlock" });
    expect(t2.status).toBe("aborted");
    expect(t1.write("y", 2).status).toBe("ok");
  });

  it("answers commit of a committed transaction idempotently and refuses operations after the end", () => {
    const db = new Database();
    const tx = db.begin("SI");
    const first = tx.commit();
    expect(tx.commit()).toEqual(first);
    expect(tx.read("x").status).toBe("aborted");
  });

  it("records the committed history with the writer of every version read", () => {
    const db = new Database({ initial: { x: 1 } });
    const t1 = db.begin("SI");
    t1.write("x", 2);
    t1.commit();
    const t2 = db.begin("SI");
    t2.read("x");
    t2.commit();
    const history = db.history();
    expect(history.initial).toEqual([{ key: "x", value: 1 }]);
    expect(history.txns.map((t) => t.name)).toEqual(["T1", "T2"]);
    expect(history.txns[1].reads).toEqual([{ key: "x", value: 2, writer: t1.id }]);
  });

  it("keeps SSI's bookkeeping bounded: committed transactions leave once nothing overlaps them", () => {
    const db = new Database({ initial: { x: 0 } });
    for (let i = 0; i < 200; i++) {
      const tx = db.begin("SER");
      tx.read("x");
      tx.write("x", i);
      tx.commit();
    }
    expect(db.ssiTrackedCount).toBe(0);
  });
});
