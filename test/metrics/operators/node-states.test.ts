import { describe, it } from "vitest";
import { nodeStatesPerWindow, type NodeState } from "../../../src/metrics/operators/node-states";
import { apply, batch, crash, dataLoss, demote, heartbeat, noise, promote, recover, testScheduler } from "../batches";

const up = (role: NodeState["role"], epoch: number): NodeState => ({ state: "up", role, epoch });
const down = (role: NodeState["role"], epoch: number): NodeState => ({ state: "down", role, epoch });

/** What the engine emits at time 0: the primary's promotion and its first heartbeats. */
const start = batch(promote(0, "db1", 1), heartbeat(0, "db1", "db2"), heartbeat(0, "db1", "db3"));

describe("nodeStatesPerWindow", () => {
  it("takes the initial primary from the promotion at time 0 and finds the replicas from its heartbeats", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b|", { a: start, b: batch(noise(15)) });
      expectObservable(source.pipe(nodeStatesPerWindow(10))).toBe("--x(y|)", {
        x: { startMs: 0, endMs: 10, epoch: 1, byNode: { db1: up("primary", 1), db2: up("replica", 0), db3: up("replica", 0) } },
        y: { startMs: 10, endMs: 15, epoch: 1, byNode: { db1: up("primary", 1), db2: up("replica", 0), db3: up("replica", 0) } },
      });
    });
  });

  it("reports each node's state at the window end: a crash and recovery inside one window leave it up", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b-c|", {
        a: start,
        b: batch(crash(12, "db1"), crash(13, "db2"), recover(17, "db2")),
        c: batch(noise(25)),
      });
      expectObservable(source.pipe(nodeStatesPerWindow(10))).toBe("--x-y(z|)", {
        x: { startMs: 0, endMs: 10, epoch: 1, byNode: { db1: up("primary", 1), db2: up("replica", 0), db3: up("replica", 0) } },
        y: { startMs: 10, endMs: 20, epoch: 1, byNode: { db1: down("primary", 1), db2: up("replica", 0), db3: up("replica", 0) } },
        z: { startMs: 20, endMs: 25, epoch: 1, byNode: { db1: down("primary", 1), db2: up("replica", 0), db3: up("replica", 0) } },
      });
    });
  });

  it("follows a failover: promotion of a replica to a new epoch, the old primary stepping down, and a data loss", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a-b|", {
        a: start,
        b: batch(promote(11, "db2", 2), demote(12, "db1", 2), dataLoss(13, "db3"), noise(14)),
      });
      expectObservable(source.pipe(nodeStatesPerWindow(10))).toBe("--x(y|)", {
        x: { startMs: 0, endMs: 10, epoch: 1, byNode: { db1: up("primary", 1), db2: up("replica", 0), db3: up("replica", 0) } },
        y: { startMs: 10, endMs: 14, epoch: 2, byNode: { db1: up("replica", 2), db2: up("primary", 2), db3: up("replica", 0) } },
      });
    });
  });

  it("reports the listed nodes only, in the listed order, starting as up replicas", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(promote(0, "db1", 1), apply(1, "db2", 1), crash(2, "db3")) });
      expectObservable(source.pipe(nodeStatesPerWindow(10, { nodes: ["db3", "db1", "db9"] }))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 2, epoch: 1, byNode: { db3: down("replica", 0), db1: up("primary", 1), db9: up("replica", 0) } },
      });
    });
  });

  it("does not take an actor that only crashes (an app server) for a database node", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold("a|", { a: batch(promote(0, "db1", 1), crash(3, "db3")) });
      expectObservable(source.pipe(nodeStatesPerWindow(10))).toBe("-(x|)", {
        x: { startMs: 0, endMs: 3, epoch: 1, byNode: { db1: up("primary", 1) } },
      });
    });
  });
});
