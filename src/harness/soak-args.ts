import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { DEFAULT_FAULT_OPTIONS, isHarnessFault, type FaultOptions, type HarnessFault } from "./fault-mix";
import type { HarnessMode } from "./modes";
import { ALL_HARNESS_BUGS, harnessMode, HARNESS_MODES, isHarnessMode } from "./registry";

/**
 * The command line of `npm run soak`:
 *
 *   npm run soak -- [--seeds N] [--from S] [--mode M]... [--seed N] [--bug B]...
 *                   [--faults a,b,...] [--fault knob=value]... [--workers W] [--artifacts K]
 *
 * `--seeds N` runs seeds S .. S+N-1 (S from `--from`, default 1). Without `--mode`, each seed's mode
 * comes from the seed itself (one seed drives everything); with one or more `--mode`, the seeds are
 * spread over those modes the same way. `--seed N` runs that one seed in this process, prints it in
 * full and writes its artifacts: it is what every reproduction command uses.
 */

export const SOAK_USAGE =
  "npm run soak -- [--seeds N] [--from S] [--mode M]... [--seed N] [--bug B]... [--faults a,b,...] [--fault knob=value]... [--workers W] [--artifacts K]";

export class UsageError extends Error {}

export interface SoakArgs {
  /** How many seeds (ignored with `seed`). */
  seeds: number;
  /** First seed. */
  from: number;
  /** Modes to spread seeds over (all when none was given). */
  modes: HarnessMode[];
  /** One seed to run in full, or null. */
  seed: number | null;
  bugs: string[];
  /** Fault knobs given on the command line (over each mode's defaults). */
  faults: Partial<FaultOptions>;
  /** Worker threads (default: every core). */
  workers: number;
  /** At most this many failing seeds get their artifacts written. */
  artifacts: number;
}

const NUMERIC_KNOBS = (Object.keys(DEFAULT_FAULT_OPTIONS) as (keyof FaultOptions)[]).filter((k) => k !== "enabled");

export function parseSoakArgs(argv: readonly string[], cores = availableParallelism()): SoakArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        seeds: { type: "string" },
        from: { type: "string" },
        mode: { type: "string", multiple: true },
        seed: { type: "string" },
        bug: { type: "string", multiple: true },
        faults: { type: "string" },
        fault: { type: "string", multiple: true },
        workers: { type: "string" },
        artifacts: { type: "string" },
      },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (usage: ${SOAK_USAGE})`);
  }
  const modes = (values.mode ?? []).flatMap((m) => m.split(",")).filter((m) => m !== "");
  for (const m of modes) if (!isHarnessMode(m)) throw new UsageError(`unknown mode "${m}" (one of ${HARNESS_MODES.join(", ")})`);
  const bugs = (values.bug ?? []).flatMap((b) => b.split(",")).filter((b) => b !== "");
  for (const b of bugs) if (!ALL_HARNESS_BUGS.includes(b)) throw new UsageError(`unknown bug "${b}" (one of ${ALL_HARNESS_BUGS.join(", ")})`);
  const modeList = modes.length > 0 ? [...new Set(modes)] : [...HARNESS_MODES];
  // With bugs, only the modes that accept them (a bug of one engine means nothing to another).
  const fitting = bugs.length > 0 ? modeList.filter((m) => bugs.every((b) => harnessMode(m).bugs.includes(b))) : modeList;
  if (fitting.length === 0) throw new UsageError(`no mode ${modes.length > 0 ? "given " : ""}accepts ${bugs.join(", ")}`);
  const faults: Partial<FaultOptions> = {};
  if (values.faults !== undefined) faults.enabled = parseFaultList(values.faults);
  for (const pair of values.fault ?? []) {
    const [key, raw, ...rest] = pair.split("=");
    if (raw === undefined || rest.length > 0) throw new UsageError(`--fault expects knob=value, got "${pair}"`);
    if (!(NUMERIC_KNOBS as string[]).includes(key)) throw new UsageError(`unknown fault knob "${key}" (one of ${NUMERIC_KNOBS.join(", ")})`);
    (faults as Record<string, number>)[key] = number(`--fault ${key}`, raw, false);
  }
  return {
    seeds: values.seeds === undefined ? 1000 : integer("--seeds", values.seeds, 1),
    from: values.from === undefined ? 1 : integer("--from", values.from, 0),
    modes: fitting as HarnessMode[],
    seed: values.seed === undefined ? null : integer("--seed", values.seed, 0),
    bugs: [...new Set(bugs)],
    faults,
    workers: values.workers === undefined ? Math.max(1, cores) : integer("--workers", values.workers, 1),
    artifacts: values.artifacts === undefined ? 10 : integer("--artifacts", values.artifacts, 0),
  };
}

/** The mode a seed runs in when seeds are spread over several modes. */
export function modeOfSeed(seed: number, modes: readonly HarnessMode[]): HarnessMode {
  return modes[seed % modes.length];
}

function parseFaultList(text: string): HarnessFault[] {
  if (text === "none") return [];
  const list = text.split(",").filter((f) => f !== "");
  for (const f of list) if (!isHarnessFault(f)) throw new UsageError(`unknown fault type "${f}"`);
  return list as HarnessFault[];
}

function integer(flag: string, raw: string, min: number): number {
  const n = number(flag, raw, true);
  if (n < min) throw new UsageError(`${flag} must be at least ${min}, got ${raw}`);
  return n;
}

function number(flag: string, raw: string, integerOnly: boolean): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || (integerOnly && !Number.isSafeInteger(n))) throw new UsageError(`${flag} expects ${integerOnly ? "an integer" : "a number"}, got "${raw}"`);
  return n;
}
