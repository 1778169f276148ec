import { describe, expect, it } from "vitest";
import { EV, EventBatch, MESSAGE_KINDS } from "../../src/events";
import { invariantsFor, type Invariant } from "../../src/harness/invariants";
import { MODE_TEMPLATES, scenarioFor, type ClusterMode as HarnessMode } from "../../src/harness/modes";
import { Simulation } from "../../src/sim/simulation";

/** Rows of (type, time ms, a, b, c, d) as one batch, with the actor names of a mode's cluster. */
function batch(mode: HarnessMode, rows: [number, number, number, number, number, number][]): { batch: EventBatch; sim: Simulation } {
  const sim = new Simulation(scenarioFor(mode, 1));
  const col = (i: number) => Float64Array.from(rows.map((r) => (i === 1 ? r[1] * 1000 : r[i])));
  const names = { actors: sim.topology.names, keys: sim.keys.names };
  return { batch: new EventBatch(rows.length, Uint8Array.from(rows.map((r) => r[0])), col(1), col(2), col(3), col(4), col(5), names), sim };
}

function violationsOf(mode: HarnessMode, name: string, rows: [number, number, number, number, number, number][]): string[] {
  const { batch: b, sim } = batch(mode, rows);
  const inv = invariantsFor(MODE_TEMPLATES[mode], sim).find((i) => i.name === name) as Invariant;
  expect(inv, name).toBeDefined();
  inv.onBatch!(b);
  return inv.violations.map((v) => v.message);
}

const REPLY = MESSAGE_KINDS.indexOf("append-reply");

