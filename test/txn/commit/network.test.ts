import { describe, expect, it } from "vitest";
import type { TxnEventInput } from "../../../src/txn/commit/events";
import { Kernel } from "../../../src/txn/commit/kernel";
import type { CommitMessage } from "../../../src/txn/commit/messages";
import { CommitNetwork } from "../../../src/txn/commit/network";
import type { Distribution } from "../../../src/scenario/types";

/** A network of three nodes on a kernel, recording what happens. */
function world(latencyMs: Distribution, lossRate = 0) {
  const kernel = new Kernel();
  const up = [true, true, true];
  const events: TxnEventInput[] = [];
  const delivered: CommitMessage[] = [];
  const network = new CommitNetwork(
    { latencyMs, lossRate, names: ["coordinator", "p1", "p2"], seed: 1 },
    { now: () => kernel.now(), at: (t, a) => kernel.at(t, a), emit: (e) => events.push(e), isUp: (n) => up[n], deliver: (m) => delivered.push(m) },
  );
  const send = (from: number, to: number, txn: number) => network.send({ kind: "prepare", from, to, txn });
  const runTo = (ms: number) => kernel.runUntil(ms * 1000, () => true);
  const drops = () => events.flatMap((e) => (e.type === "drop" ? [`${e.txn} ${e.reason}`] : []));
  return { kernel, up, events, delivered, network, send, runTo, drops };
}

describe("the atomic-commit network", () => {
  it("delivers in order on each link, even when a later message draws a shorter delay", () => {
    const w = world({ dist: "exponential", mean: 5 });
    for (let txn = 1; txn <= 50; txn++) w.send(0, 1, txn);
    w.runTo(10_000);
    expect(w.delivered.map((m) => m.txn)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("loses messages at the loss rate, with a drop event for each", () => {
    const w = world({ dist: "constant", value: 1 }, 0.3);
    for (let txn = 1; txn <= 1000; txn++) w.send(0, 1, txn);
    w.runTo(100);
    expect(w.delivered.length + w.drops().length).toBe(1000);
    expect(w.drops().length).toBeGreaterThan(230);
    expect(w.drops().length).toBeLessThan(370);
  });

  it("drops what is in flight to a node that crashes, but not what a crashed node had already sent", () => {
    const w = world({ dist: "constant", value: 5 });
    w.send(0, 1, 1); // to the node that crashes
    w.send(1, 2, 2); // from it
    w.runTo(1);
    w.up[1] = false;
    w.network.nodeCrashed(1);
    w.runTo(3);
    w.up[1] = true; // back before the message would have arrived: still lost
    w.runTo(10);
    expect(w.delivered.map((m) => m.txn)).toEqual([2]);
    expect(w.drops()).toEqual(["1 link-broken"]);
  });

  it("drops messages across a partition, at send and in flight, and delivers again once healed", () => {
    const w = world({ dist: "constant", value: 5 });
    w.send(0, 2, 1);
    w.runTo(1);
    w.network.partition([[0, 1], [2]]);
    w.send(0, 2, 2);
    w.send(0, 1, 3); // same side: fine
    w.runTo(10);
    w.network.heal();
    w.send(0, 2, 4);
    w.runTo(20);
    expect(w.delivered.map((m) => m.txn)).toEqual([3, 4]);
    expect(w.drops()).toEqual(["2 cut", "1 link-broken"]);
  });

  it("numbers messages so a send can be matched with its delivery", () => {
    const w = world({ dist: "constant", value: 1 });
    w.send(0, 1, 1);
    w.send(1, 0, 1);
    w.runTo(5);
    const ids = (type: string) => w.events.flatMap((e) => (e.type === type && "msg" in e ? [e.msg] : []));
    expect(ids("send")).toEqual([1, 2]);
    expect(ids("deliver")).toEqual([1, 2]);
  });
});
