import { readdirSync, readFileSync } from "fs";
import { join, resolve } from "path";
import { expect, test } from "vitest";
import { parseScenario, ScenarioError, type Scenario } from "../../src/scenario";
import { Random } from "../../src/sim/random";

/**
 * Mutation fuzzing of the validator: thousands of broken variants of real scenarios, from a SEEDED
 * generator, so every failure can be replayed (`FUZZ_SEED=42 npx vitest run test/scenario/fuzz.test.ts`).
 * Whatever the input, the validator must either accept a scenario that obeys every rule, or throw a
 * ScenarioError whose one-line message names a place that exists in the input.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 42);
const MUTANTS = 10_000;

type Json = unknown;
type Segment = string | number;

const SCENARIOS = resolve(__dirname, "../../data/scenarios");

/** Every shipped scenario, plus one that uses the parts of the format they leave out. */
const corpus: Json[] = [
  ...readdirSync(SCENARIOS)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(SCENARIOS, f), "utf8")) as Json),
  {
    format: 1,
    name: "everything",
    seed: 3,
    durationMs: 10000,
    maxEvents: 1000000,
    nodes: [
      { id: "db1", role: "primary", domain: "rack-a", workers: 2, serviceTimeMs: { dist: "uniform", min: 1, max: 3 }, queueLimit: 10 },
      { id: "db2", role: "replica", domain: "rack-b" },
      { id: "db3", role: "replica", domain: "rack-b" },
    ],
    replication: { mode: "semi-sync", acks: 2, heartbeatMs: 50, logRetentionEntries: 1000 },
    network: {
      latencyMs: { dist: "lognormal", mu: 1, sigma: 0.5 },
      lossRate: 0.01,
      clientLatencyMs: { dist: "constant", value: 3 },
      links: [{ from: "db1", to: "db3", lossRate: 0.2 }],
    },
    frontend: { loadBalancer: "lb", appServers: ["app1", "app2"], healthCheckMs: 500 },
    workload: { clients: 4, thinkTimeMs: { dist: "exponential", mean: 10 }, readRatio: 0.3, keys: 5, writeOp: "add", readFrom: "any", timeoutMs: 800, stopAtMs: 9000 },
    script: [
      { atMs: 100, op: "set", key: "k", value: 5, client: "alice", node: "lb" },
      { atMs: 200, op: "add", key: "k", amount: -3, floor: 0, timeoutMs: 100 },
      { atMs: 300, op: "get", key: "k", node: "db2" },
      { atMs: 400, op: "promote", node: "db2" },
    ],
    faults: [
      { atMs: 1000, type: "partition", groups: [["db1", "lb"], ["db2", "db3"]], durationMs: 500 },
      { atMs: 2000, type: "heal" },
      { atMs: 3000, type: "cut", from: "db1", to: "db2", oneWay: true },
      { atMs: 3500, type: "restore", from: "db1", to: "db2" },
      { atMs: 4000, type: "slow", from: "app1", to: "db1", latencyMs: { dist: "constant", value: 50 } },
      { atMs: 5000, type: "disk-loss", node: "db3" },
      { atMs: 6000, type: "domain-failure", domain: "rack-b", durationMs: 1000 },
      { atMs: 7000, type: "restart", node: "db3" },
      { type: "random-crashes", nodes: ["app2", "db2"], mtbfMs: 3000, mttrMs: 300, fromMs: 100, untilMs: 9000 },
    ],
  },
];

// ---- Mutations ----

/** A place in a mutant: a container and a key in it (the root lives in a one-field holder). */
interface Place {
  parent: Record<string, Json> | Json[];
  key: string | number;
}