describe("invariants", () => {
  it("flag an acknowledgement from a crashed single database, and nothing once it restarted", () => {
    const rows: [number, number, number, number, number, number][] = [
      [EV.crash, 10, 0, 0, 0, 0],
      [EV.ack, 11, 0, 7, 3, 0],
      [EV.recover, 20, 0, 0, 0, 0],
      [EV.ack, 21, 0, 8, 4, 0],
    ];
    expect(violationsOf("none", "no-ack-while-down", rows)).toEqual(["db1 is down but acknowledged op 7 (index 3)"]);
    expect(violationsOf("none", "crashed-node-silent", rows)).toHaveLength(1);
  });

  it("flag a semi-sync acknowledgement that no replica reported logging", () => {
    const rows: [number, number, number, number, number, number][] = [
      [EV.promote, 0, 0, 1, 0, 0],
      [EV.append, 1, 0, 1, 5, 0],
      [EV.ack, 1, 0, 5, 1, 0],
      [EV.append, 2, 0, 2, 6, 0],
      [EV.deliver, 3, 1, 0, REPLY, 2],
      [EV.ack, 3, 0, 6, 2, 0],
    ];
    expect(violationsOf("semi-sync", "ack-rule", rows)).toEqual(["db1 acknowledged op 5 at index 1 after only 0 of the 1 required replicas reported logging it"]);
  });

  it("require every replica's report before a sync acknowledgement", () => {
    const rows: [number, number, number, number, number, number][] = [
      [EV.promote, 0, 0, 1, 0, 0],
      [EV.deliver, 3, 1, 0, REPLY, 2],
      [EV.ack, 3, 0, 6, 2, 0],
      [EV.deliver, 4, 2, 0, REPLY, 2],
      [EV.ack, 4, 0, 7, 2, 0],
    ];
    expect(violationsOf("sync", "ack-rule", rows)).toEqual(["db1 acknowledged op 6 at index 2 after only 1 of the 2 required replicas reported logging it"]);
  });

  it("flag an acknowledgement by a primary of an older epoch than the newest promotion", () => {
    const rows: [number, number, number, number, number, number][] = [
      [EV.promote, 0, 0, 1, 0, 0],
      [EV.promote, 5, 1, 2, 0, 0],
      [EV.ack, 6, 0, 9, 4, 0],
    ];
    expect(violationsOf("semi-sync-safe", "no-ack-by-deposed-primary", rows)).toEqual(["db1, deposed primary of epoch 1, acknowledged op 9 at index 4 after epoch 2 began"]);
  });

  it("flag a replica that applies on a store awaiting a snapshot, and accept one that installed it first", () => {
    const truncated: [number, number, number, number, number, number][] = [
      [EV.apply, 1, 1, 10, 0, 0],
      [EV.truncate, 2, 1, 5, 6, 0],
    ];
    expect(violationsOf("async", "applied-within-primary-log", [...truncated, [EV.apply, 3, 1, 11, 0, 0]])).toEqual([
      "db2 applied index 11 on a store awaiting a snapshot (it discarded entries 5..10 at 2 ms with index 10 applied): its store is no longer the replay of its log",
    ]);
    expect(violationsOf("async", "applied-within-primary-log", [...truncated, [EV.snapshot, 3, 1, 12, 0, 0], [EV.apply, 4, 1, 13, 0, 0]])).toEqual([]);
  });

  it("flag two primaries acknowledging in overlapping intervals, and a deposed primary that still takes writes", () => {
    const rows: [number, number, number, number, number, number][] = [
      [EV.promote, 0, 0, 1, 0, 0],
      [EV.ack, 1, 0, 5, 1, 0],
      [EV.promote, 100, 1, 2, 0, 0],
      [EV.ack, 120, 0, 6, 2, 0], // db1's lease may still run: no new primary has acknowledged yet
      [EV.ack, 200, 1, 7, 2, 0],
      [EV.append, 201, 0, 3, 8, 0],
      [EV.ack, 202, 0, 8, 3, 0],
    ];
    expect(violationsOf("elections-async", "single-acking-primary", rows)).toEqual(["db1 (primary of epoch 1) acknowledged op 8 at index 3 while db2, primary of epoch 2, has been acknowledging writes since 200 ms"]);
    expect(violationsOf("elections-async", "fenced-node-accepts-nothing", rows)).toEqual([
      "db1, deposed primary of epoch 1, took client write op 8 at index 3 although a primary of epoch 2 has acknowledged writes",
      "db1, deposed primary of epoch 1, acknowledged op 8 at index 3 although a primary of epoch 2 has acknowledged writes",
    ]);
    const demoted: [number, number, number, number, number, number][] = [
      [EV.promote, 0, 0, 1, 0, 0],
      [EV.demote, 50, 0, 2, 0, 0],
      [EV.append, 51, 0, 4, 9, 0],
    ];
    expect(violationsOf("elections", "fenced-node-accepts-nothing", demoted)).toEqual(["db1, deposed primary of epoch 1, took client write op 9 at index 4 although it stepped down at 50 ms"]);
  });

  it("flag two writes committed as one (key, version) in quorum mode", () => {
    const rows: [number, number, number, number, number, number][] = [
      [EV.commit, 10, 0, 2, 1, 17],
      [EV.commit, 11, 1, 2, 1, 17],
      [EV.commit, 12, 2, 2, 1, 18],
      [EV.commit, 13, 2, 2, 2, 19],
    ];
    expect(violationsOf("quorum", "quorum-one-value-per-version", rows)).toEqual(["db3 holds op 18 as version 1 of key-2, but db1 held op 17 as that version at 10 ms"]);
  });

  it("apply to each mode what it promises", () => {
    const names = (mode: HarnessMode) => invariantsFor(MODE_TEMPLATES[mode], new Simulation(scenarioFor(mode, 1))).map((i) => i.name);
    expect(names("none")).toEqual(["crashed-node-silent", "no-ack-while-down", "no-divergence"]);
    expect(names("async")).toContain("lost-writes-counted-at-risk");
    expect(names("async")).not.toContain("no-lost-acknowledged-writes");
    expect(names("sync")).toEqual(expect.arrayContaining(["ack-rule", "no-lost-acknowledged-writes", "no-ack-by-deposed-primary"]));
    expect(names("semi-sync")).toContain("lost-writes-counted-at-risk");
    expect(names("semi-sync-safe")).toContain("no-lost-acknowledged-writes");
    expect(names("elections")).toEqual(expect.arrayContaining(["single-acking-primary", "fenced-node-accepts-nothing", "ack-rule", "no-lost-acknowledged-writes"]));
    expect(names("elections")).not.toContain("no-ack-by-deposed-primary");
    expect(names("elections-async")).toEqual(expect.arrayContaining(["single-acking-primary", "fenced-node-accepts-nothing", "lost-writes-counted-at-risk"]));
    expect(names("quorum")).toEqual(["crashed-node-silent", "no-ack-while-down", "quorum-one-value-per-version", "quorum-no-acknowledged-write-overwritten", "quorum-no-divergence"]);
  });
});
