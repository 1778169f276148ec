import { describe, expect, test } from "vitest";
import { parseScenario, ScenarioError, type Scenario } from "../../src/scenario";
import { findHostileInput } from "../../src/scenario/hostile";

/** Test input is deliberately ill-typed JSON that each test edits freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A small valid scenario that exercises most of the format; each test breaks one thing in a copy. */
function base(): Loose {
  return {
    format: 1,
    name: "catalogue",
    seed: 42,
    durationMs: 60000,
    nodes: [
      { id: "db1", role: "primary", domain: "rack-a", workers: 4, serviceTimeMs: { dist: "exponential", mean: 1 } },
      { id: "db2", role: "replica", domain: "rack-b" },
      { id: "db3", role: "replica", domain: "rack-b" },
      { id: "db4", role: "replica", domain: "rack-c" },
    ],
    replication: { mode: "async" },
    network: {
      latencyMs: { dist: "exponential", mean: 5 },
      links: [{ from: "db1", to: "db2", latencyMs: { dist: "constant", value: 40 } }],
    },
    frontend: { loadBalancer: "lb", appServers: ["app1", "app2"] },
    workload: { opsPerSec: 100, readRatio: 0.5, keys: 10 },
    script: [
      { atMs: 1000, op: "add", key: "user:1", amount: -100, node: "db1" },
      { atMs: 2000, op: "promote", node: "db2" },
    ],
    faults: [
      { atMs: 20000, type: "crash", node: "db1" },
      { type: "random-crashes", nodes: ["db3"], mtbfMs: 9000, mttrMs: 1000 },
    ],
  };
}

