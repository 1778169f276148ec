import { clusterMode } from "./cluster-mode";
import type { FaultOptions } from "./fault-mix";
import { ATOMIC_COMMIT_2PC, ATOMIC_COMMIT_3PC } from "./mode-atomic-commit";
import { MVCC_MODE } from "./mode-mvcc";
import { SAGA_MODE } from "./mode-saga";
import { SHARDING_MODE } from "./mode-sharding";
import type { RunSeedInput, SeedResult } from "./run-seed";

/**
 * Every mode of the reliability harness, in report order. A mode is one object: what it is, the bugs
 * it accepts (to prove its invariants can fail), its fault knobs, its invariants, the protocol
 * situations its coverage counts (milestones), and how to run one seed.
 *
 * Adding a mode (sharding, say) is one new file, `src/harness/mode-sharding.ts`, exporting a
 * `HarnessModeDef` (see mode-saga.ts for the smallest one: build the seed's input from the seed, run
 * it, turn each broken invariant into a `Violation`, return a `SeedResult`), plus its line below and
 * a four-line test file `test/harness/mode-sharding.test.ts` calling `describeHarnessMode`. Soak,
 * `npm run reliability`, the report and the reproduction commands pick it up from this list.
 */
export interface HarnessModeDef {
  readonly name: string;
  /** "cluster": a Simulation with the harness fault mix; "transactions": a world of its own. */
  readonly family: "cluster" | "transactions";
  /** One line for reports. */
  readonly description: string;
  /** Deliberate bugs (or switched-off protocol options) this mode accepts. */
  readonly bugs: readonly string[];
  /** Protocol situations counted in `coverage.milestones`, in report order. */
  readonly milestones: readonly string[];
  /** Cluster fault knobs by default (`enabled` is empty for modes that draw their own faults). */
  defaultFaults(): FaultOptions;
  /** Its own faults, in words, when it does not use the cluster fault mix. */
  readonly faultsText?: string;
  /** The invariants checked on every run, by name and rule. */
  invariants(): { name: string; rule: string }[];
  run(input: RunSeedInput): SeedResult;
  /** Seeds the CI test runs (default CI_SEEDS_DEFAULT): fewer only when 1,000 do not fit the time budget. */
  readonly ciSeeds?: number;
}

/** Seeds per mode in CI. */
export const CI_SEEDS_DEFAULT = 1000;

export const HARNESS_MODE_DEFS: readonly HarnessModeDef[] = [
  clusterMode("none"),
  clusterMode("async"),
  clusterMode("sync"),
  clusterMode("semi-sync"),
  clusterMode("semi-sync-safe"),
  clusterMode("elections"),
  clusterMode("elections-async"),
  clusterMode("quorum"),
  ATOMIC_COMMIT_2PC,
  ATOMIC_COMMIT_3PC,
  MVCC_MODE,
  SAGA_MODE,
  SHARDING_MODE,
];

/** Every mode's name, in report order. */
export const HARNESS_MODES: readonly string[] = HARNESS_MODE_DEFS.map((m) => m.name);

export function isHarnessMode(value: string): boolean {
  return HARNESS_MODES.includes(value);
}

export function harnessMode(name: string): HarnessModeDef {
  const def = HARNESS_MODE_DEFS.find((m) => m.name === name);
  if (!def) throw new Error(`unknown harness mode "${name}" (one of ${HARNESS_MODES.join(", ")})`);
  return def;
}

/** Every bug some mode accepts. */
export const ALL_HARNESS_BUGS: readonly string[] = [...new Set(HARNESS_MODE_DEFS.flatMap((m) => m.bugs))];
