import { parseAtomicCommitScenario, runAtomicCommit, type AtomicCommitScenario } from "../txn/commit";
import type { CommitFaultSpec } from "../txn/commit/scenario-types";
import { Random } from "../sim/random";
import { msToUs } from "../sim/time";
import type { Router } from "./router";
import type { ShardedScenario, TransfersSpec } from "./types";

export const DEFAULT_INITIAL_BALANCE = 1000;
const DEFAULT_AMOUNT = 10;
const RETRY_MS = 20;

/** One transfer between two accounts that live on different shards. */
export interface Transfer {
  id: number;
  atMs: number;
  from: number;
  to: number;
  amount: number;
  fromShard: number;
  toShard: number;
}

/** What 2PC decided for one transfer, and when each participant (shard) learned it. */
export interface TransferDecision {
  outcome: "commit" | "abort" | "in-doubt";
  /** Per participant (0: the debited shard, 1: the credited shard): when it committed (ms), or null. */
  commitAtMs: [number | null, number | null];
}

/**
 * The transfers of a run, drawn up front from their own random stream: Poisson arrivals, two
 * distinct accounts whose shards differ (at the start), a fixed amount.
 */
export function planTransfers(s: ShardedScenario, owners: Int32Array): Transfer[] {
  const spec = s.transfers as TransfersSpec;
  const accounts = spec.accounts ?? s.keys;
  const random = new Random(s.seed, "sharding/transfers");
  const stopMs = Math.min(spec.stopAtMs ?? Infinity, s.durationMs);
  const out: Transfer[] = [];
  let atMs = 0;
  for (;;) {
    atMs += Math.max(0.001, Math.round((-Math.log(1 - random.next()) / spec.perSec) * 1e6) / 1000);
    if (atMs >= stopMs) return out;
    const pair = crossShardPair(random, accounts, owners);
    if (pair) out.push({ id: out.length + 1, atMs, ...pair, amount: spec.amount ?? DEFAULT_AMOUNT, fromShard: owners[pair.from], toShard: owners[pair.to] });
  }
}

function crossShardPair(random: Random, accounts: number, owners: Int32Array): { from: number; to: number } | null {
  for (let attempt = 0; attempt < 100; attempt++) {
    const from = random.int(accounts);
    const to = random.int(accounts);
    if (owners[from] !== owners[to]) return { from, to };
  }
  return null; // every account on one shard: nothing crosses shards
}

/**
 * Decides every transfer with the atomic-commit engine (src/txn/commit), unchanged: its participants
 * p1..pN are the shards, each transfer is one transaction writing the two accounts' keys (key
 * "k<shard + N*account>" lives on participant p<shard+1>, by that engine's placement rule), the
 * network is the sharded scenario's, and a shard whose whole replica set is down is a crashed
 * participant. 2PC's locks serialise transfers that share an account; its votes and timeouts
 * decide commit or abort. The shards then apply each participant's part when it commits.
 */
export function decideTransfers(s: ShardedScenario, transfers: readonly Transfer[], shardCount: number, runMs: number): TransferDecision[] {
  if (transfers.length === 0) return [];
  const result = runAtomicCommit(parseAtomicCommitScenario(commitScenario(s, transfers, shardCount, runMs)), { recordEvents: true });
  const commitAt = new Map<string, number>();
  for (const e of result.events ?? []) if (e.type === "commit" && !commitAt.has(`${e.txn}/${e.node}`)) commitAt.set(`${e.txn}/${e.node}`, e.timeMs);
  // Fixed transactions arrive in list order (distinct, increasing times): transaction i+1 is transfer i.
  return transfers.map((t, i) => {
    const outcome = result.outcomes[i];
    const parts: [number | null, number | null] = [commitAt.get(`${i + 1}/p${t.fromShard + 1}`) ?? null, commitAt.get(`${i + 1}/p${t.toShard + 1}`) ?? null];
    const decided = Object.values(outcome?.decisions ?? {});
    const fate = outcome && outcome.inDoubt.length > 0 ? "in-doubt" : decided.includes("commit") ? "commit" : "abort";
    return { outcome: fate, commitAtMs: parts };
  });
}

