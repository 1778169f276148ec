import type { FaultWindow } from "../charts/types";
import { faultWindows } from "../metrics/operators/faults";
import { Simulation } from "../sim/simulation";
import { msToUs } from "../sim/time";
import { checkShardInvariants, type ShardInvariantOptions, type ShardInvariantView, type ShardViolation } from "./invariants";
import { ShardCounters } from "./metrics";
import { assignment, partitioning, type Partitioning } from "./partitioning";
import { Rebalancer } from "./rebalancer";
import { ROUTER_CLIENT, Router } from "./router";
import { ShardMap } from "./shard-map";
import { shardNames, shardScenario, shardSeed } from "./shard-scenario";
import { decideTransfers, planTransfers, TransferApplier, type Transfer, type TransferDecision } from "./transfers";
import type { ShardedScenario } from "./types";

/**
 * Deliberately broken variants, to show that the invariant check catches them (never scenario fields):
 * - `shard-ignores-ownership`: a shard executes writes for keys it does not own (no StaleConfig
 *   check), so a router with a stale map keeps writing to the old owner after a move;
 * - `move-without-freeze`: the source keeps accepting writes while its key is being copied, so
 *   writes that land after the copy are lost at the flip.
 */
export const SHARDING_BUGS = ["shard-ignores-ownership", "move-without-freeze"] as const;
export type ShardingBug = (typeof SHARDING_BUGS)[number];

export interface ShardedClusterOptions {
  /** Check `checkShardInvariants` between lockstep slices and at each move step (costs keys x shards per check). */
  checkInvariants?: boolean | ShardInvariantOptions;
  bugs?: readonly ShardingBug[];
  /** Lockstep slice (ms of virtual time). Default 1: the router reacts within a millisecond. */
  sliceMs?: number;
}

/** One shard: a name and the cluster engine that runs its replica set. */
export interface Shard {
  name: string;
  index: number;
  simulation: Simulation;
}

/** After the traffic, transfers get this long without new faults to apply every committed part. */
export const DEFAULT_SETTLE_MS = 30_000;

/**
 * A sharded cluster: one `Simulation` per shard (its replica set, with its own faults and
 * elections), all advanced in LOCKSTEP on one virtual clock in slices of `sliceMs`; between slices
 * the router, the rebalancer and the transfer coordinator act, and the invariant check runs.
 *
 * Why separate engines rather than one big cluster: a shard is exactly the replica set of the earlier
 * lessons, unchanged, and shards share nothing but the router in front of them (no messages cross
 * between shards), so running them side by side costs nothing in realism. The price is that the
 * router tier reacts at slice boundaries: at most `sliceMs` late, which is far below any network
 * latency in the scenarios.
 *
 * ```ts
 * const cluster = new ShardedCluster(loadShardedScenarioFile("data/scenarios/shard-blast-radius.json"));
 * cluster.shards[1].simulation.batches$.pipe(availabilityPerWindow(500)).subscribe(...);  // before run()
 * cluster.run();
 * ```
 */
export class ShardedCluster {
  readonly shards: Shard[];
  readonly map: ShardMap;
  readonly router: Router;
  readonly counters: ShardCounters[];
  readonly total: ShardCounters;
  readonly initialPartitioning: Partitioning;
  readonly rebalancer: Rebalancer | null;
  readonly transfers: readonly Transfer[];
  readonly decisions: readonly TransferDecision[];
  readonly applier: TransferApplier;
  readonly violations: ShardViolation[] = [];
  /** Invariant checks performed. */
  checks = 0;
  /** Writes executed by a shard that did not own the key at that moment (only the broken variants make any). */
  readonly nonOwnerWrites: number[];
  /** How long the engines run: the traffic, then (with transfers) the settle phase. */
  readonly runMs: number;
  readonly faults: FaultWindow[] = [];
  readonly keysOwnedAtStart: number[];
  private readonly bugs: ReadonlySet<ShardingBug>;
  private readonly sliceUs: number;
  private readonly invariantOptions: ShardInvariantOptions | null;
  private readonly commits: { atUs: number; account: number; delta: number }[];
  private nextCommit = 0;
  private rebalanceBegun = false;
  private clockUs = 0;
  private finished = false;

  constructor(
    readonly scenario: ShardedScenario,
    options: ShardedClusterOptions = {},
  ) {
    this.bugs = new Set(options.bugs ?? []);
    this.sliceUs = msToUs(options.sliceMs ?? 1);
    this.invariantOptions = options.checkInvariants ? (options.checkInvariants === true ? {} : options.checkInvariants) : null;
    this.runMs = scenario.durationMs + (scenario.transfers ? DEFAULT_SETTLE_MS : 0);
    const names = shardNames(scenario);
    const windowUs = msToUs(scenario.windowMs ?? 500);
    this.counters = names.map(() => new ShardCounters(windowUs));
    this.total = new ShardCounters(windowUs);
    this.nonOwnerWrites = names.map(() => 0);
    this.initialPartitioning = partitioning(scenario.shards.partitioning, scenario.shards.count, shardSeed(scenario.seed, "ring"));
    this.map = new ShardMap(assignment(this.initialPartitioning, scenario.keys));
    this.keysOwnedAtStart = this.map.keysOwned(names.length);
    this.shards = names.map((name, index) => ({ name, index, simulation: this.engine(name, index) }));
    for (const shard of this.shards) shard.simulation.batches$.pipe(faultWindows()).subscribe((w) => this.faults.push(...w));
    const engines = this.shards.map((s) => s.simulation);
    this.router = new Router(engines, this.map, this.counters, this.total, scenario.workload, scenario.seed, scenario.durationMs);
    this.rebalancer = scenario.rebalance ? new Rebalancer(this.map, engines, this.router, scenario.rebalance) : null;
    this.applier = new TransferApplier(this.router);
    this.transfers = scenario.transfers ? planTransfers(scenario, this.map.owner) : [];
    this.decisions = decideTransfers(scenario, this.transfers, scenario.shards.count, this.runMs);
    this.commits = this.commitSchedule();
  }

