import { describe, expect, test } from "vitest";
import { card, gradeTable, requirementChart, runDesign, tryDesign, type Architecture, type DesignRun } from "../../src/capstone";

const elect = { electionTimeoutMs: 300 };

/** The failed requirements of a run, by metric, with their explanations. */
function failures(run: DesignRun): Record<string, string> {
  return Object.fromEntries(run.grade.results.filter((r) => !r.passed).map((r) => [r.requirement.metric, r.explanation]));
}

describe("bank ledger: no acknowledged payment may be lost", () => {
  const bank = card("bank-ledger");

  test("semi-sync with elections passes: an acknowledged payment is on a replica that can win the election", () => {
    const run = runDesign(bank, { replication: "semi-sync", acks: 1, replicas: 2, failover: elect });
    expect(failures(run)).toEqual({});
    expect(run.measured.lostAcknowledgedWrites).toBe(0);
    expect(run.facts.failovers).toBe(1);
  });

  test("a majority quorum passes: a write is acknowledged only once a majority holds it", () => {
    expect(failures(runDesign(bank, { replication: "quorum", replicas: 2 }))).toEqual({});
  });

  test("async with elections fails on lost payments, explained by when async acknowledges", () => {
    const run = runDesign(bank, { replication: "async", replicas: 2, failover: elect });
    const why = failures(run);
    expect(Object.keys(why)).toEqual(["lostAcknowledgedWrites"]);
    expect(run.measured.lostAcknowledgedWrites).toBeGreaterThan(0);
    expect(why.lostAcknowledgedWrites).toMatch(/^\d+ acknowledged writes? (was|were) lost: async replication acknowledged them before any replica had them, and the primary crashed at 4000 ms/);
  });

  test("sync fails on availability: after the failover it waits for the crashed node", () => {
    const why = failures(runDesign(bank, { replication: "sync", replicas: 2, failover: elect }));
    expect(why.availability).toContain("sync replication waits for EVERY replica to apply a write");
    expect(why.lostAcknowledgedWrites).toBeUndefined();
  });

  test("balance reads from async replicas fail: a replica can answer before it has applied a confirmed payment", () => {
    const run = runDesign(bank, { replication: "async", replicas: 2, failover: elect, reads: "replicas" });
    expect(run.measured.staleReads).toBeGreaterThan(0);
    expect(failures(run).staleReads).toContain("reads went to replicas, which apply each write after the primary acknowledged it");
  });

  test("without failover nothing replaces the crashed primary", () => {
    const why = failures(runDesign(bank, { replication: "semi-sync", acks: 1, replicas: 2 }));
    expect(why.availability).toContain("nothing replaced the primary that crashed at 4000 ms");
  });
});

describe("social feed: reads scale on replicas, staleness is tolerated", () => {
  const feed = card("social-feed");

  test("three replicas with least-loaded reads pass, stale reads and all", () => {
    const run = runDesign(feed, { replication: "async", replicas: 3, reads: "least-loaded" });
    expect(failures(run)).toEqual({});
  });

  test("reads on the primary fail: it cannot serve 3000 requests a second", () => {
    const why = failures(runDesign(feed, { replication: "async", replicas: 3 }));
    expect(why.availability).toContain("the primary was overloaded");
    expect(why.readP99Ms).toContain("send reads to replicas");
  });

  test("two replicas fail when one crashes: the survivor cannot carry every read (N+1)", () => {
    const why = failures(runDesign(feed, { replication: "async", replicas: 2, reads: "least-loaded" }));
    expect(why.availability).toContain("when a replica crashed, the 1 left");
  });
});

describe("analytics warehouse: reports belong on a replica", () => {
  const warehouse = card("analytics-warehouse");

  test("reports on an async replica, order pages on the primary: pass", () => {
    expect(failures(runDesign(warehouse, { replication: "async", replicas: 1, analytics: "replicas" }))).toEqual({});
  });

  test("reports on the primary: orders queue behind them", () => {
    const why = failures(runDesign(warehouse, { replication: "async", replicas: 1 }));
    expect(why.writeP99Ms).toContain("the reports run on the primary");
  });

  test("reports on a replica under sync replication: every write waits for the busy replica", () => {
    const why = failures(runDesign(warehouse, { replication: "sync", replicas: 1, analytics: "replicas" }));
    expect(Object.keys(why)).toEqual(["writeP99Ms"]);
    expect(why.writeP99Ms).toContain("sync replication waits for every replica to APPLY each write");
  });
});

