/**
 * replicalab: a deterministic, reactive cluster simulator for teaching replication and consensus.
 * Notebooks import everything from here: `import { loadScenarioFile, Simulation, show, ... } from "replicalab"`.
 */
export { VERSION } from "./version";

// The engine.
export { Simulation, type SimulationOptions } from "./sim/simulation";
export { runScenario, type RunOptions, type RunResult } from "./scenario/run";
export { ScenarioError, parseScenario, loadScenarioFile, withSeed } from "./scenario";
export type * from "./scenario/types";
export { BUGS, type Bug } from "./sim/bugs";
export { Random } from "./sim/random";
export { sampler, meanOf } from "./sim/distributions";
export * from "./events";
export type * from "./history/types";

// Metrics over the event stream, the result summary, charts, notebooks, checkers.
export * from "./metrics";
export * from "./charts";
export * from "./notebook";
export * from "./checkers";

// Transactions across nodes: atomic commit (2PC/3PC), MVCC isolation levels, sagas. Namespaced,
// because each has its own scenario format and result summary.
export * as atomicCommit from "./txn/commit";
export * as mvcc from "./txn/mvcc";
export * as saga from "./txn/saga";
// Sharding: a router, shards that are replica sets, rebalancing and cross-shard transfers.
export * as sharding from "./sharding";
// The design studio (lesson 11): requirement cards, a learner's architecture, a grade with reasons.
export * as capstone from "./capstone";

// Parsers for histories recorded by other tools (Jepsen's etcd tests, Porcupine's key-value tests).
export { parseJepsenEtcdLog, formatLineTime, ETCD_KEY } from "./history/parse-jepsen-etcd";
export { parsePorcupineKv } from "./history/parse-porcupine-kv";
export * from "./views";
