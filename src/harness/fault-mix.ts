import type { FaultSpec, LinkSpec, Scenario } from "../scenario/types";
import { Random } from "../sim/random";

/**
 * Per seed, a fault schedule drawn from the enabled fault types, inside the safety phase. It comes
 * from its own stream (`harness/faults`), so the same seed always gets the same faults, and changing
 * a fault knob never reshuffles the workload or the network.
 *
 * Faults aim at named nodes (the schedule is plain scenario data, drawn before the run), with a bias
 * towards the initial primary `db1`: failovers only happen when the primary fails.
 */

export const HARNESS_FAULTS = [
  /** A node crashes (fail-stop, its disk survives) and restarts after a while. */
  "crash",
  /** The servers split in two groups that cannot reach each other (one node alone, or two halves). */
  "partition",
  /** One direction of one link between two nodes is cut. */
  "one-way-cut",
  /** One link (one or both directions) gets a much slower latency distribution. */
  "slow-link",
  /** Messages between servers are lost at random, for the whole run (a flaky network: it never heals). */
  "loss",
  /** A node crashes and its disk is destroyed: it comes back empty. */
  "disk-loss",
  /** A node's failure domain (its rack) fails: crash and data loss of every node in it. */
  "domain-failure",
  /** Every node crashes at random (exponential times between failures and to repair). */
  "random-crashes",
] as const;
export type HarnessFault = (typeof HARNESS_FAULTS)[number];

/** Every knob of the fault mix. Times are virtual milliseconds; units are last in the names. */
export interface FaultOptions {
  /** Fault types that may be drawn; each drawn fault picks one of them uniformly. */
  enabled: readonly HarnessFault[];
  /** Faults per run, drawn uniformly in [faultsMin, faultsMax]. */
  faultsMin: number;
  faultsMax: number;
  /** Timed faults start uniformly in [windowStartMs, windowEndMs] (inside the safety phase). */
  windowStartMs: number;
  windowEndMs: number;
  /**
   * How long a timed fault lasts, uniformly in [durationMsMin, durationMsMax]. One still active when
   * the safety phase ends is ended by the heal phase.
   */
  durationMsMin: number;
  durationMsMax: number;
  /** Probability that a fault aimed at one node aims at the initial primary rather than a replica. */
  primaryTargetRatio: number;
  /** `loss`: drop probability of each message, uniform in [lossRateMin, lossRateMax]. */
  lossRateMin: number;
  lossRateMax: number;
  /** `loss`: probability that it hits every server link rather than one link in both directions. */
  lossEverywhereRatio: number;
  /** `slow-link`: mean of the slow (exponential) latency, uniform in [slowLatencyMsMin, slowLatencyMsMax]. */
  slowLatencyMsMin: number;
  slowLatencyMsMax: number;
  /** `random-crashes`: mean time between failures of each node, and mean time to repair. */
  randomCrashMtbfMs: number;
  randomCrashMttrMs: number;
}

export const ALL_FAULTS: readonly HarnessFault[] = HARNESS_FAULTS;

/**
 * Faults that mean something with a single database: it has no links between servers to cut, slow
 * or make lossy, and with one node in one rack a domain failure is a disk loss.
 */
export const SINGLE_NODE_FAULTS: readonly HarnessFault[] = ["crash", "disk-loss", "random-crashes"];

export const DEFAULT_FAULT_OPTIONS: FaultOptions = {
  enabled: ALL_FAULTS,
  faultsMin: 1,
  faultsMax: 4,
  windowStartMs: 100,
  windowEndMs: 1700,
  durationMsMin: 100,
  durationMsMax: 900,
  primaryTargetRatio: 0.5,
  lossRateMin: 0.01,
  lossRateMax: 0.1,
  lossEverywhereRatio: 0.5,
  slowLatencyMsMin: 20,
  slowLatencyMsMax: 150,
  randomCrashMtbfMs: 2500,
  randomCrashMttrMs: 300,
};

