import { sum } from "lodash";
import { ShardedCluster, SHARDING_BUGS, type ShardingBug } from "../sharding/cluster";
import { summarizeSharded } from "../sharding/run";
import type { ShardedFaultSpec, ShardedScenario } from "../sharding/types";
import { Random } from "../sim/random";
import { emptyCoverage } from "./coverage";
import { faultOptions } from "./fault-mix";
import type { Violation } from "./invariants";
import type { HarnessModeDef } from "./registry";
import type { RunSeedInput, SeedResult } from "./run-seed";
import { worldSeedResult } from "./world-seed-result";

/**
 * Sharding under the harness: per seed, 2-4 shards (each a replica set with elections) behind a
 * router, a partitioning strategy, a workload of `add`s, and most seeds add a shard while traffic
 * flows, with crashes and whole-shard outages drawn from the seed. Between every 1 ms slice (and at
 * every move step) the sharding engine checks ownership; at the end the harness checks that the
 * rebalance finished, every key has exactly one owner, and the adds on the owners are all there.
 *
 * Writes are `add +1`, so the sum of every key's value on its owner's primary counts the adds that
 * took effect: it may not exceed the adds attempted (a move duplicated nothing) and, where the
 * replication promises no loss (sync), not fall below the adds acknowledged (a move lost nothing);
 * with async shards, adds may go missing only where a shard's own failover lost acknowledged writes.
 */

/** Traffic and faults stop here; the run goes on to SETTLE_MS so moves and failovers can finish. */
const TRAFFIC_MS = 1500;
const RUN_MS = 3000;

export interface ShardingSeed {
  scenario: ShardedScenario;
  /** The replication of every shard promises no lost acknowledged write (the lower bound applies). */
  noLossPromised: boolean;
  /** Longest no-writable-owner window allowed: the copy, plus the outages a move may wait out. */
  maxBlockedMs: number;
}

function partitioningFor(random: Random, shards: number, keys: number): ShardedScenario["shards"]["partitioning"] {
  const strategy = (["range", "hash", "consistent-hash"] as const)[random.int(3)];
  if (strategy === "hash") return { strategy };
  if (strategy === "consistent-hash") return { strategy, virtualNodes: [4, 16, 64][random.int(3)] };
  const size = Math.ceil(keys / shards);
  return { strategy, ranges: Array.from({ length: shards }, (_, i) => ({ from: i * size, to: Math.min(keys, (i + 1) * size) - 1 })) };
}

function faultsFor(random: Random, shards: number): { faults: ShardedFaultSpec[]; outagesMs: number } {
  const faults: ShardedFaultSpec[] = [];
  let outagesMs = 0;
  const count = random.int(3);
  for (let i = 0; i < count; i++) {
    const shard = 1 + random.int(shards);
    const atMs = 100 + random.int(TRAFFIC_MS - 300);
    const durationMs = 200 + random.int(600);
    if (random.chance(0.3)) faults.push({ type: "shard-down", shard: `s${shard}`, atMs, durationMs });
    else faults.push({ type: "crash", node: `s${shard}-db${1 + random.int(3)}`, atMs, durationMs });
    outagesMs += durationMs;
  }
  return { faults, outagesMs };
}

/** The sharded cluster, workload, rebalance and faults of one seed. */
export function shardingSeed(seed: number): ShardingSeed {
  const random = new Random(seed, "harness/sharding");
  const shards = 2 + random.int(3);
  const keys = 30 + random.int(90);
  const mode = random.chance(0.5) ? "sync" : "async";
  const { faults, outagesMs } = faultsFor(random, shards);
  const rebalance = random.chance(0.8) ? { addShardAtMs: 200 + random.int(800), moveMsPerKey: 1 + random.int(3), parallelMoves: 2 + random.int(7) } : undefined;
  const scenario: ShardedScenario = {
    format: 1,
    kind: "sharded",
    name: `harness-sharding-${shards}-shards-${mode}`,
    seed,
    durationMs: RUN_MS,
    keys,
    shards: {
      count: shards,
      partitioning: partitioningFor(random, shards, keys),
      replicaSet: { replicas: 2, replication: { mode, failover: { electionTimeoutMs: 150, clientRefreshMs: 100 } } },
    },
    network: { latencyMs: { dist: "exponential", mean: 1 + random.int(3) } },
    workload: { opsPerSec: 200 + random.int(300), readRatio: random.int(5) / 10, writeOp: "add", timeoutMs: 300, stopAtMs: TRAFFIC_MS },
    faults,
    ...(rebalance ? { rebalance } : {}),
  };
  // A move out of a shard with no primary waits for its failover or its return, perhaps through every
  // outage in turn (a crash, then the whole shard down), each followed by an election.
  return { scenario, noLossPromised: mode === "sync", maxBlockedMs: 300 + outagesMs + 500 * Math.max(1, faults.length) };
}

