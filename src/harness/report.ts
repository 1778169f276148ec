import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FaultOptions } from "./fault-mix";
import type { HarnessMode } from "./modes";
import { defaultFaultsFor, type SeedResult } from "./run-seed";

/**
 * Failure reporting: every failure says how to reproduce it. It prints the seed, the mode, the fault
 * schedule and the exact command that runs that seed again, and writes the run's scenario and its
 * event history (readable events, one JSON object per line) under `build/harness/` (git-ignored).
 */

export const ARTIFACT_ROOT = join("build", "harness");

export interface ReproInput {
  mode: HarnessMode;
  seed: number;
  bugs?: readonly string[];
  /** Fault types, when not the mode's default set. */
  faults?: Partial<FaultOptions>;
}

/**
 * The command that reruns one seed: `npm run soak -- --mode sync --seed 123 [--bug B] [--faults a,b]
 * [--fault knob=value]`, naming every fault knob that differs from the mode's defaults.
 */
export function reproCommand(input: ReproInput): string {
  const parts = ["npm run soak --", "--mode", input.mode, "--seed", String(input.seed)];
  for (const bug of input.bugs ?? []) parts.push("--bug", bug);
  const defaults = defaultFaultsFor(input.mode);
  const enabled = input.faults?.enabled;
  if (enabled && enabled.join(",") !== defaults.enabled.join(",")) parts.push("--faults", enabled.length ? enabled.join(",") : "none");
  for (const key of Object.keys(defaults) as (keyof FaultOptions)[]) {
    const value = input.faults?.[key];
    if (key !== "enabled" && value !== undefined && value !== defaults[key]) parts.push("--fault", `${key}=${value}`);
  }
  return parts.join(" ");
}

/** Folder of one seed's artifacts: `build/harness/sync-seed-123` or `.../sync-ack-before-replicate-seed-123`. */
export function artifactDir(input: ReproInput, root = ARTIFACT_ROOT): string {
  const bugs = (input.bugs ?? []).map((b) => `-${b}`).join("");
  return join(root, `${input.mode}${bugs}-seed-${input.seed}`);
}

/** A failing seed, as a person reads it (several lines). */
export function formatFailure(result: SeedResult, faults?: Partial<FaultOptions>): string {
  const lines = [
    `FAIL seed ${result.seed}, mode ${result.mode}${result.bugs.length ? `, bugs ${result.bugs.join(",")}` : ""}: ${result.violationCount} violation(s), ${result.status}`,
    ...result.violations.map((v) => `  [${v.invariant}] ${v.timeMs} ms${v.node ? ` ${v.node}` : ""}: ${v.message}${v.knownBug ? ` (known engine bug ${v.knownBug})` : ""}`),
    `  faults: ${result.faults.length ? result.faults.join("; ") : "none"}`,
  ];
  if (result.actions.length) lines.push(`  actions: ${result.actions.join("; ")}`);
  lines.push(`  event hash ${result.eventHash}, ${result.events} events`);
  lines.push(`  reproduce: ${reproCommand({ mode: result.mode, seed: result.seed, bugs: result.bugs, faults })}`);
  return lines.join("\n");
}

/**
 * Writes a recorded run (from `runSeed({ ..., record: true })`): `scenario.json`, `events.jsonl`
 * and `run.json` (violations, faults, actions, summary, reproduction). Returns the folder.
 */
export function writeArtifacts(result: SeedResult, faults?: Partial<FaultOptions>, root = ARTIFACT_ROOT): string {
  if (!result.history || !result.scenario) throw new Error("writeArtifacts needs a recorded run (runSeed with record: true)");
  const dir = artifactDir({ mode: result.mode, seed: result.seed, bugs: result.bugs }, root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "scenario.json"), JSON.stringify(result.scenario, null, 2) + "\n");
  writeFileSync(join(dir, "events.jsonl"), result.history.map((e) => JSON.stringify(e)).join("\n") + "\n");
  const { history: _history, scenario: _scenario, ...run } = result;
  writeFileSync(join(dir, "run.json"), JSON.stringify({ reproduce: reproCommand({ mode: result.mode, seed: result.seed, bugs: result.bugs, faults }), ...run }, null, 2) + "\n");
  return dir;
}
