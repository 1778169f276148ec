import type { HarnessMode } from "./modes";
import { harnessMode, HARNESS_MODES } from "./registry";
import { runPool, type SeedOutcome, type SeedTask } from "./pool";
import { ProgressBar, formatDuration } from "./progress";
import { formatFailure, reproCommand, writeArtifacts } from "./report";
import { defaultFaultsFor, runSeed } from "./run-seed";
import { modeOfSeed, parseSoakArgs, SOAK_USAGE, UsageError, type SoakArgs } from "./soak-args";
import { StatsAccumulator } from "./stats";

/**
 * `npm run soak`: many seeds on every core, a progress bar, and for every failing seed the command
 * that reproduces it. Exit code 1 on any violation, 2 on a usage error. See soak-args.ts for flags.
 */

export interface SoakIO {
  stdout(text: string): void;
  stderr(text: string): void;
  isTTY: boolean;
}

const SHOWN_FAILURES = 20;

export async function soak(argv: readonly string[], io: SoakIO): Promise<number> {
  let args: SoakArgs;
  try {
    args = parseSoakArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`soak: ${error.message}\nusage: ${SOAK_USAGE}\n`);
    return 2;
  }
  return args.seed !== null ? soakOne(args, args.seed, io) : soakMany(args, io);
}

/** One seed, in full: its schedule, what happened, its violations; artifacts always written. */
function soakOne(args: SoakArgs, seed: number, io: SoakIO): number {
  const mode = args.modes.length === 1 ? args.modes[0] : modeOfSeed(seed, args.modes);
  const faults = { ...defaultFaultsFor(mode), ...args.faults };
  const def = harnessMode(mode);
  io.stdout(`soak: seed ${seed}, mode ${mode} (${def.description})${args.bugs.length ? `, bugs ${args.bugs.join(",")}` : ""}\n`);
  io.stdout(`  fault types enabled: ${def.faultsText ?? (faults.enabled.join(", ") || "none")}\n`);
  const result = runSeed({ mode, seed, bugs: args.bugs, faults: args.faults, record: true });
  const dir = writeArtifacts(result, args.faults);
  const s = result.summary;
  io.stdout(`  faults: ${result.faults.length ? "" : "none"}\n${result.faults.map((f) => `    ${f}\n`).join("")}`);
  io.stdout(`  actions:\n${result.actions.map((a) => `    ${a}\n`).join("")}`);
  const reached = Object.entries(result.coverage.milestones).map(([k, n]) => `${k} ${n}`).join(", ");
  if (s) {
    io.stdout(
      `  ${s.events} events, ${s.virtualTimeMs} ms virtual; writes ${s.writes.acknowledged}/${s.writes.attempted} acknowledged; ` +
        `lost ${s.lostAcknowledgedWrites} (at risk ${s.atRiskWrites}); stale reads ${s.staleReads}; ${result.status}` +
        `${result.convergenceMs !== null ? ` in ${result.convergenceMs} ms` : ""}; event hash ${s.eventHash}\n`,
    );
  } else {
    io.stdout(`  ${result.events} events; ${result.totals.acknowledged} committed/completed; ${result.status}; event hash ${result.eventHash}\n`);
  }
  if (reached) io.stdout(`  reached: ${reached}\n`);
  io.stdout(`  artifacts: ${dir}/{scenario.json,events.jsonl,run.json}\n`);
  if (result.violations.length === 0) {
    io.stdout(`OK: no violation\n  reproduce: ${reproCommand({ mode, seed, bugs: args.bugs, faults: args.faults })}\n`);
    return 0;
  }
  io.stdout(`${formatFailure(result, args.faults)}\n`);
  return 1;
}

