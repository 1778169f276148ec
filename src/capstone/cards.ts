/**
 * Requirement cards: what a product needs from its database, in plain words and in numbers.
 *
 * A card is the brief a client hands an architect: the story ("a bank ledger: every payment counts"),
 * the traffic it must carry, the faults it must survive (a fixed schedule, so everyone is graded on
 * the same bad day), and the requirements the design is graded against. A card says nothing about
 * HOW to meet them: that is the learner's architecture (`architecture.ts`).
 *
 * The numbers were chosen by running designs against each card (see test/capstone/): each card has a
 * design that passes and typical designs that fail for one clear reason.
 */
import type { Distribution, NetworkSpec } from "../scenario/types";

/** What a requirement measures. Every metric is computed from the run's result summary (`measure.ts`). */
export type Metric =
  /** Acknowledged writes missing at the end (the summary's `lostAcknowledgedWrites`). */
  | "lostAcknowledgedWrites"
  /** Operations answered ok / operations attempted (0..1). */
  | "availability"
  /** p99 latency of acknowledged writes, ms. */
  | "writeP99Ms"
  /** p99 latency of successful reads, ms. */
  | "readP99Ms"
  /** Reads that returned a value older than a write acknowledged before the read began. */
  | "staleReads"
  /** How old the stalest read was: how long before the read the write it missed had been acknowledged, ms (0 if no read was stale). */
  | "stalenessMsMax"
  /** Report queries answered ok / report queries that finished (ok or failed; 0..1). */
  | "reportsCompletedRatio"
  /** Operations answered ok per second on a normal day: over the run, outside the card's fault windows. */
  | "opsPerSec"
  /** During the card's outage window: the fraction of requests that failed (0..1): the blast radius. */
  | "outageFailedRatio";

/** One requirement: a metric with a bound, and what it means for the product. */
export interface Requirement {
  metric: Metric;
  /** The measured value must be at most this... */
  atMost?: number;
  /** ...or at least this. */
  atLeast?: number;
  /** The requirement as the product owner says it: "no acknowledged payment is ever lost". */
  says: string;
}

/**
 * The faults of a card's bad day, in terms of roles rather than node ids, so they apply to any
 * architecture: "the primary" is the node that is primary at the start (in a sharded design, shard
 * s1's), "a replica" is the first replica, "the replica set" is every node that holds one copy of the
 * data (a whole cluster, or one shard's replica set: a rack losing power).
 */
export type CardFault =
  | { kind: "primary-crash"; atMs: number; durationMs?: number }
  | { kind: "replica-crash"; atMs: number; durationMs?: number }
  | { kind: "replica-set-down"; atMs: number; durationMs: number };

/** The traffic of a card (the parts of a workload the product decides; routing is the architect's). */
export interface CardWorkload {
  opsPerSec: number;
  readRatio: number;
  keys: number;
  writeOp: "set" | "add";
  timeoutMs: number;
  /** Report queries (a monthly sales report), if the product runs any. Where they run is the architect's choice. */
  reports?: { queriesPerSec: number; serviceTimeMs: Distribution; timeoutMs?: number };
}

/** What one database server can do (every data node of every design gets the same hardware). */
export interface CardHardware {
  workers: number;
  serviceTimeMs: Distribution;
  queueLimit?: number;
}

export interface RequirementCard {
  id: string;
  title: string;
  /** The product and why it needs what it needs, in plain words. */
  story: string;
  seed: number;
  durationMs: number;
  workload: CardWorkload;
  /** Absent: servers with unlimited capacity (latency comes from the network only). */
  hardware?: CardHardware;
  network: NetworkSpec;
  faults: CardFault[];
  requirements: Requirement[];
  /** Most shards a design may use for this card (1: the product fits one replica set). */
  maxShards: number;
}