/** The ScenarioError that parsing `input` throws (the test fails if it throws anything else, or nothing). */
function errorFor(input: unknown, file?: string): ScenarioError {
  try {
    parseScenario(input, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("the scenario was accepted");
}

/** A copy of the base scenario changed by `edit`. */
function edited(edit: (s: Loose) => void): Loose {
  const s = base();
  edit(s);
  return s;
}

/** [test name, edit, expected message (`path: problem`)] */
type Case = [string, (s: Loose) => void, string];

function expectCases(cases: Case[]): void {
  test.each(cases)("%s", (_name, edit, message) => {
    const error = errorFor(edited(edit));
    expect(error.message).toBe(message);
    expect(`${error.path}: ${error.problem}`).toBe(message);
  });
}

describe("a valid scenario", () => {
  test("is accepted and comes back with exactly its fields", () => {
    const s: Scenario = parseScenario(base());
    expect(s).toEqual(base());
  });

  test("is returned as a fresh object, so later edits of the input do not reach it", () => {
    const input = base();
    const s = parseScenario(input);
    input.nodes[0].id = "changed";
    expect(s.nodes[0].id).toBe("db1");
  });

  test("may have a script instead of a workload", () => {
    expect(() => parseScenario(edited((s) => delete s.workload))).not.toThrow();
  });

  test("may name frontend servers in crash, partition, cut and slow faults", () => {
    const s = edited((x) => {
      x.faults = [
        { atMs: 1, type: "crash", node: "app1" },
        { atMs: 2, type: "partition", groups: [["lb", "db1"], ["app1", "app2"]] },
        { atMs: 3, type: "cut", from: "lb", to: "app2", oneWay: true },
        { atMs: 4, type: "slow", from: "app1", to: "db1", latencyMs: { dist: "uniform", min: 1, max: 9 } },
      ];
    });
    expect(() => parseScenario(s)).not.toThrow();
  });
});

describe("the error", () => {
  test("is one line: file, path and problem, with absent parts left out", () => {
    const error = errorFor(edited((s) => (s.faults[0].node = "db9")), "cluster.json");
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error.name).toBe("ScenarioError");
    expect(error.file).toBe("cluster.json");
    expect(error.path).toBe("faults[0].node");
    expect(error.problem).toBe('"db9" is not a node of this cluster');
    expect(error.message).toBe('cluster.json: faults[0].node: "db9" is not a node of this cluster');
    expect(errorFor([]).message).toBe("a scenario must be a JSON object ({ ... }), got an array");
  });

  test("reports the problem that comes first in the file, whatever order the rules run in", () => {
    const broken = edited((s) => ((s.nodes[0].rol = 1), (s.seed = "x")));
    const { seed, nodes, ...rest } = broken;
    expect(errorFor({ seed, nodes, ...rest }).path).toBe("seed");
    expect(errorFor({ nodes, seed, ...rest }).path).toBe("nodes[0].rol");
  });

  test("quotes odd field names so that the path stays exact and on one line", () => {
    const error = errorFor(edited((s) => (s.nodes[0]["line\nbreak"] = 1)));
    expect(error.path).toBe('nodes[0]["line\\nbreak"]');
    expect(error.message).not.toContain("\n");
  });
});

describe("shape errors name the field and say what was expected", () => {
  expectCases([
    ["a misspelled field is rejected with a suggestion", (s) => ((s.nodes[1].rol = "replica"), delete s.nodes[1].role), 'nodes[1].rol: unknown field (did you mean "role"?)'],
    ["a field in the wrong case gets a suggestion", (s) => (s.workload.readratio = 0.5), 'workload.readratio: unknown field (did you mean "readRatio"?)'],
    ["an unknown field far from any real one is just unknown", (s) => (s.colour = "blue"), "colour: unknown field"],
    ["a field of another operation is named as such", (s) => (s.script[0] = { atMs: 1, op: "get", key: "k", value: 3 }), 'script[0].value: unknown field for operation "get"'],
    ["a wrong type says what it got", (s) => (s.seed = "5"), 'seed: expected a number, got a string ("5")'],
    ["an object where a number belongs", (s) => (s.durationMs = {}), "durationMs: expected a number, got an object"],
    ["a missing required field", (s) => delete s.replication, "replication: missing required field (expected an object)"],
    ["a missing required string", (s) => delete s.nodes[2].id, "nodes[2].id: missing required field (expected a string)"],
    ["a negative time", (s) => (s.faults[0].atMs = -1), "faults[0].atMs: must not be negative, got -1"],
    ["a duration of zero", (s) => (s.durationMs = 0), "durationMs: must be > 0, got 0"],
    ["a time beyond the supported range", (s) => (s.durationMs = 1e13), "durationMs: must be at most 1000000000000, got 10000000000000"],
    ["the string \"NaN\" is not a number", (s) => (s.durationMs = "NaN"), 'durationMs: expected a number, got a string ("NaN")'],
    ["NaN itself is not a number either", (s) => (s.durationMs = NaN), "durationMs: expected a finite number, got NaN"],
    ["1e400 (which JSON reads as Infinity) is not finite", (s) => (s.durationMs = JSON.parse("1e400")), "durationMs: expected a finite number, got Infinity"],
    ["a fractional seed", (s) => (s.seed = 1.5), "seed: expected a whole number, got 1.5"],
    ["a negative seed", (s) => (s.seed = -1), "seed: must not be negative, got -1"],
    ["a seed beyond exact integers", (s) => (s.seed = 2 ** 60), "seed: is too large to be an exact whole number (at most 9007199254740991), got 1152921504606847000"],
    ["maxEvents over 1e9", (s) => (s.maxEvents = 2e9), "maxEvents: must be at most 1000000000, got 2000000000"],
    ["maxEvents of zero", (s) => (s.maxEvents = 0), "maxEvents: must be >= 1, got 0"],
    ["more than 1000 nodes", (s) => (s.nodes = Array.from({ length: 1001 }, (_, i) => ({ id: `db${i}`, role: "replica" }))), "nodes: too many nodes (1001; at most 1000)"],
    ["no nodes at all", (s) => (s.nodes = []), "nodes: a cluster needs at least one node"],
    ["zero workers", (s) => (s.nodes[0].workers = 0), "nodes[0].workers: must be >= 1, got 0"],
    ["a fractional number of clients", (s) => (s.workload = { clients: 2.5, readRatio: 0.5, keys: 10 }), "workload.clients: expected a whole number, got 2.5"],
    ["zero keys", (s) => (s.workload.keys = 0), "workload.keys: must be >= 1, got 0"],
    ["a read ratio above 1", (s) => (s.workload.readRatio = 1.5), "workload.readRatio: must be at most 1, got 1.5"],
    ["a loss rate below 0", (s) => (s.network.links[0].lossRate = -0.1), "network.links[0].lossRate: must not be negative, got -0.1"],
    ["more than 1e7 operations per second", (s) => (s.workload.opsPerSec = 2e7), "workload.opsPerSec: must be at most 10000000, got 20000000"],
    ["an empty id", (s) => (s.nodes[1].id = ""), "nodes[1].id: must not be empty"],
    ["an id longer than 64 characters", (s) => (s.nodes[1].id = "d".repeat(65)), "nodes[1].id: is too long (65 characters; at most 64)"],
    ["an id with a space", (s) => (s.nodes[1].id = "db 2"), 'nodes[1].id: "db 2" is not a valid id (use only letters, digits and _ . : -)'],
    ["an empty client id in a script", (s) => (s.script[0].client = ""), "script[0].client: must not be empty"],
    ["an unknown role", (s) => (s.nodes[1].role = "secondary"), 'nodes[1].role: must be one of "primary", "replica", "witness" (got "secondary")'],
    ["a misspelled mode gets a suggestion", (s) => (s.replication.mode = "semisync"), 'replication.mode: must be one of "none", "async", "sync", "semi-sync", "multi-master", "quorum" (got "semisync"; did you mean "semi-sync"?)'],
    ["a missing format", (s) => delete s.format, 'format: missing required field; write "format": 1 (the version of the scenario format)'],
    ["a format from the future", (s) => (s.format = 2), "format: this version reads format 1 only, got 2"],
    ["an unknown distribution", (s) => (s.network.latencyMs = { dist: "gaussian", mean: 3 }), 'network.latencyMs.dist: unknown distribution "gaussian"; must be one of "constant", "uniform", "exponential", "lognormal"'],
    ["a misspelled distribution", (s) => (s.network.latencyMs = { dist: "expnential", mean: 3 }), 'network.latencyMs.dist: unknown distribution "expnential" (did you mean "exponential"?); must be one of "constant", "uniform", "exponential", "lognormal"'],
    ["a distribution without dist", (s) => (s.network.latencyMs = { mean: 3 }), 'network.latencyMs.dist: missing required field; must be one of "constant", "uniform", "exponential", "lognormal"'],
    ["a distribution with a field of another one", (s) => (s.network.latencyMs = { dist: "constant", mean: 3 }), "network.latencyMs.mean: unknown field for distribution \"constant\""],
    ["a negative constant", (s) => (s.network.latencyMs = { dist: "constant", value: -2 }), "network.latencyMs.value: must not be negative, got -2"],
    ["a uniform distribution with max below min", (s) => (s.network.latencyMs = { dist: "uniform", min: 5, max: 1 }), "network.latencyMs.max: must be >= min (5), got 1"],
    ["an exponential with mean 0", (s) => (s.network.latencyMs = { dist: "exponential", mean: 0 }), "network.latencyMs.mean: must be > 0, got 0"],
    ["a lognormal with negative sigma", (s) => (s.nodes[0].serviceTimeMs = { dist: "lognormal", mu: 0, sigma: -1 }), "nodes[0].serviceTimeMs.sigma: must not be negative, got -1"],
    ["an unknown fault type", (s) => (s.faults[0].type = "explode"), 'faults[0].type: unknown fault type "explode"; must be one of "crash", "restart", "disk-loss", "partition", "heal", "cut", "restore", "slow", "domain-failure", "random-crashes"'],
    ["an unknown script operation", (s) => (s.script[0].op = "delete"), 'script[0].op: unknown operation "delete"; must be one of "set", "add", "get", "set-now", "set-random", "promote"'],
    ["a set without a value", (s) => (s.script[0] = { atMs: 1, op: "set", key: "k" }), "script[0].value: missing required field (expected a number)"],
    ["an add without an amount", (s) => (s.script[0] = { atMs: 1, op: "add", key: "k" }), "script[0].amount: missing required field (expected a number)"],
    ["a partition with one group", (s) => (s.faults[0] = { atMs: 1, type: "partition", groups: [["db1"]] }), "faults[0].groups: a partition needs at least 2 groups, got 1"],
    ["a partition with an empty group", (s) => (s.faults[0] = { atMs: 1, type: "partition", groups: [["db1"], []] }), "faults[0].groups[1]: a group needs at least one node"],
    ["random crashes with a zero mean time between failures", (s) => (s.faults[1].mtbfMs = 0), "faults[1].mtbfMs: must be > 0, got 0"],
    ["a one-way flag that is not a boolean", (s) => (s.faults[0] = { atMs: 1, type: "cut", from: "db1", to: "db2", oneWay: "yes" }), 'faults[0].oneWay: expected true or false, got a string ("yes")'],
  ]);
});

describe("rules between fields are checked once the shape is right", () => {
  expectCases([
    ["a fault naming an unknown node", (s) => (s.faults[0].node = "db9"), 'faults[0].node: "db9" is not a node of this cluster'],
    ["a link naming an unknown node", (s) => (s.network.links[0].to = "db9"), 'network.links[0].to: "db9" is not a node of this cluster'],
    ["a script naming an unknown node", (s) => (s.script[0].node = "ghost"), 'script[0].node: "ghost" is not a node of this cluster'],
    ["a partition naming an unknown node", (s) => (s.faults[0] = { atMs: 1, type: "partition", groups: [["db1"], ["db2", "db9"]] }), 'faults[0].groups[1][1]: "db9" is not a node of this cluster'],
    ["random crashes of an unknown node", (s) => (s.faults[1].nodes = ["db3", "db7"]), 'faults[1].nodes[1]: "db7" is not a node of this cluster'],
    ["a duplicate node id", (s) => (s.nodes[2].id = "db1"), 'nodes[2].id: "db1" is used by nodes[0] too'],
    ["no primary", (s) => (s.nodes[0].role = "replica"), 'nodes: no node has role "primary"'],
    ["two primaries", (s) => (s.nodes[3].role = "primary"), 'nodes[3].role: a second primary ("db4"); db1 is already primary (only multi-master and quorum modes have several)'],
    ["a witness outside quorum mode", (s) => (s.nodes[2].role = "witness"), 'nodes[2].role: "witness" needs replication mode "quorum" (mode is "async")'],
    ["multi-master without a resolution", (s) => ((s.replication = { mode: "multi-master" }), s.nodes.forEach((n: { role: string }) => (n.role = "primary"))), 'replication.resolution: multi-master needs "resolution": "lww", "reject" or "merge"'],
    ["a quorum option in another mode", (s) => (s.replication.readQuorum = 2), 'replication.readQuorum: only quorum replication uses it (mode is "async")'],
    ["semi-sync with more acks than replicas", (s) => (s.replication = { mode: "semi-sync", acks: 4 }), "replication.acks: 4 is more than the 3 replicas"],
    ["semi-sync without acks", (s) => (s.replication = { mode: "semi-sync" }), 'replication.acks: semi-sync needs "acks": how many replicas must confirm each write (1 to 3)'],
    ["semi-sync without replicas", (s) => ((s.nodes = [s.nodes[0]]), (s.replication = { mode: "semi-sync", acks: 1 }), (s.faults = []), (s.script = []), (s.network.links = [])), "replication.mode: semi-sync needs at least one replica, and this cluster has none"],
    ["acks with async", (s) => (s.replication = { mode: "async", acks: 1 }), 'replication.acks: only semi-sync replication waits for a number of acks (mode is "async")'],
    ["a fallback to async outside sync", (s) => (s.replication = { mode: "semi-sync", acks: 1, fallbackToAsyncAfterMs: 500 }), 'replication.fallbackToAsyncAfterMs: only sync replication falls back to async (mode is "semi-sync")'],
    ["a load balancer with a database's id", (s) => (s.frontend.loadBalancer = "db1"), 'frontend.loadBalancer: "db1" is already the id of a database node (nodes[0])'],
    ["two app servers with one id", (s) => (s.frontend.appServers = ["app1", "app1"]), 'frontend.appServers[1]: "app1" is already the id of an app server (frontend.appServers[0])'],
    ["an app server with the load balancer's id", (s) => (s.frontend.appServers = ["app1", "lb"]), 'frontend.appServers[1]: "lb" is already the id of the load balancer (frontend.loadBalancer)'],
    ["disk loss of an app server, which holds no data", (s) => (s.faults[0] = { atMs: 1, type: "disk-loss", node: "app1" }), 'faults[0].node: "app1" is an app server, not a database node'],
    ["promoting the load balancer", (s) => (s.script[1].node = "lb"), 'script[1].node: "lb" is the load balancer, not a database node'],
    ["a failure of a domain no node is in", (s) => (s.faults[0] = { atMs: 1, type: "domain-failure", domain: "rack-z" }), 'faults[0].domain: no node is in domain "rack-z" (domains: "rack-a", "rack-b", "rack-c")'],
    ["partition groups that overlap", (s) => (s.faults[0] = { atMs: 1, type: "partition", groups: [["db1", "db2"], ["db2", "db3"]] }), 'faults[0].groups[1][0]: "db2" is already in groups[0]'],
    ["a fault after the end of the run", (s) => (s.faults[0].atMs = 70000), "faults[0].atMs: 70000 is after the end of the run (durationMs 60000)"],
    ["a script operation after the end of the run", (s) => (s.script[0].atMs = 60001), "script[0].atMs: 60001 is after the end of the run (durationMs 60000)"],
    ["random crashes whose window ends before it starts", (s) => Object.assign(s.faults[1], { fromMs: 5000, untilMs: 5000 }), "faults[1].untilMs: must be after fromMs (5000), got 5000"],
    ["random crashes listing a node twice", (s) => (s.faults[1].nodes = ["db3", "db3"]), 'faults[1].nodes[1]: "db3" is listed twice'],
    ["a heal with a duration", (s) => (s.faults[0] = { atMs: 1, type: "heal", durationMs: 5 }), 'faults[0].durationMs: a "heal" cannot be undone, so it takes no durationMs'],
    ["a link from a node to itself", (s) => (s.network.links[0].to = "db1"), 'network.links[0].to: a link joins two different servers, but both ends are "db1"'],
    ["two overrides of the same link", (s) => s.network.links.push({ from: "db1", to: "db2", lossRate: 0.1 }), "network.links[1]: a second override for db1 -> db2 (network.links[0] already sets it)"],
    ["neither a workload nor a script", (s) => (delete s.workload, delete s.script), "workload: a scenario needs a workload or a script"],
    ["an open and a closed loop at once", (s) => (s.workload.clients = 3), "workload: give either opsPerSec (open loop) or clients (closed loop), not both"],
    ["a workload with neither rate nor clients", (s) => delete s.workload.opsPerSec, "workload: give either opsPerSec (open loop) or clients (closed loop)"],
    ["think time in an open loop", (s) => (s.workload.thinkTimeMs = { dist: "constant", value: 1 }), 'workload.thinkTimeMs: only a closed-loop workload (with "clients") thinks between operations'],
    ["reads from replicas without replicas", (s) => ((s.nodes = [s.nodes[0]]), (s.workload.readFrom = "replicas"), (s.faults = []), (s.script = []), (s.network.links = [])), 'workload.readFrom: "replicas" needs at least one node with role "replica"'],
    ["a service time without workers", (s) => (s.nodes[1].serviceTimeMs = { dist: "constant", value: 1 }), 'nodes[1].serviceTimeMs: only used together with "workers" (without workers the node has unlimited capacity)'],
  ]);
});

describe("hostile input is rejected without harm", () => {
  const withKey = (key: string) => JSON.parse(`{"${key}": {"polluted": true}, "id": "db1", "role": "primary"}`);

  test.each(["__proto__", "constructor", "prototype"])("a %s key is a forbidden key, with its path", (key) => {
    expect(errorFor(edited((s) => (s.nodes[0] = withKey(key)))).message).toBe(`nodes[0].${key}: forbidden key`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a __proto__ key at the top is a forbidden key too", () => {
    const input = JSON.parse(`{"__proto__": {"seed": 1}, ${JSON.stringify(base()).slice(1)}`);
    expect(errorFor(input).message).toBe("__proto__: forbidden key");
  });

  test("10,000 levels of nested arrays as a field value are reported at the field", () => {
    const deep = JSON.parse("[".repeat(10_000) + "]".repeat(10_000));
    expect(errorFor(edited((s) => (s.name = deep))).message).toBe("name: expected a string, got an array");
    expect(errorFor(edited((s) => (s.nme = deep))).message).toBe('nme: unknown field (did you mean "name"?)');
    expect(errorFor(edited((s) => (s.nodes[0].serviceTimeMs.mean = deep))).message).toBe("nodes[0].serviceTimeMs.mean: expected a number, got an array");
  });

  test("the guard itself stops at a fixed depth instead of following the nesting", () => {
    const deep = JSON.parse("[".repeat(100_000) + "]".repeat(100_000));
    const problem = findHostileInput({ a: deep });
    expect(problem?.problem).toBe("nested too deeply (more than 32 levels)");
    expect(problem?.path).toEqual(["a", ...Array.from({ length: 32 }, () => 0)]);
  });

  test("a cycle built in code ends at the depth limit", () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(errorFor(edited((s) => (s.network = cycle))).message).toMatch(/^network: missing|^network\.self: unknown field/);
  });

  test("more than 100,000 script operations are rejected by size", () => {
    const ops = Array.from({ length: 100_001 }, () => ({ atMs: 1, op: "get", key: "k" }));
    expect(errorFor(edited((s) => (s.script = ops))).message).toBe("script: too many items (100001; at most 100000)");
  });

  test("more than 100,000 faults are rejected by size", () => {
    const faults = Array.from({ length: 100_001 }, () => ({ atMs: 1, type: "heal" }));
    expect(errorFor(edited((s) => (s.faults = faults))).message).toBe("faults: too many items (100001; at most 100000)");
  });

  test("objects that are not plain data are rejected", () => {
    expect(errorFor(edited((s) => (s.network = new Map()))).message).toBe("network: expected plain JSON data, got a Map");
  });
});