function soakMany(args: SoakArgs, io: SoakIO): Promise<number> {
  const tasks: SeedTask[] = [];
  for (let seed = args.from; seed < args.from + args.seeds; seed++) {
    tasks.push({ mode: modeOfSeed(seed, args.modes), seed, bugs: args.bugs, faults: args.faults });
  }
  io.stdout(
    `soak: ${args.seeds} seeds (${args.from}..${args.from + args.seeds - 1}) over ${args.modes.join(", ")} on ${args.workers} worker(s)` +
      `${args.bugs.length ? `, bugs ${args.bugs.join(",")}` : ""}${Object.keys(args.faults).length ? `, faults ${JSON.stringify(args.faults)}` : ""}\n`,
  );
  const stats = new Map<HarnessMode, StatsAccumulator>(args.modes.map((m) => [m, new StatsAccumulator(m)]));
  const failures: SeedOutcome[] = [];
  let done = 0;
  const bar = new ProgressBar(tasks.length, io.stderr, io.isTTY);
  const started = Date.now();
  return runPool(tasks, {
    workers: args.workers,
    onOutcome: (o) => {
      done++;
      stats.get(o.mode)!.add(o);
      if (o.violationCount > 0) failures.push(o);
      bar.update(done, failures.length);
    },
  }).then(() => {
    bar.end(done, failures.length);
    const seconds = (Date.now() - started) / 1000;
    io.stdout(`done: ${done} seeds in ${formatDuration(seconds)} (${(done / Math.max(seconds, 1e-3)).toFixed(1)} seeds/s on ${args.workers} worker(s))\n`);
    for (const mode of HARNESS_MODES) {
      const acc = stats.get(mode);
      if (!acc || acc.size === 0) continue;
      const m = acc.result();
      io.stdout(
        `  ${mode.padEnd(15)} ${String(m.seeds).padStart(7)} seeds, ${m.failingSeeds.length} failing, ${m.unavailable} unavailable, ` +
          `lost ${m.lost} (at risk ${m.atRisk}), stale ${m.stale}, failover in ${m.seedsWith.failover}, convergence p99 ${m.convergenceMs.p99 ?? "n/a"} ms` +
          `${Object.keys(m.milestones).length ? `; reached (seeds): ${Object.entries(m.milestones).map(([k, v]) => `${k} ${v.seeds}`).join(", ")}` : ""}\n`,
      );
    }
    if (failures.length === 0) {
      io.stdout("OK: no violation\n");
      return 0;
    }
    // New failures first: those no known engine bug explains.
    failures.sort((x, y) => Number(y.unexplainedCount > 0) - Number(x.unexplainedCount > 0) || x.seed - y.seed);
    const unexplained = failures.filter((f) => f.unexplainedCount > 0).length;
    io.stdout(`FAIL: ${failures.length} failing seed(s), ${unexplained} not explained by a known engine bug (src/harness/known-engine-bugs.ts)\n`);
    for (const f of failures.slice(0, SHOWN_FAILURES)) {
      const first = f.violations.find((v) => v.knownBug === undefined) ?? f.violations[0];
      const known = first.knownBug ? ` (known engine bug ${first.knownBug})` : "";
      io.stdout(`  seed ${f.seed} ${f.mode}: [${first.invariant}] ${first.timeMs} ms: ${first.message}${known}\n    faults: ${f.faults.join("; ") || "none"}\n    reproduce: ${reproCommand({ mode: f.mode, seed: f.seed, bugs: f.bugs, faults: args.faults })}\n`);
    }
    if (failures.length > SHOWN_FAILURES) io.stdout(`  ... and ${failures.length - SHOWN_FAILURES} more: ${failures.slice(SHOWN_FAILURES).map((f) => `${f.mode}:${f.seed}`).join(" ")}\n`);
    for (const f of failures.slice(0, args.artifacts)) {
      const dir = writeArtifacts(runSeed({ mode: f.mode, seed: f.seed, bugs: f.bugs, faults: args.faults, record: true }), args.faults);
      io.stdout(`  artifacts of seed ${f.seed} (${f.mode}): ${dir}\n`);
    }
    return 1;
  });
}

if (require.main === module) {
  soak(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`soak: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}
