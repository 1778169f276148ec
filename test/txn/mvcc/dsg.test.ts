import { describe, expect, it } from "vitest";
import { buildDsg, describeCycle, findDsgCycle } from "../../../src/txn/mvcc/dsg";
import type { CommittedTxn, TxnHistory } from "../../../src/txn/mvcc/history";
import { findCycle } from "../../../src/txn/mvcc/cycles";

function txn(id: number, commitTs: number, parts: Partial<CommittedTxn>): CommittedTxn {
  return { id, name: `T${id}`, level: "SI", startTs: 0, commitTs, reads: [], scans: [], writes: [], ...parts };
}

describe("the direct serialization graph", () => {
  it("has ww and wr edges, no anti-dependency on a version one overwrites oneself, and no cycle for a serial history", () => {
    const history: TxnHistory = {
      initial: [{ key: "x", value: 0 }],
      txns: [
        txn(1, 1, { reads: [{ key: "x", value: 0, writer: 0 }], writes: [{ key: "x", value: 1 }] }),
        txn(2, 2, { reads: [{ key: "x", value: 1, writer: 1 }], writes: [{ key: "x", value: 2 }] }),
      ],
    };
    const dsg = buildDsg(history);
    expect(dsg.edges.map((e) => `${e.from}${e.kind}${e.to}`).sort()).toEqual(["1wr2", "1ww2"]);
    expect(findDsgCycle(dsg)).toBeNull();
  });

  it("finds the two rw-antidependencies of a write skew", () => {
    const history: TxnHistory = {
      initial: [{ key: "x", value: 1 }, { key: "y", value: 1 }],
      txns: [
        txn(1, 1, { reads: [{ key: "x", value: 1, writer: 0 }, { key: "y", value: 1, writer: 0 }], writes: [{ key: "x", value: 0 }] }),
        txn(2, 2, { reads: [{ key: "x", value: 1, writer: 0 }, { key: "y", value: 1, writer: 0 }], writes: [{ key: "y", value: 0 }] }),
      ],
    };
    const dsg = buildDsg(history);
    const cycle = findDsgCycle(dsg);
    expect(cycle).not.toBeNull();
    expect(describeCycle(cycle!, dsg.names)).toBe("T1 -rw(y)-> T2 -rw(x)-> T1");
  });

  it("adds a predicate anti-dependency for an insert that a scan missed", () => {
    const everything = () => true;
    const history: TxnHistory = {
      initial: [{ key: "a", value: 1 }],
      txns: [
        txn(1, 1, { scans: [{ label: "P", predicate: everything, seen: [{ key: "a", value: 1, writer: 0 }] }], writes: [{ key: "log", value: 1 }] }),
        txn(2, 2, { scans: [{ label: "P", predicate: everything, seen: [{ key: "a", value: 1, writer: 0 }] }], writes: [{ key: "b", value: 1 }] }),
      ],
    };
    const dsg = buildDsg(history);
    expect(dsg.edges).toContainEqual({ from: 1, to: 2, kind: "rw", key: "b", predicate: "P" });
    expect(dsg.edges).toContainEqual({ from: 2, to: 1, kind: "rw", key: "log", predicate: "P" });
    expect(findDsgCycle(dsg)).not.toBeNull();
  });

  it("ignores reads of versions that never committed", () => {
    const history: TxnHistory = { initial: [], txns: [txn(2, 1, { reads: [{ key: "x", value: 5, writer: 1 }] })] };
    expect(buildDsg(history).edges).toEqual([]);
  });
});

describe("findCycle", () => {
  it("returns the edges of a cycle in order, deterministically", () => {
    const graph = new Map([[1, [2]], [2, [3]], [3, [1]], [4, [1]]]);
    const arcs = (n: number) => (graph.get(n) ?? []).map((to) => ({ to, edge: `${n}>${to}` }));
    expect(findCycle([4, 1, 2, 3], arcs)).toEqual(["1>2", "2>3", "3>1"]);
    expect(findCycle([1], (n: number) => (n === 1 ? [{ to: 2, edge: "1>2" }] : []))).toBeNull();
  });
});