function runShardingSeed(input: RunSeedInput): SeedResult {
  const { scenario, noLossPromised, maxBlockedMs } = shardingSeed(input.seed);
  const bugs = [...(input.bugs ?? [])];
  const engineBugs = bugs.filter((b): b is ShardingBug => (SHARDING_BUGS as readonly string[]).includes(b));
  const cluster = new ShardedCluster(scenario, { bugs: engineBugs, checkInvariants: { maxBlockedMs } });
  // Recorded runs (failure reports) keep every shard's events, each tagged with its shard.
  const history: object[] = [];
  if (input.record) for (const shard of cluster.shards) shard.simulation.events$.subscribe((e) => history.push({ shard: shard.name, ...e }));
  cluster.run();
  const summary = summarizeSharded(cluster);
  const violations: Violation[] = cluster.violations.map((v) => ({
    invariant: v.kind === "blocked-too-long" ? "bounded-no-owner-window" : "one-writable-owner",
    timeMs: v.atMs,
    node: v.shards.map((s) => `s${s + 1}`).join(",") || null,
    message: v.message,
  }));
  const end = (invariant: string, message: string) => violations.push({ invariant, timeMs: summary.virtualTimeMs, node: null, message });

  if (summary.rebalance && summary.rebalance.finishedAtMs === null) end("rebalance-finishes", `the rebalance started at ${summary.rebalance.startedAtMs} ms had not finished by ${summary.virtualTimeMs} ms`);
  const owned = sum(Object.values(summary.keysOwned));
  if (owned !== scenario.keys) end("keys-conserved", `${owned} keys owned at the end, ${scenario.keys} in the key space`);

  const onOwners = sum(Array.from({ length: scenario.keys }, (_, k) => cluster.ownerValue(k) ?? 0));
  const attempted = cluster.total.writesOk + cluster.total.writesFailed + cluster.router.writesInFlight;
  if (onOwners > attempted) end("no-add-duplicated", `the owners hold ${onOwners} adds, more than the ${attempted} attempted: a move or a retry applied some twice`);
  const lostByEngines = sum(Object.values(summary.engine).map((e) => e.lostAcknowledgedWrites));
  const missing = cluster.total.writesOk - onOwners;
  if (noLossPromised && missing > 0) {
    end("no-acknowledged-add-lost", `the owners hold ${onOwners} adds, fewer than the ${cluster.total.writesOk} acknowledged (sync replication promises none lost)`);
  } else if (missing > 0 && lostByEngines === 0) {
    // Not `missing <= lostByEngines`: a lost install of a moved key is one write carrying many adds.
    end("lost-adds-explained", `${missing} acknowledged adds are missing from the owners, but no shard lost an acknowledged write in a failover: a move lost them`);
  }

  const failovers = sum(Object.values(summary.engine).map((e) => e.failovers));
  const coverage = emptyCoverage({
    rebalance: summary.rebalance ? 1 : 0,
    "keys-moved": summary.rebalance?.keysMoved ?? 0,
    "wrong-shard-retry": summary.wrongShardAnswers,
    "move-waited-for-failover": summary.rebalance?.copyWaits ?? 0,
    "shard-failover": failovers,
    "shard-down": (scenario.faults ?? []).filter((f) => f.type === "shard-down").length,
  });
  coverage.failovers = failovers;
  if ((scenario.faults ?? []).some((f) => f.type === "crash" || f.type === "shard-down")) coverage.faultsFired.push("crash");
  return worldSeedResult({
    input,
    mode: "sharding",
    bugs,
    violations: violations.slice(0, 10),
    violationCount: violations.length + Math.max(0, summary.invariants.violations - cluster.violations.length),
    convergenceMs: summary.rebalance?.finishedAtMs == null ? 0 : Math.max(0, Math.round(summary.rebalance.finishedAtMs - (scenario.rebalance?.addShardAtMs ?? 0))),
    coverage,
    faults: (scenario.faults ?? []).map((f) => JSON.stringify(f)),
    actions: summary.rebalance ? [`added s${scenario.shards.count + 1} at ${scenario.rebalance?.addShardAtMs} ms: ${summary.rebalance.keysMoved} keys moved`] : [],
    totals: { acknowledged: cluster.total.writesOk, lost: Math.max(0, cluster.total.writesOk - onOwners), atRisk: lostByEngines },
    events: summary.events,
    eventHash: summary.eventHash,
    recorded: () => ({ scenario, history }),
  });

}

export const SHARDING_MODE: HarnessModeDef = {
  name: "sharding",
  family: "transactions",
  description: "2-4 shards (primary + 2 replicas each, elections, sync or async) behind a router; most seeds add a shard while add-traffic flows",
  faultsText: "0-2 faults drawn per seed: a node crash (primary or replica, 200-800 ms) or a whole shard down (30%), during the traffic; the run continues fault-free to 3 s",
  bugs: SHARDING_BUGS,
  milestones: ["rebalance", "keys-moved", "wrong-shard-retry", "move-waited-for-failover", "shard-failover", "shard-down"],
  defaultFaults: () => faultOptions({ enabled: [] }),
  invariants: () => [
    { name: "one-writable-owner", rule: "at every 1 ms slice and move step, at most one shard would execute a write to a key, and every key has an owner" },
    { name: "bounded-no-owner-window", rule: "a moving key is without a writable owner for at most the copy plus the outages it may wait out (each with an election)" },
    { name: "rebalance-finishes", rule: "a rebalance started during the traffic has moved every key by the end of the run" },
    { name: "keys-conserved", rule: "at the end every key is owned by exactly one shard" },
    { name: "no-add-duplicated", rule: "the adds on the owners' primaries never exceed the adds attempted" },
    { name: "no-acknowledged-add-lost", rule: "sync shards: the adds on the owners' primaries are at least the adds acknowledged" },
    { name: "lost-adds-explained", rule: "async shards: acknowledged adds go missing from the owners only in runs where a shard lost acknowledged writes in a failover" },
  ],
  run: runShardingSeed,
};