  /** A shard's engine, with the ownership guard and the router as an external client. */
  private engine(name: string, index: number): Simulation {
    return new Simulation(shardScenario(this.scenario, name, this.runMs), {
      externalClients: [ROUTER_CLIENT],
      keyGuard: (_node, key, write) => this.guard(index, key, write),
    });
  }

  /** The shard-side ownership check (MongoDB's shard version check), with the broken variants. */
  private guard(shard: number, key: number, write: boolean): boolean {
    const allowed = write ? this.map.acceptsWrite(shard, key) : this.map.acceptsRead(shard, key);
    if (allowed || !write) return allowed;
    const broken = this.bugs.has("shard-ignores-ownership") || (this.bugs.has("move-without-freeze") && this.map.owner[key] === shard);
    if (broken) this.nonOwnerWrites[shard]++;
    return broken;
  }

  /** Would this shard execute a client write to this key now (what `guard` answers, without counting)? */
  writable(shard: number, key: number): boolean {
    if (this.map.acceptsWrite(shard, key)) return true;
    return this.bugs.has("shard-ignores-ownership") || (this.bugs.has("move-without-freeze") && this.map.owner[key] === shard);
  }

  /** Each committed part of each transfer, in time order: when the shard must apply which change. */
  private commitSchedule(): { atUs: number; account: number; delta: number }[] {
    const parts = this.transfers.flatMap((t, i) => {
      const d = this.decisions[i];
      return [
        ...(d.commitAtMs[0] !== null ? [{ atUs: msToUs(d.commitAtMs[0]), account: t.from, delta: -t.amount }] : []),
        ...(d.commitAtMs[1] !== null ? [{ atUs: msToUs(d.commitAtMs[1]), account: t.to, delta: t.amount }] : []),
      ];
    });
    return parts.sort((a, b) => a.atUs - b.atUs);
  }

  get nowMs(): number {
    return this.clockUs / 1000;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Runs to the end (or, after the traffic, until every transfer is applied and nothing is in flight). */
  run(): this {
    this.runUntil(this.runMs);
    return this.finish();
  }

  /** Runs in lockstep slices until a virtual time (ms); call again to continue. */
  runUntil(timeMs: number): this {
    const untilUs = Math.min(msToUs(timeMs), msToUs(this.runMs));
    while (this.clockUs < untilUs && !this.finished) {
      const sliceEnd = Math.min(this.clockUs + this.sliceUs, untilUs);
      this.boundary(this.clockUs, sliceEnd);
      for (const shard of this.shards) shard.simulation.runUntil(sliceEnd / 1000);
      this.clockUs = sliceEnd;
      if (this.settled()) this.finish();
    }
    return this;
  }

  /** Ends the run: completes every engine's streams (fault windows are collected then). */
  finish(): this {
    if (this.finished) return this;
    this.finished = true;
    this.check();
    for (const shard of this.shards) shard.simulation.finish();
    this.faults.sort((a, b) => a.startMs - b.startMs || (a.label < b.label ? -1 : 1));
    return this;
  }

  /** What happens between slices: moves, committed transfer parts, the router's sends, the invariant check. */
  private boundary(fromUs: number, toUs: number): void {
    this.check();
    const rebalance = this.scenario.rebalance;
    if (this.rebalancer && rebalance && !this.rebalanceBegun && fromUs >= msToUs(rebalance.addShardAtMs)) {
      this.rebalanceBegun = true;
      this.rebalancer.begin(assignment(this.initialPartitioning.withShardAdded(), this.scenario.keys), fromUs);
    }
    this.rebalancer?.step(fromUs, () => this.check());
    while (this.nextCommit < this.commits.length && this.commits[this.nextCommit].atUs < toUs) {
      const c = this.commits[this.nextCommit++];
      this.applier.commit(c.account, c.delta, c.atUs);
    }
    this.router.sendDue(fromUs, toUs);
  }

  /** After the traffic: nothing left to apply, move or answer. */
  private settled(): boolean {
    if (this.clockUs < msToUs(this.scenario.durationMs)) return false;
    if (!this.scenario.transfers) return this.clockUs >= msToUs(this.runMs);
    const busy = this.nextCommit < this.commits.length || this.applier.unapplied > 0 || this.router.queued > 0 || this.rebalancer?.busy === true;
    return !busy && this.shards.every((s) => s.simulation.inFlight.size === 0);
  }

  /** The invariant check, when asked for; violations are collected (never thrown). */
  private check(): void {
    if (!this.invariantOptions) return;
    this.checks++;
    this.violations.push(...checkShardInvariants(this.invariantView(), this.invariantOptions));
  }

  /** A snapshot of ownership for `checkShardInvariants` (the reliability harness can call it too). */
  invariantView(): ShardInvariantView {
    return {
      keys: this.map.keys,
      shards: this.shards.length,
      writable: (shard, key) => this.writable(shard, key),
      owner: (key) => this.map.owner[key],
      blockedSinceMs: (key) => (this.map.isMoving(key) ? this.map.frozenAtUs[key] / 1000 : null),
      nowMs: this.nowMs,
    };
  }

  /** A key's value as its owner's primary holds it now (0 if never written; null if the owner has no live primary). */
  ownerValue(key: number): number | null {
    const engine = this.shards[this.map.owner[key]].simulation;
    const primary = engine.nodes[engine.directoryPrimary()];
    return primary && primary.up ? primary.store.valueOrZero(key) : null;
  }
}