/** The atomic-commit scenario whose participants are the shards. */
export function commitScenario(s: ShardedScenario, transfers: readonly Transfer[], shardCount: number, runMs: number): AtomicCommitScenario {
  const accounts = s.transfers?.accounts ?? s.keys;
  const key = (shard: number, account: number) => `k${shard + shardCount * account}`;
  const faults: CommitFaultSpec[] = (s.faults ?? []).flatMap((f) =>
    f.type === "shard-down" && Number(f.shard.slice(1)) <= shardCount
      ? [{ type: "crash" as const, node: `p${f.shard.slice(1)}`, atMs: f.atMs, ...(f.durationMs !== undefined ? { durationMs: f.durationMs } : {}) }]
      : [],
  );
  return {
    format: 1,
    kind: "atomic-commit",
    name: `${s.name}/transfers`,
    seed: s.seed,
    durationMs: runMs,
    protocol: "2pc",
    participants: shardCount,
    network: { latencyMs: s.network.latencyMs, ...(s.network.lossRate !== undefined ? { lossRate: s.network.lossRate } : {}) },
    workload: { keys: shardCount * accounts, transactions: transfers.map((t) => ({ atMs: t.atMs, keys: [key(t.fromShard, t.from), key(t.toShard, t.to)] })) },
    ...(faults.length > 0 ? { faults } : {}),
  };
}

/**
 * Applies committed parts of transfers to the shards' stores, the way a prepared participant must:
 * durably and exactly once. Each account has a queue (2PC's lock already serialised its transfers);
 * the head is applied as read-then-set through the router, and the `set` of the computed balance is
 * retried until acknowledged (a repeated `set` of the same value is harmless, a repeated `add` is not).
 * Balances are stored as the change from the initial balance (stores start at 0).
 */
export class TransferApplier {
  /** Parts committed but not yet acknowledged by their shard (their amounts are "in flight"). */
  unapplied = 0;
  unappliedAmount = 0;
  applied = 0;
  private readonly queues = new Map<number, { delta: number }[]>();

  constructor(private readonly router: Router) {}

  /** A participant committed: its account must change by `delta`. */
  commit(account: number, delta: number, atUs: number): void {
    this.unapplied++;
    this.unappliedAmount += delta;
    const queue = this.queues.get(account) ?? [];
    queue.push({ delta });
    this.queues.set(account, queue);
    if (queue.length === 1) this.read(account, atUs);
  }

  private read(account: number, atUs: number): void {
    this.router.request(
      { command: "get", key: account, startUs: atUs, attempts: 0, maxRetries: Infinity, counted: false, onFinal: (ok, value, _shard) => (ok ? this.write(account, zeroIfAbsent(value) + this.head(account).delta, this.now(atUs)) : this.read(account, this.now(atUs) + msToUs(RETRY_MS))) },
      atUs,
    );
  }

  private write(account: number, balance: number, atUs: number): void {
    this.router.request(
      { command: "set", key: account, value: balance, startUs: atUs, attempts: 0, maxRetries: Infinity, counted: false, onFinal: (ok) => (ok ? this.done(account, this.now(atUs)) : this.write(account, balance, this.now(atUs) + msToUs(RETRY_MS))) },
      atUs,
    );
  }

  private done(account: number, atUs: number): void {
    const queue = this.queues.get(account)!;
    const { delta } = queue.shift()!;
    this.unapplied--;
    this.unappliedAmount -= delta;
    this.applied++;
    if (queue.length > 0) this.read(account, atUs);
  }

  private head(account: number): { delta: number } {
    return this.queues.get(account)![0];
  }

  /** The router answers inside a shard's slice; the next step goes at least as late as the answer. */
  private now(fallbackUs: number): number {
    return Math.max(fallbackUs, this.router.clockUs());
  }
}

/** A balance never written reads as NaN ("absent"): it is the initial balance, a change of 0. */
function zeroIfAbsent(value: number): number {
  return Number.isNaN(value) ? 0 : value;
}
