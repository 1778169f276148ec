import { describe, expect, it } from "vitest";
import { c, formatSchedule, r, scan, w } from "../../../src/txn/mvcc/schedule";
import { runSchedule } from "../../../src/txn/mvcc/scheduler";
import { runInterleaved } from "../../../src/txn/mvcc/random-interleaving";
import { randomMix } from "../../../src/txn/mvcc/random-mix";

describe("running a schedule step by step", () => {
  it("writes a schedule in the literature's notation", () => {
    expect(formatSchedule([r("T1", "x"), w("T2", "x", 10), w("T1", "y", () => 1), scan("T1", "P", () => true), c("T2")])).toBe("r1[x] w2[x=10] w1[y] r1[P] c2");
  });

  it("makes a blocked step wait, queues the steps behind it, and resumes them when the lock is freed", () => {
    const run = runSchedule([w("T1", "x", 1), r("T2", "x"), c("T2"), c("T1")], { level: "RR", initial: { x: 0 } });
    expect(run.trace.map((e) => `${e.op} ${e.outcome}`)).toEqual(["w1[x=1] ok", "r2[x] blocked", "c2 queued", "c1 committed", "r2[x] resumed", "c2 committed"]);
    expect(run.txns.T2.reads).toEqual([{ key: "x", value: 1 }]);
    expect(run.txns.T2.waits).toEqual([{ key: "x", on: ["T1"] }]);
  });

  it("aborts transactions the schedule leaves open", () => {
    const run = runSchedule([w("T1", "x", 1)], { level: "SI", initial: { x: 0 } });
    expect(run.txns.T1.status).toBe("aborted");
    expect(run.final).toEqual({ x: 0 });
  });

  it("runs each transaction at its own level when given a level per name", () => {
    const run = runSchedule([w("T1", "x", 1), r("T2", "x"), r("T3", "x"), c("T1"), c("T2"), c("T3")], { level: { T1: "SI", T2: "RU", T3: "RC" }, initial: { x: 0 } });
    expect(run.txns.T2.reads[0].value).toBe(1); // read uncommitted
    expect(run.txns.T3.reads[0].value).toBe(0); // read committed
  });

  it("replays the same random interleaving for the same seed, and another for another seed", () => {
    const mix = randomMix(5);
    expect(runInterleaved(mix, "SI", 5).schedule).toBe(runInterleaved(mix, "SI", 5).schedule);
    const schedules = new Set([1, 2, 3, 4].map((seed) => runInterleaved(mix, "SI", seed).schedule));
    expect(schedules.size).toBeGreaterThan(1);
  });
});