/** One drawn fault: what it is (one line), the harness fault type, and how it enters the scenario. */
export interface ScheduledFault {
  kind: HarnessFault;
  description: string;
  /** Added to `scenario.faults` (absent for `loss`, which is a property of the network). */
  spec?: FaultSpec;
  /** `loss`: the link overrides or default loss rate it adds to `scenario.network`. */
  lossRate?: number;
  links?: LinkSpec[];
}

export interface FaultSchedule {
  faults: ScheduledFault[];
  /** Links slowed by the schedule, both directions listed, for the heal phase to restore. */
  slowLinks: [string, string][];
}

/** Draws the fault schedule of one seed. `nodes` are the database ids, the initial primary first. */
export function drawFaults(seed: number, nodes: readonly string[], options: FaultOptions = DEFAULT_FAULT_OPTIONS): FaultSchedule {
  validate(options);
  const random = new Random(seed, "harness/faults");
  const between = (min: number, max: number) => min + random.int(max - min + 1);
  const uniform = (min: number, max: number) => round1(min + random.next() * (max - min));
  const pick = <T>(list: readonly T[]): T => list[random.int(list.length)];
  const target = () => (nodes.length === 1 || random.chance(options.primaryTargetRatio) ? nodes[0] : pick(nodes.slice(1)));
  const other = (than: string) => pick(nodes.filter((n) => n !== than));
  const enabled = options.enabled.filter((k) => nodes.length > 1 || SINGLE_NODE_FAULTS.includes(k));
  const faults: ScheduledFault[] = [];
  const slowLinks: [string, string][] = [];
  if (enabled.length === 0) return { faults, slowLinks };
  const count = between(options.faultsMin, options.faultsMax);
  for (let i = 0; i < count; i++) {
    const kind = pick(enabled);
    const atMs = between(options.windowStartMs, options.windowEndMs);
    const durationMs = between(options.durationMsMin, options.durationMsMax);
    const span = `at ${atMs} ms for ${durationMs} ms`;
    switch (kind) {
      case "crash": {
        const node = target();
        faults.push({ kind, description: `crash ${node} ${span}`, spec: { type: "crash", node, atMs, durationMs } });
        break;
      }
      case "disk-loss": {
        const node = target();
        faults.push({ kind, description: `disk loss on ${node} ${span}`, spec: { type: "disk-loss", node, atMs, durationMs } });
        break;
      }
      case "domain-failure": {
        const node = target();
        const domain = `rack-${String.fromCharCode(97 + nodes.indexOf(node))}`;
        faults.push({ kind, description: `failure of ${domain} (${node}) ${span}`, spec: { type: "domain-failure", domain, atMs, durationMs } });
        break;
      }
      case "partition": {
        const groups = partitionGroups(random, nodes, target());
        const text = groups.map((g) => `[${g.join(" ")}]`).join(" | ");
        faults.push({ kind, description: `partition ${text} ${span}`, spec: { type: "partition", groups, atMs, durationMs } });
        break;
      }
      case "one-way-cut": {
        const a = target();
        const b = other(a);
        const [from, to] = random.chance(0.5) ? [a, b] : [b, a];
        faults.push({ kind, description: `cut ${from} -> ${to} (one way) ${span}`, spec: { type: "cut", from, to, oneWay: true, atMs, durationMs } });
        break;
      }
      case "slow-link": {
        const a = target();
        const b = other(a);
        const oneWay = random.chance(0.5);
        const meanMs = uniform(options.slowLatencyMsMin, options.slowLatencyMsMax);
        slowLinks.push([a, b]);
        if (!oneWay) slowLinks.push([b, a]);
        faults.push({
          kind,
          description: `slow ${a} ${oneWay ? "->" : "<->"} ${b} (mean ${meanMs} ms) ${span}`,
          spec: { type: "slow", from: a, to: b, oneWay, latencyMs: { dist: "exponential", mean: meanMs }, atMs, durationMs },
        });
        break;
      }
      case "loss": {
        if (faults.some((f) => f.kind === "loss")) break; // one loss profile per run
        const lossRate = round3(options.lossRateMin + random.next() * (options.lossRateMax - options.lossRateMin));
        if (random.chance(options.lossEverywhereRatio)) {
          faults.push({ kind, description: `loss ${lossRate} on every server link, whole run`, lossRate });
        } else {
          const a = target();
          const b = other(a);
          faults.push({
            kind,
            description: `loss ${lossRate} on ${a} <-> ${b}, whole run`,
            links: [
              { from: a, to: b, lossRate },
              { from: b, to: a, lossRate },
            ],
          });
        }
        break;
      }
      case "random-crashes": {
        if (faults.some((f) => f.kind === "random-crashes")) break; // one process per run is enough
        const { randomCrashMtbfMs: mtbfMs, randomCrashMttrMs: mttrMs, windowStartMs: fromMs, windowEndMs: untilMs } = options;
        faults.push({
          kind,
          description: `random crashes of every node (mtbf ${mtbfMs} ms, mttr ${mttrMs} ms) from ${fromMs} to ${untilMs} ms`,
          spec: { type: "random-crashes", nodes: [...nodes], mtbfMs, mttrMs, fromMs, untilMs },
        });
        break;
      }
    }
  }
  // Stable order by start time makes schedules easy to read (the nemesis numbers faults in this order).
  faults.sort((x, y) => startOf(x) - startOf(y));
  return { faults, slowLinks };
}