const ODD_VALUES: Json[] = ["5", "NaN", "", 5, -1, 0, 0.5, true, false, null, [], {}, "db1", [1, 2], { dist: "constant" }];
const ODD_NUMBERS = [1e308, -1, -0.001, 0.5, 1.5, 0, -0, 1e21, 2 ** 53, 1e9 + 1, 1e12 + 1, 1e7 + 1, Infinity, -Infinity, NaN, 1e-300, 1001, 100001];
const UNKNOWN_IDS = ["db9", "ghost", "app9", "rack-z", "lb", "app1", "rack-a", "db 1", "x".repeat(65)];
const FIELD_NAMES = ["rol", "lantencyMs", "atms", "zzz", "Seed", "durationMS", "nodes ", "node", "acks", "clients", "thinkTimeMs", "fallbackToAsyncAfterMs", "value", "amount", "durationMs", "domain"];
const FORBIDDEN = ["__proto__", "constructor", "prototype"];
const TAGS = ["primary", "replica", "witness", "none", "async", "sync", "semi-sync", "quorum", "set", "add", "get", "promote", "crash", "partition", "heal", "slow", "random-crashes", "constant", "uniform", "gaussian"];

type Mutation = (place: Place, random: Random, mutant: Json) => void;

const pick = <T>(random: Random, items: readonly T[]): T => items[random.int(items.length)];

function get(place: Place): Json {
  return (place.parent as Record<string | number, Json>)[place.key];
}

