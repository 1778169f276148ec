import type { NodeSpec, ReplicationSpec, Scenario } from "../scenario/types";
import { Random } from "../sim/random";

/**
 * The clusters the reliability harness tortures: one small scenario template per replication mode.
 * Each run is short on purpose (a safety phase of about 2 s of virtual time at 200-350 operations per
 * second, then a heal phase), so a seed costs a few milliseconds and thousands of seeds fit in a test.
 *
 * The template fixes the shape (how many replicas, which ack rule, which promotion rule); the seed
 * varies the rest (latency, key count, read ratio, set or add) from its own stream, so every seed is a
 * slightly different cluster as well as a different fault schedule.
 */

export const HARNESS_MODES = ["none", "async", "sync", "semi-sync", "semi-sync-safe"] as const;
export type HarnessMode = (typeof HARNESS_MODES)[number];

/**
 * How the operator (operator.ts) chooses whom to promote when the primary is gone:
 * - `none`: nobody to promote (a single database);
 * - `most-up-to-date`: the live replica with the longest log (highest last term, then last index),
 *   as a DBA would, without knowing which writes were acknowledged;
 * - `holds-every-acknowledged-write`: only a replica whose log holds every acknowledged write, or
 *   nobody (the cluster waits, unavailable for writes, rather than lose one).
 */
export type PromotionRule = "none" | "most-up-to-date" | "holds-every-acknowledged-write";

export interface ModeTemplate {
  mode: HarnessMode;
  /** One line for reports. */
  description: string;
  replication: ReplicationSpec;
  replicaCount: number;
  promotionRule: PromotionRule;
  /**
   * True when losing an acknowledged write is a bug in this mode (sync; semi-sync with a promotion
   * rule that must pick a replica holding every acknowledged write). Otherwise the loss is measured,
   * and it must have been counted at risk.
   */
  promisesNoLoss: boolean;
}

export const MODE_TEMPLATES: { readonly [M in HarnessMode]: ModeTemplate } = {
  none: {
    mode: "none",
    description: "a single database, no replicas: a crash makes it unavailable, never wrong",
    replication: { mode: "none" },
    replicaCount: 0,
    promotionRule: "none",
    promisesNoLoss: false,
  },
  async: {
    mode: "async",
    description: "1 primary + 2 async replicas; the operator promotes the most up-to-date live replica",
    replication: { mode: "async" },
    replicaCount: 2,
    promotionRule: "most-up-to-date",
    promisesNoLoss: false,
  },
  sync: {
    mode: "sync",
    description: "1 primary + 2 sync replicas (every replica applies before the ack, no fallback); most up-to-date live replica promoted",
    replication: { mode: "sync" },
    replicaCount: 2,
    promotionRule: "most-up-to-date",
    promisesNoLoss: true,
  },
  "semi-sync": {
    mode: "semi-sync",
    description: "1 primary + 3 replicas, acks 1 of 3; most up-to-date live replica promoted (the acking replica may be down: loss measured)",
    replication: { mode: "semi-sync", acks: 1 },
    replicaCount: 3,
    promotionRule: "most-up-to-date",
    promisesNoLoss: false,
  },
  "semi-sync-safe": {
    mode: "semi-sync-safe",
    description: "1 primary + 3 replicas, acks 1 of 3; only a replica holding every acknowledged write is promoted (else wait)",
    replication: { mode: "semi-sync", acks: 1 },
    replicaCount: 3,
    promotionRule: "holds-every-acknowledged-write",
    promisesNoLoss: true,
  },
};

/** The two phases of a run, in virtual milliseconds. */
export interface PhaseOptions {
  /** Workload and faults run from 0 to here; then the heal phase starts. */
  safetyMs: number;
  /** The heal phase must reach convergence within this long, or the run fails (unless rightly unavailable). */
  convergenceMsMax: number;
  /** The operator and the state invariants run between slices of this length. */
  sliceMs: number;
}

export const DEFAULT_PHASES: PhaseOptions = { safetyMs: 2000, convergenceMsMax: 5000, sliceMs: 50 };

/** Client timeout: short, so a blocked sync cluster frees its clients quickly. */
const TIMEOUT_MS = 500;

export function isHarnessMode(value: string): value is HarnessMode {
  return (HARNESS_MODES as readonly string[]).includes(value);
}

/**
 * The scenario of one seed for one mode, without faults (fault-mix.ts adds them). Node `db1` is the
 * initial primary; every node has its own failure domain (`rack-a`, `rack-b`, ...).
 */
export function scenarioFor(mode: HarnessMode, seed: number, phases: PhaseOptions = DEFAULT_PHASES): Scenario {
  const template = MODE_TEMPLATES[mode];
  const random = new Random(seed, "harness/scenario");
  const between = (min: number, max: number) => min + random.int(max - min + 1);
  const latencyMeanMs = between(2, 5);
  const opsPerSec = between(200, 350);
  const readPercent = between(10, 50);
  const keys = between(5, 20);
  const writeOp = random.chance(0.5) ? "add" : "set";
  const node = (i: number): NodeSpec => ({
    id: `db${i + 1}`,
    role: i === 0 ? "primary" : "replica",
    domain: `rack-${String.fromCharCode(97 + i)}`,
    // Finite capacity: a replica applies entries one at a time on a worker, so it really lags.
    workers: 4,
    serviceTimeMs: { dist: "exponential", mean: 0.3 },
  });
  return {
    format: 1,
    name: `harness-${mode}`,
    description: `reliability harness: ${template.description}`,
    seed,
    // The heal phase ends at convergence; this is only the outer bound.
    durationMs: phases.safetyMs + phases.convergenceMsMax + phases.sliceMs,
    nodes: Array.from({ length: 1 + template.replicaCount }, (_, i) => node(i)),
    replication: { ...template.replication },
    network: { latencyMs: { dist: "exponential", mean: latencyMeanMs } },
    workload: { opsPerSec, readRatio: readPercent / 100, keys, writeOp, timeoutMs: TIMEOUT_MS, stopAtMs: phases.safetyMs },
  };
}
