import { describe, expect, it } from "vitest";
import { classifyViolations, KNOWN_ENGINE_BUGS } from "../../src/harness/known-engine-bugs";
import { summarize } from "../../src/metrics/summary";
import { Simulation } from "../../src/sim/simulation";

/**
 * Engine bugs the harness found, kept as regression tests: each minimal scenario once showed the bug
 * and must not any more. A fixed bug explains no violation, so the mode tests fail if it returns.
 */
describe("engine bugs the harness found stay fixed", () => {
  const bug = (id: string) => KNOWN_ENGINE_BUGS.find((b) => b.id === id)!;

  it("every known engine bug is fixed", () => {
    expect(KNOWN_ENGINE_BUGS.filter((b) => !b.fixed).map((b) => b.id)).toEqual([]);
  });

  it("paxos-counts-answers-to-an-earlier-ballot: quorum mode with ballots never commits two writes as one (key, version)", () => {
    // Harness quorum seed 31 without its faults: before the fix, db1 and db2 committed op 15 and op 4 as version 1 of key-19.
    const s = summarize(new Simulation(bug("paxos-counts-answers-to-an-earlier-ballot").minimal.scenario).run());
    expect(s.writes.acknowledged).toBeGreaterThan(100);
    expect(s.divergentCommits).toBe(0);
    expect(s.lostAcknowledgedWrites).toBe(0);
  });

  it("stale-suffix-after-election: no replica keeps a tail beyond the elected primary's log, and every store converges", () => {
    const sim = new Simulation(bug("stale-suffix-after-election").minimal.scenario).run();
    const primary = sim.nodes[sim.directoryPrimary()];
    const stale = sim.nodes.filter((n) => n !== primary && n.log.lastIndex > primary.log.lastIndex);
    expect(stale.map((n) => n.id)).toEqual([]);
    const s = summarize(sim, { state: true });
    for (const node of sim.nodes.filter((n) => n.up)) expect(s.state![node.id], node.id).toEqual(s.state![primary.id]);
  });

  it("at-risk-misses-failover-shortfall: a failover to a lagging replica loses only writes counted at risk", () => {
    const s = summarize(new Simulation(bug("at-risk-misses-failover-shortfall").minimal.scenario).run());
    expect(s.lostAcknowledgedWrites).toBeGreaterThan(0);
    expect(s.lostAcknowledgedWrites).toBeLessThanOrEqual(s.atRiskWrites);
  });

  it("deposed-primary-acknowledges: a restarted old primary acknowledges nothing in its old epoch", () => {
    const sim = new Simulation(bug("deposed-primary-acknowledges").minimal.scenario);
    const acks: { node: string; timeMs: number }[] = [];
    sim.events$.subscribe((e) => {
      if (e.type === "ack" && e.node === "db1" && e.timeMs > 500) acks.push(e);
    });
    const s = summarize(sim.run());
    expect(acks).toEqual([]);
    expect(s.lostAcknowledgedWrites).toBe(0);
  });

  it("apply-on-stale-store: a replica awaiting a snapshot applies nothing and converges", () => {
    const sim = new Simulation(bug("apply-on-stale-store").minimal.scenario);
    let truncatedAt = -1;
    let appliedAfterTruncate = false;
    sim.events$.subscribe((e) => {
      if (e.type === "truncate" && e.node === "db1") truncatedAt = e.timeMs;
      if (e.type === "snapshot" && e.node === "db1") truncatedAt = -1;
      if (e.type === "apply" && e.node === "db1" && truncatedAt >= 0) appliedAfterTruncate = true;
    });
    const s = summarize(sim.run(), { state: true });
    expect(appliedAfterTruncate).toBe(false);
    expect(s.state!.db1).toEqual(s.state!.db2);
  });

  it("lets a fixed bug explain no violation", () => {
    const violation = () => [{ invariant: "lost-writes-counted-at-risk", timeMs: 1, node: null, message: "" }];
    const summary = { lostAcknowledgedWrites: 10, atRiskWrites: 2 };
    expect(classifyViolations(violation(), { summary, deposedAcks: 0, finalPrimaryShortfall: 10, awaitingSnapshotEpisodes: 0, awaitingSnapshotAtEnd: 0 })[0].knownBug).toBeUndefined();
  });
});