/** The scenario with its fault schedule: timed faults in `faults`, loss in `network`. */
export function withFaults(scenario: Scenario, schedule: FaultSchedule): Scenario {
  const specs = schedule.faults.flatMap((f) => (f.spec ? [f.spec] : []));
  const network = { ...scenario.network };
  for (const f of schedule.faults) {
    if (f.lossRate !== undefined) network.lossRate = f.lossRate;
    if (f.links) network.links = [...(network.links ?? []), ...f.links];
  }
  return { ...scenario, network, faults: [...(scenario.faults ?? []), ...specs] };
}

/** Merges partial options over the defaults (for command lines and tests). */
export function faultOptions(patch: Partial<FaultOptions> = {}): FaultOptions {
  return { ...DEFAULT_FAULT_OPTIONS, ...patch };
}

export function isHarnessFault(value: string): value is HarnessFault {
  return (HARNESS_FAULTS as readonly string[]).includes(value);
}

function partitionGroups(random: Random, nodes: readonly string[], alone: string): string[][] {
  if (nodes.length >= 4 && random.chance(0.5)) {
    // Two halves; the initial primary's half is drawn like any other.
    const shuffled = [...nodes];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const half = shuffled.length / 2;
    return [shuffled.slice(0, half).sort(), shuffled.slice(half).sort()];
  }
  return [[alone], nodes.filter((n) => n !== alone)];
}

function startOf(f: ScheduledFault): number {
  if (!f.spec) return -1;
  if (f.spec.type === "random-crashes") return f.spec.fromMs ?? 0;
  return f.spec.atMs;
}

function validate(o: FaultOptions): void {
  const problems: string[] = [];
  if (o.faultsMin < 0 || o.faultsMax < o.faultsMin) problems.push("need 0 <= faultsMin <= faultsMax");
  if (o.windowStartMs < 0 || o.windowEndMs < o.windowStartMs) problems.push("need 0 <= windowStartMs <= windowEndMs");
  if (o.durationMsMin < 1 || o.durationMsMax < o.durationMsMin) problems.push("need 1 <= durationMsMin <= durationMsMax");
  if (!(o.primaryTargetRatio >= 0 && o.primaryTargetRatio <= 1)) problems.push("primaryTargetRatio must be in [0, 1]");
  if (!(o.lossRateMin >= 0 && o.lossRateMax <= 1 && o.lossRateMin <= o.lossRateMax)) problems.push("need 0 <= lossRateMin <= lossRateMax <= 1");
  for (const k of o.enabled) if (!isHarnessFault(k)) problems.push(`unknown fault type "${k}"`);
  if (problems.length > 0) throw new Error(`invalid fault options: ${problems.join("; ")}`);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
