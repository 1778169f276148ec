import { describe, expect, it } from "vitest";
import { checkSeed, checkSerializability } from "../../../src/txn/mvcc/serializability-check";
import type { CommittedTxn, TxnHistory } from "../../../src/txn/mvcc/history";
import { runInterleaved } from "../../../src/txn/mvcc/random-interleaving";
import { randomMix } from "../../../src/txn/mvcc/random-mix";

/** Every ordering of a list (mixes have at most a handful of committed transactions). */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/**
 * An independent witness, not using the DSG: is there a serial order of the committed transactions in
 * which every read and every scan sees exactly what it saw in the concurrent run?
 */
function serialOrderExists(history: TxnHistory): boolean {
  return permutations(history.txns).some((order) => replaysSerially(history, order));
}

function replaysSerially(history: TxnHistory, order: readonly CommittedTxn[]): boolean {
  const state = new Map(history.initial.map((e) => [e.key, e.value]));
  for (const t of order) {
    // Reads of the transaction's own writes explain themselves; every other read must see the serial state.
    for (const read of t.reads) if (read.writer !== t.id && (state.get(read.key) ?? null) !== read.value) return false;
    for (const scan of t.scans) {
      const seen = new Map(scan.seen.map((r) => [r.key, r]));
      const keys = new Set([...state.keys(), ...seen.keys()]);
      for (const key of keys) {
        const r = seen.get(key);
        if (r !== undefined && r.writer === t.id) continue;
        const sawMatch = r !== undefined && r.value !== null && scan.predicate(key, r.value);
        const serialValue = state.get(key);
        if (sawMatch !== (serialValue !== undefined && scan.predicate(key, serialValue))) return false;
      }
    }
    for (const { key, value } of t.writes) state.set(key, value);
  }
  return true;
}

describe("the randomized serializability check", () => {
  it("finds no cycle at SER over 300 seeds", () => {
    const report = checkSerializability({ level: "SER", seeds: 300 });
    const first = report.firstCycle;
    expect(report.cycleSeeds, first ? `seed ${first.seed}: ${first.cycle}; schedule ${first.schedule} (reproduce: checkSeed("SER", ${first.seed}))` : "").toEqual([]);
    expect(report.committedTxns).toBeGreaterThan(600); // SSI must not get there by aborting everything
  });

  it("finds a write-skew cycle at SI within 20 seeds", () => {
    const report = checkSerializability({ level: "SI", seeds: 20, stopAtFirstCycle: true });
    expect(report.firstCycle, "no cycle at SI in seeds 1..20").not.toBeNull();
    expect(report.firstCycle!.edges.every((e) => e.kind === "rw" || e.kind === "wr" || e.kind === "ww")).toBe(true);
    expect(report.firstCycle!.edges.filter((e) => e.kind === "rw").length).toBeGreaterThanOrEqual(2);
  });

  it("finds cycles in a good share of SI histories over 300 seeds", () => {
    const si = checkSerializability({ level: "SI", seeds: 300 });
    expect(si.cycleSeeds.length).toBeGreaterThan(20);
  });

  it("agrees with brute force: every SER history has a serial order that explains every read", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const history = runInterleaved(randomMix(seed), "SER", seed).db.history();
      expect(serialOrderExists(history), `seed ${seed}: no serial order explains the SER history`).toBe(true);
    }
  });

  it("agrees with brute force on SI: a history with a DSG cycle has no serial order", () => {
    let cycles = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { run, cycle } = checkSeed("SI", seed);
      if (cycle === null) continue;
      cycles++;
      expect(serialOrderExists(run.db.history()), `seed ${seed}: ${cycle.cycle} yet a serial order exists`).toBe(false);
    }
    expect(cycles).toBeGreaterThan(0);
  });

  it("gives the same report for the same seeds", () => {
    expect(checkSerializability({ level: "SI", seeds: 30 })).toEqual(checkSerializability({ level: "SI", seeds: 30 }));
  });
});