const bankLedger: RequirementCard = {
  id: "bank-ledger",
  title: "Bank ledger",
  story:
    "Every write is a payment: money moved from one account to another. A customer who was told " +
    "\"payment done\" must never find it gone, whatever crashes. The ledger must stay up through a " +
    "server failure, and a payment may take a little longer, but not much.",
  seed: 7,
  durationMs: 12000,
  workload: { opsPerSec: 300, readRatio: 0.5, keys: 200, writeOp: "add", timeoutMs: 500 },
  network: { latencyMs: { dist: "exponential", mean: 5 }, clientLatencyMs: { dist: "constant", value: 1 } },
  faults: [{ kind: "primary-crash", atMs: 4000, durationMs: 3000 }],
  requirements: [
    { metric: "lostAcknowledgedWrites", atMost: 0, says: "no acknowledged payment is ever lost" },
    { metric: "availability", atLeast: 0.9, says: "at least 90% of requests succeed, crash included" },
    { metric: "writeP99Ms", atMost: 100, says: "99% of payments are confirmed within 100 ms" },
    { metric: "staleReads", atMost: 0, says: "a balance never misses a payment that was confirmed" },
  ],
  maxShards: 1,
};

const socialFeed: RequirementCard = {
  id: "social-feed",
  title: "Social feed",
  story:
    "People scroll far more than they post: 95 of every 100 requests are reads. A post or a like " +
    "that shows up a second late harms nobody, but a feed that is slow or down loses users. One " +
    "server can answer about 2,000 requests a second; the feed gets 3,000.",
  seed: 3,
  durationMs: 6000,
  workload: { opsPerSec: 3000, readRatio: 0.95, keys: 1000, writeOp: "set", timeoutMs: 500 },
  hardware: { workers: 2, serviceTimeMs: { dist: "exponential", mean: 1 } },
  network: { latencyMs: { dist: "exponential", mean: 2 }, clientLatencyMs: { dist: "constant", value: 1 } },
  faults: [{ kind: "replica-crash", atMs: 3000, durationMs: 1500 }],
  requirements: [
    { metric: "availability", atLeast: 0.99, says: "at least 99% of requests succeed" },
    { metric: "readP99Ms", atMost: 30, says: "99% of feed reads answer within 30 ms" },
    { metric: "stalenessMsMax", atMost: 2000, says: "a stale read misses posts by at most 2 s" },
  ],
  maxShards: 1,
};

const analyticsWarehouse: RequirementCard = {
  id: "analytics-warehouse",
  title: "Analytics warehouse",
  story:
    "An online shop takes orders all day (writes, and reads of the order pages), and its analysts " +
    "run heavy reports on the same data: 4 a second, each keeping a server busy for half a second. " +
    "Orders must stay fast while reports run, and the reports must finish.",
  seed: 1,
  durationMs: 5000,
  workload: {
    opsPerSec: 1000, readRatio: 0.7, keys: 100, writeOp: "set", timeoutMs: 1000,
    reports: { queriesPerSec: 4, serviceTimeMs: { dist: "constant", value: 500 }, timeoutMs: 5000 },
  },
  hardware: { workers: 4, serviceTimeMs: { dist: "exponential", mean: 1 } },
  network: { latencyMs: { dist: "exponential", mean: 1 }, clientLatencyMs: { dist: "constant", value: 1 } },
  faults: [],
  requirements: [
    { metric: "writeP99Ms", atMost: 20, says: "99% of orders are confirmed within 20 ms" },
    { metric: "readP99Ms", atMost: 20, says: "99% of order pages load within 20 ms" },
    { metric: "reportsCompletedRatio", atLeast: 0.95, says: "at least 95% of reports finish" },
  ],
  maxShards: 1,
};

