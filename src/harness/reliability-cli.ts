import { writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { parseArgs } from "node:util";
import { BROKEN_VARIANTS, CATCH_WITHIN_SEEDS } from "./broken-variants";
import type { HarnessMode } from "./modes";
import { harnessMode, HARNESS_MODES } from "./registry";
import { runPool, type SeedOutcome, type SeedTask } from "./pool";
import { ProgressBar, formatDuration } from "./progress";
import { renderReliability, type VariantResult } from "./reliability";
import { defaultFaultsFor } from "./run-seed";
import { StatsAccumulator } from "./stats";

/**
 * `npm run reliability [-- --seeds N] [--out FILE] [--workers W]`: N seeds per mode (default 1,000)
 * and the first 100 seeds of every broken variant, on every core; writes docs/RELIABILITY.md.
 * Exit code 1 if a mode had a violation outside the known engine bugs or a broken variant was not
 * caught, so it can gate a release.
 */

const USAGE = "npm run reliability -- [--seeds N] [--out FILE] [--workers W]";

export async function reliability(argv: readonly string[], io: { stdout(s: string): void; stderr(s: string): void; isTTY: boolean }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { seeds: { type: "string" }, out: { type: "string" }, workers: { type: "string" } } }));
  } catch (error) {
    io.stderr(`reliability: ${(error as Error).message.split("\n")[0]}\nusage: ${USAGE}\n`);
    return 2;
  }
  const seeds = values.seeds === undefined ? 1000 : Number(values.seeds);
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isSafeInteger(seeds) || seeds < 1 || !Number.isSafeInteger(workers) || workers < 1) {
    io.stderr(`reliability: --seeds and --workers take positive integers\nusage: ${USAGE}\n`);
    return 2;
  }
  const out = values.out ?? "docs/RELIABILITY.md";

  const tasks: SeedTask[] = [];
  for (const mode of HARNESS_MODES) for (let seed = 1; seed <= seeds; seed++) tasks.push({ mode, seed });
  BROKEN_VARIANTS.forEach((v) => {
    for (let seed = 1; seed <= CATCH_WITHIN_SEEDS; seed++) tasks.push({ mode: v.mode, seed, bugs: [v.bug], faults: v.faults });
  });
  io.stdout(`reliability: ${seeds} seeds per mode (${HARNESS_MODES.join(", ")}) + ${BROKEN_VARIANTS.length} broken variants x ${CATCH_WITHIN_SEEDS} seeds, on ${workers} worker(s)\n`);

  const stats = new Map<HarnessMode, StatsAccumulator>(HARNESS_MODES.map((m) => [m, new StatsAccumulator(m)]));
  const variantOutcomes = BROKEN_VARIANTS.map(() => [] as SeedOutcome[]);
  let done = 0;
  let failing = 0;
  const bar = new ProgressBar(tasks.length, io.stderr, io.isTTY);
  const started = Date.now();
  await runPool(tasks, {
    workers,
    onOutcome: (o) => {
      done++;
      if (o.bugs.length === 0) {
        stats.get(o.mode)!.add(o);
        if (o.unexplainedCount > 0) failing++;
      } else {
        const i = BROKEN_VARIANTS.findIndex((v) => v.mode === o.mode && o.bugs.length === 1 && o.bugs[0] === v.bug);
        variantOutcomes[i].push({ ...o, faults: [] });
      }
      bar.update(done, failing);
    },
  });
  bar.end(done, failing);

  const variants: VariantResult[] = BROKEN_VARIANTS.map((variant, i) => {
    const list = variantOutcomes[i].sort((x, y) => x.seed - y.seed);
    const invariants: Record<string, number> = {};
    for (const o of list) for (const name of new Set(o.violations.map((v) => v.invariant))) invariants[name] = (invariants[name] ?? 0) + 1;
    const caught = list.filter((o) => o.violationCount > 0);
    return { variant, seedsRun: list.length, firstCaughtSeed: caught[0]?.seed ?? null, failingSeeds: caught.length, invariants };
  });
  const modes = HARNESS_MODES.map((mode) => ({ stats: stats.get(mode)!.result(), faults: defaultFaultsFor(mode), invariants: harnessMode(mode).invariants() }));
  const markdown = renderReliability({
    command: `npm run reliability${seeds !== 1000 ? ` -- --seeds ${seeds}` : ""}`,
    machine: { cores: availableParallelism(), cpu: cpus()[0]?.model.trim() ?? "unknown CPU", node: process.version },
    seedsPerMode: seeds,
    firstSeed: 1,
    modes,
    variants,
  });
  writeFileSync(out, markdown);

  const seconds = (Date.now() - started) / 1000;
  io.stdout(`wrote ${out}: ${done} runs in ${formatDuration(seconds)} (${(done / Math.max(seconds, 1e-3)).toFixed(1)} seeds/s)\n`);
  for (const m of modes) io.stdout(`  ${m.stats.mode.padEnd(15)} ${m.stats.failingSeeds.length} failing of ${m.stats.seeds} (+${Object.values(m.stats.knownBugSeeds).flat().length} known engine bug hits); unavailable ${m.stats.unavailable}; convergence p99 ${m.stats.convergenceMs.p99 ?? "n/a"} ms\n`);
  for (const v of variants) io.stdout(`  ${v.variant.bug} with ${v.variant.mode}: ${v.firstCaughtSeed === null ? "NOT CAUGHT" : `caught at seed ${v.firstCaughtSeed}`} (${v.failingSeeds}/${v.seedsRun})\n`);
  const unexpected = modes.flatMap((m) => m.stats.failingSeeds.map((s) => `${m.stats.mode}:${s}`));
  const uncaught = variants.filter((v) => v.firstCaughtSeed === null);
  if (unexpected.length > 0) io.stdout(`FAIL: violations outside the known engine bugs: ${unexpected.join(" ")}\n`);
  if (uncaught.length > 0) io.stdout(`FAIL: broken variants not caught: ${uncaught.map((v) => `${v.variant.bug} with ${v.variant.mode}`).join(", ")}\n`);
  return unexpected.length > 0 || uncaught.length > 0 ? 1 : 0;
}

if (require.main === module) {
  reliability(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`reliability: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