function set(place: Place, value: Json): void {
  (place.parent as Record<string | number, Json>)[place.key] = value;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Nested arrays `depth` deep, built without recursion. */
function nested(depth: number): Json {
  let value: Json = [];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** Every value of the same JSON type somewhere in the mutant (ids, times, enum tags...), to swap in. */
function valuesLike(mutant: Json, like: Json): Json[] {
  return places(mutant)
    .map(get)
    .filter((v) => typeof v === typeof like && !isObject(v) && !Array.isArray(v));
}

const MUTATIONS: Record<string, Mutation> = {
  changeType: (p, r) => set(p, structuredClone(pick(r, ODD_VALUES))),
  remove: (p) => (Array.isArray(p.parent) ? p.parent.splice(p.key as number, 1) : delete p.parent[p.key as string]),
  addUnknownField: (p, r) => {
    const v = get(p);
    if (isObject(v)) v[pick(r, FIELD_NAMES)] = structuredClone(pick(r, ODD_VALUES));
  },
  oddNumber: (p, r) => set(p, pick(r, ODD_NUMBERS)),
  scaleNumber: (p, r) => {
    const v = get(p);
    if (typeof v === "number") set(p, v * pick(r, [10, 1000, -1, 0.5, 1e6]));
  },
  unknownId: (p, r) => set(p, pick(r, UNKNOWN_IDS)),
  otherTag: (p, r) => set(p, pick(r, TAGS)),
  forbiddenKey: (p, r) => {
    const v = get(p);
    const target = isObject(v) ? v : isObject(p.parent) ? p.parent : undefined;
    if (target !== undefined) {
      Object.defineProperty(target, pick(r, FORBIDDEN), { value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    }
  },
  deepNesting: (p, r) => set(p, nested(40 + r.int(3000))),
  swapArrayAndObject: (p) => {
    const v = get(p);
    if (Array.isArray(v)) set(p, Object.fromEntries(v.map((item, i) => [String(i), item])));
    else if (isObject(v)) set(p, Object.values(v));
  },
  emptyString: (p) => set(p, ""),
  duplicateItem: (p, r) => {
    const v = get(p);
    // Shared, not cloned: the validator never mutates, and a clone of a deep mutant would overflow.
    if (Array.isArray(v) && v.length > 0) v.push(v[r.int(v.length)]);
    else if (Array.isArray(p.parent)) p.parent.push(v);
  },
  swapInSibling: (p, r, mutant) => {
    const like = valuesLike(mutant, get(p));
    if (like.length > 0) set(p, pick(r, like));
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** Every place inside `root` (at most 5000), breadth first. */
function places(root: Json): Place[] {
  const holder = { root };
  const found: Place[] = [{ parent: holder, key: "root" }];
  for (let i = 0; i < found.length && found.length < 5000; i++) {
    const v = get(found[i]);
    if (Array.isArray(v)) v.forEach((_, k) => found.push({ parent: v, key: k }));
    else if (isObject(v)) Object.keys(v).forEach((k) => found.push({ parent: v, key: k }));
  }
  return found.slice(1);
}

/** One mutant: a corpus scenario with 1 to 3 random mutations. The root itself is mutated rarely. */
function mutant(random: Random): { value: Json; mutations: string[] } {
  const holder: { root: Json } = { root: structuredClone(pick(random, corpus)) };
  const applied: string[] = [];
  for (let n = 1 + random.int(3); n > 0; n--) {
    const candidates = random.chance(0.01) ? [{ parent: holder, key: "root" } as Place] : placesIn(holder);
    const name = pick(random, MUTATION_NAMES);
    MUTATIONS[name](pick(random, candidates), random, holder.root);
    applied.push(name);
  }
  return { value: holder.root, mutations: applied };
}

function placesIn(holder: { root: Json }): Place[] {
  const all = places(holder.root);
  return all.length > 0 ? all : [{ parent: holder, key: "root" }];
}

// ---- Checks ----

/** Parses a path as ScenarioError prints it: `faults[2].groups[0][1]`, `nodes[0]["odd key"]`. */
function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path.startsWith('["', i)) {
      let j = i + 2;
      while (path[j] !== '"') j += path[j] === "\\" ? 2 : 1;
      segments.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
      i = j + 2;
    } else if (path[i] === "[") {
      const j = path.indexOf("]", i);
      segments.push(Number(path.slice(i + 1, j)));
      i = j + 1;
    } else {
      if (path[i] === ".") i++;
      const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(path.slice(i));
      if (name === null) throw new Error(`unparseable path ${JSON.stringify(path)}`);
      segments.push(name[0]);
      i += name[0].length;
    }
  }
  return segments;
}

/** The container at `path` in `root`, or undefined when some step is missing. */
function walk(root: Json, path: readonly Segment[]): { found: boolean; value: Json } {
  let value = root;
  for (const segment of path) {
    if (typeof value !== "object" || value === null || !Object.prototype.hasOwnProperty.call(value, segment)) {
      return { found: false, value: undefined };
    }
    value = (value as Record<string | number, Json>)[segment];
  }
  return { found: true, value };
}

const ZOD_WORDING = /Invalid input|Invalid option|Invalid discriminator|received|Too (small|big)|Unrecognized key|expected \w+ to (be|have)|ZodError|\bat .*\.ts:\d+/;

/** What is wrong with an error thrown for `input` (undefined when nothing is). */
function errorDefect(error: ScenarioError, input: Json): string | undefined {
  if (/[\r\n]/.test(error.message)) return "the message is not one line";
  if (error.message !== (error.path === "" ? error.problem : `${error.path}: ${error.problem}`)) return "message is not path: problem";
  if (ZOD_WORDING.test(error.message)) return "zod wording or a stack trace leaked";
  if (error.path === "") return isObject(input) && !error.problem.startsWith("the scenario is too large") ? "no path" : undefined;
  const path = parsePath(error.path);
  if (walk(input, path).found) return undefined;
  const parent = walk(input, path.slice(0, -1));
  const isContainer = typeof parent.value === "object" && parent.value !== null;
  return parent.found && isContainer ? undefined : `path ${error.path} is neither in the input nor a missing field of it`;
}

/** The rules between fields, written again independently: an accepted scenario must obey them all. */
function ruleViolations(s: Scenario): string[] {
  const v: string[] = [];
  const rule = (ok: boolean, what: string) => ok || v.push(what);
  const dbIds = s.nodes.map((n) => n.id);
  const replicas = s.nodes.filter((n) => n.role === "replica").length;
  const frontend = s.frontend === undefined ? [] : [s.frontend.loadBalancer, ...s.frontend.appServers];
  const servers = new Set([...dbIds, ...frontend]);
  const domains = new Set(s.nodes.map((n) => n.domain));
  rule(new Set(dbIds).size === dbIds.length, "unique node ids");
  rule(servers.size === dbIds.length + frontend.length, "unique server ids");
  const manyPrimaries = s.replication.mode === "multi-master" || s.replication.mode === "quorum";
  const primaries = s.nodes.filter((n) => n.role === "primary").length;
  rule(manyPrimaries ? primaries >= 1 : primaries === 1, "one primary (several only in multi-master and quorum)");
  rule(s.replication.mode === "quorum" || s.nodes.every((n) => n.role !== "witness"), "witnesses only in quorum mode");
  const { mode, acks, fallbackToAsyncAfterMs } = s.replication;
  rule(mode === "semi-sync" ? acks !== undefined && acks >= 1 && acks <= replicas : acks === undefined, "acks");
  rule(fallbackToAsyncAfterMs === undefined || mode === "sync", "fallback only with sync");
  rule(s.workload !== undefined || (s.script ?? []).length > 0, "workload or script");
  if (s.workload) {
    rule((s.workload.opsPerSec === undefined) !== (s.workload.clients === undefined), "open xor closed loop");
    rule(s.workload.thinkTimeMs === undefined || s.workload.clients !== undefined, "think time only closed loop");
  }
  for (const link of s.network.links ?? []) rule(servers.has(link.from) && servers.has(link.to), "link ends exist");
  for (const op of s.script ?? []) {
    rule(op.atMs <= s.durationMs, "script in the run");
    if (op.node !== undefined) rule(op.op === "promote" ? dbIds.includes(op.node) : servers.has(op.node), "script node exists");
  }
  for (const f of s.faults ?? []) {
    if (f.type === "random-crashes") {
      rule(f.nodes.every((n) => servers.has(n)), "random crash nodes exist");
      rule(f.fromMs === undefined || f.untilMs === undefined || f.fromMs < f.untilMs, "window");
      continue;
    }
    rule(f.atMs <= s.durationMs, "fault in the run");
    if ("node" in f) rule(f.type === "disk-loss" ? dbIds.includes(f.node) : servers.has(f.node), "fault node exists");
    if ("from" in f) rule(servers.has(f.from) && servers.has(f.to), "fault link ends exist");
    if (f.type === "domain-failure") rule(domains.has(f.domain), "domain exists");
    if (f.type === "partition") {
      const all = f.groups.flat();
      rule(f.groups.length >= 2 && f.groups.every((g) => g.length > 0), "two non-empty groups");
      rule(new Set(all).size === all.length && all.every((n) => servers.has(n)), "disjoint groups of known nodes");
    }
  }
  return v;
}

test(`10,000 mutated scenarios (seed ${SEED}) are either valid or rejected with one exact line`, () => {
  const random = new Random(SEED, "fuzz");
  let accepted = 0;
  const problems = new Set<string>();
  for (let i = 0; i < MUTANTS; i++) {
    const { value, mutations } = mutant(random);
    const where = `seed ${SEED} mutant ${i} (${mutations.join(", ")})`;
    let result: Scenario;
    try {
      result = parseScenario(value);
    } catch (error) {
      if (!(error instanceof ScenarioError)) {
        throw new Error(`${where}: threw ${String(error)} instead of a ScenarioError`, { cause: error });
      }
      const defect = errorDefect(error, value);
      expect(defect, `${where}: ${error.message}`).toBeUndefined();
      problems.add(error.problem.replace(/"[^"]*"|-?[0-9][0-9.e+]*/g, "_"));
      continue;
    }
    accepted++;
    expect(ruleViolations(result), `${where}: accepted but breaks rules`).toEqual([]);
    expect(result, `${where}: accepted but changed`).toEqual(value);
  }
  // The fuzzer is only worth something if it reaches both outcomes and many different rules.
  expect(accepted, `seed ${SEED}: accepted mutants`).toBeGreaterThan(MUTANTS * 0.05);
  expect(accepted, `seed ${SEED}: accepted mutants`).toBeLessThan(MUTANTS * 0.6);
  expect(problems.size, `seed ${SEED}: kinds of problems found`).toBeGreaterThan(60);
});