const foodDelivery: RequirementCard = {
  id: "food-delivery",
  title: "Food-delivery app",
  story:
    "Orders, restaurant updates and courier positions: 3,000 requests a second, mostly writes. One " +
    "server can answer about 2,000 a second, so no single primary can take every write. When a rack " +
    "loses power and a whole replica set goes down for 4 s, only the users whose data lives there " +
    "may notice: everyone else keeps ordering.",
  seed: 5,
  durationMs: 10000,
  workload: { opsPerSec: 3000, readRatio: 0.3, keys: 300, writeOp: "set", timeoutMs: 500 },
  hardware: { workers: 2, serviceTimeMs: { dist: "exponential", mean: 1 } },
  network: { latencyMs: { dist: "exponential", mean: 2 }, clientLatencyMs: { dist: "constant", value: 1 } },
  faults: [{ kind: "replica-set-down", atMs: 5000, durationMs: 4000 }],
  requirements: [
    { metric: "opsPerSec", atLeast: 2850, says: "on a normal day, at least 2,850 requests a second are answered" },
    { metric: "writeP99Ms", atMost: 100, says: "99% of order updates are confirmed within 100 ms" },
    { metric: "outageFailedRatio", atMost: 0.4, says: "while a replica set is down, at most 40% of requests fail" },
  ],
  maxShards: 8,
};

/** The four cards of the design studio, in the order the notebook uses them. */
export const CARDS: readonly RequirementCard[] = [bankLedger, socialFeed, analyticsWarehouse, foodDelivery];

/** A card by id; throws a one-line error listing the ids that exist. */
export function card(id: string): RequirementCard {
  const found = CARDS.find((c) => c.id === id);
  if (!found) throw new RangeError(`no requirement card "${id}" (cards: ${CARDS.map((c) => c.id).join(", ")})`);
  return found;
}

/** A requirement's bound in words: "at most 60", "at least 0.95". */
export function boundText(r: Requirement): string {
  if (r.atMost !== undefined) return `≤ ${formatValue(r.metric, r.atMost)}`;
  if (r.atLeast !== undefined) return `≥ ${formatValue(r.metric, r.atLeast)}`;
  return "(no bound)";
}

/** A metric's value for people: ratios as percentages, times in ms, counts as integers. */
export function formatValue(metric: Metric, value: number | null): string {
  if (value === null) return "n/a";
  switch (metric) {
    case "availability":
    case "reportsCompletedRatio":
    case "outageFailedRatio":
      return `${(100 * value).toFixed(1)}%`;
    case "writeP99Ms":
    case "readP99Ms":
    case "stalenessMsMax":
      return `${round1(value)} ms`;
    case "opsPerSec":
      return `${Math.round(value)}/s`;
    case "lostAcknowledgedWrites":
    case "staleReads":
      return String(value);
  }
}

/** The card's fault schedule in words, one line per fault. */
export function describeFaults(c: RequirementCard): string[] {
  return c.faults.map((f) => {
    const at = `${seconds(f.atMs)}`;
    const back = f.durationMs !== undefined ? ` (back at ${seconds(f.atMs + f.durationMs)})` : " (for good)";
    switch (f.kind) {
      case "primary-crash": return `${at}: the primary crashes${back}`;
      case "replica-crash": return `${at}: a replica crashes${back}`;
      case "replica-set-down": return `${at}: one replica set loses power, every node in it is down${back}`;
    }
  });
}

function seconds(ms: number): string {
  return `${round1(ms / 1000)} s`;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** A card as text for a notebook: title, story, traffic, faults and requirements. */
export function cardText(c: RequirementCard): string {
  const w = c.workload;
  const traffic = `${w.opsPerSec} requests/s, ${Math.round(100 * w.readRatio)}% reads, ${w.keys} keys, client timeout ${w.timeoutMs} ms` +
    (w.reports ? `; ${w.reports.queriesPerSec} reports/s` : "") +
    (c.hardware ? `; each server: ${c.hardware.workers} workers` : "; servers with unlimited capacity");
  return [
    `${c.title} (${c.id}, seed ${c.seed}, ${c.durationMs / 1000} s)`,
    `  ${c.story}`,
    `  traffic: ${traffic}`,
    `  bad day: ${c.faults.length ? describeFaults(c).join("; ") : "no faults"}`,
    ...c.requirements.map((r) => `  requirement: ${r.says} (${r.metric} ${boundText(r)})`),
  ].join("\n");
}