describe("food delivery: shards for write throughput and a small blast radius", () => {
  const food = card("food-delivery");

  test("three shards of semi-sync replica sets pass: each primary takes a third of the writes, an outage hits a third of the users", () => {
    const run = runDesign(food, { replication: "semi-sync", acks: 1, replicas: 2, failover: elect, shards: 3 });
    expect(failures(run)).toEqual({});
    expect(run.built.kind).toBe("sharded");
    expect(run.measured.outageFailedRatio).toBeGreaterThan(0.25);
    expect(run.measured.outageFailedRatio).toBeLessThan(0.4);
    // Latency, stale reads and lost writes come from each shard's own engine (p99: the worst shard's).
    expect(run.measured.writeP99Ms).toBeGreaterThan(0);
    expect(run.measured.staleReads).toBe(0);
    expect(run.measured.lostAcknowledgedWrites).toBe(0);
    expect(Object.keys(run.facts.shardAvailability)).toEqual(["s1", "s2", "s3"]);
    expect(run.shardAvailability.map((s) => s.name)).toEqual(["s1", "s2", "s3"]);
  });

  test("one replica set fails: one primary cannot take every write, and the outage hits everyone", () => {
    const why = failures(runDesign(food, { replication: "async", replicas: 2, failover: elect }));
    expect(why.opsPerSec).toContain("split the keys over shards");
    expect(why.outageFailedRatio).toContain("the blast radius is everyone");
  });

  test("two shards have the throughput but fail the blast radius: half the users were on the shard that went down", () => {
    const why = failures(runDesign(food, { replication: "semi-sync", acks: 1, replicas: 2, failover: elect, shards: 2 }));
    expect(Object.keys(why)).toEqual(["outageFailedRatio"]);
    expect(why.outageFailedRatio).toContain("held 1/2 of the users");
  });
});

describe("determinism and reports", () => {
  const design: Architecture = { replication: "async", replicas: 2, failover: elect };

  test("a design gets the same run and the same grade every time; another design another run", () => {
    const a = runDesign(card("bank-ledger"), design);
    const b = runDesign(card("bank-ledger"), design);
    const c = runDesign(card("bank-ledger"), { ...design, replication: "semi-sync", acks: 1 });
    expect(b.summary.eventHash).toBe(a.summary.eventHash);
    expect(b.grade).toEqual(a.grade);
    expect(b.measured).toEqual(a.measured);
    expect(c.summary.eventHash).not.toBe(a.summary.eventHash);
  });

  test("the table has a row per design and the chart a bar per design with the bound across", () => {
    const runs = [runDesign(card("analytics-warehouse"), { replication: "async", replicas: 1 }), runDesign(card("analytics-warehouse"), { replication: "async", replicas: 1, analytics: "replicas" })];
    const table = gradeTable(runs).split("\n");
    expect(table).toHaveLength(5);
    expect(table[3]).toMatch(/^async ×2 +\| ✗ .* FAIL/);
    expect(table[4]).toMatch(/PASS\s*$/);
    const fig = requirementChart(runs, "writeP99Ms");
    expect(fig.data.map((t) => t.type)).toEqual(["bar", "scatter"]);
    expect(fig.data[1].y).toEqual([20, 20]);
    expect(() => requirementChart(runs, "opsPerSec")).toThrow("card analytics-warehouse has no requirement on opsPerSec");
  });
});

describe("tryDesign (for exercises)", () => {
  test("a design that cannot be built prints its one-line reason instead of throwing", () => {
    const lines: string[] = [];
    expect(tryDesign(card("bank-ledger"), { replication: "semi-sync", acks: 3, replicas: 2 }, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual(["architecture.acks: must be 1-2 (at most the number of replicas), got 3"]);
  });

  test("an unfinished exercise (undefined) prints nothing; a design prints its grade", () => {
    const lines: string[] = [];
    expect(tryDesign(card("analytics-warehouse"), undefined, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([]);
    const run = tryDesign(card("analytics-warehouse"), { replication: "async", replicas: 1, analytics: "replicas" }, (l) => lines.push(l));
    expect(run?.grade.passed).toBe(true);
    expect(lines[0].split("\n")[0]).toBe('PASS analytics-warehouse with "async ×2 reports:replicas"');
  });
});
