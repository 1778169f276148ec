/**
 * `replicalab export FILE [--chart lag,availability,latency,throughput] [--format png|svg]
 *  [--theme slides|notebook] [--out DIR] [--seed N]`
 *
 * Runs a scenario and writes its charts as image files for slides, all through one headless
 * browser. How a scenario runs is not this module's business: `deps.runScenario` turns a scenario
 * file into the chart series (`ChartData`), so the command is testable without the engine.
 */
import * as path from "path";
import { availabilityChart } from "../charts/availability";
import { createExporter, type ChartExporter } from "../charts/export";
import { lagChart } from "../charts/lag";
import { latencyCdfChart } from "../charts/latency";
import { throughputChart } from "../charts/throughput";
import type { ChartData, ChartOptions, Figure, ThemeName } from "../charts/types";

export interface Output {
  stdout(s: string): void;
  stderr(s: string): void;
}

export interface ExportDeps {
  /** Runs the scenario in `file` (with `seed` instead of the file's, if given). */
  runScenario: (file: string, seed?: number) => Promise<ChartData>;
  /** Defaults to headless Chromium; tests pass a fake. */
  createExporter?: () => Promise<ChartExporter>;
}

export const CHARTS = {
  lag: (d: ChartData, o: ChartOptions) => lagChart(d.lag, o),
  availability: (d: ChartData, o: ChartOptions) => availabilityChart(d.availability, o),
  latency: (d: ChartData, o: ChartOptions) => latencyCdfChart(d.latency, { ...o, logX: true }),
  throughput: (d: ChartData, o: ChartOptions) => throughputChart(d.throughput, o),
} as const;

export type ChartName = keyof typeof CHARTS;

export interface ExportArgs {
  file: string;
  charts: ChartName[];
  format: "png" | "svg";
  theme: ThemeName;
  outDir: string;
  seed?: number;
}

export const EXPORT_USAGE =
  "usage: replicalab export FILE [--chart lag,availability,latency,throughput] [--format png|svg] " +
  "[--theme slides|notebook] [--out DIR] [--seed N]";

/** Exit status: 0 done, 1 the scenario or the export failed, 2 bad arguments. */
export async function exportCommand(argv: string[], out: Output, deps: ExportDeps): Promise<number> {
  const parsed = parseExportArgs(argv);
  if (typeof parsed === "string") {
    out.stderr(`replicalab export: ${parsed}\n${EXPORT_USAGE}\n`);
    return 2;
  }
  let data: ChartData;
  try {
    data = await deps.runScenario(parsed.file, parsed.seed);
  } catch (err) {
    out.stderr(`replicalab export: ${parsed.file}: ${oneLine(err)}\n`);
    return 1;
  }
  return writeCharts(parsed, data, out, deps.createExporter ?? (() => createExporter()));
}

async function writeCharts(args: ExportArgs, data: ChartData, out: Output, start: () => Promise<ChartExporter>): Promise<number> {
  let exporter: ChartExporter | undefined;
  try {
    exporter = await start();
    const opts: ChartOptions = { faults: data.faults, provenance: data.provenance, theme: args.theme };
    for (const chart of args.charts) {
      const fig: Figure = CHARTS[chart](data, opts);
      const file = path.join(args.outDir, outputName(args, chart));
      const r = await exporter.exportChart(fig, { format: args.format, theme: args.theme, file });
      out.stdout(`wrote ${file} (${r.width}x${r.height}, ${(r.ms / 1000).toFixed(1)} s)\n`);
    }
    return 0;
  } catch (err) {
    out.stderr(`replicalab export: ${oneLine(err)}\n`);
    return 1;
  } finally {
    await exporter?.close();
  }
}

/** "async-failover-lag.png", or "async-failover-seed7-lag.png" when the seed was overridden. */
export function outputName(args: ExportArgs, chart: ChartName): string {
  const base = path.basename(args.file).replace(/\.json$/i, "");
  return `${base}${args.seed === undefined ? "" : `-seed${args.seed}`}-${chart}.${args.format}`;
}

/** The parsed arguments, or a one-line message saying what is wrong. */
export function parseExportArgs(argv: string[]): ExportArgs | string {
  const files: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) {
      files.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (!["chart", "format", "theme", "out", "seed"].includes(name)) return `unknown option --${name}`;
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) return `--${name} needs a value`;
    flags.set(name, value);
  }
  if (files.length !== 1) return files.length === 0 ? "missing scenario FILE" : `one scenario FILE expected, got ${files.join(" ")}`;
  return buildArgs(files[0], flags);
}

function buildArgs(file: string, flags: Map<string, string>): ExportArgs | string {
  const charts = (flags.get("chart") ?? Object.keys(CHARTS).join(",")).split(",").map((c) => c.trim());
  const badChart = charts.find((c) => !(c in CHARTS));
  if (badChart !== undefined) return `unknown chart "${badChart}" (expected ${Object.keys(CHARTS).join(", ")})`;
  const format = flags.get("format") ?? "png";
  if (format !== "png" && format !== "svg") return `--format must be png or svg, got "${format}"`;
  const theme = flags.get("theme") ?? "slides";
  if (theme !== "slides" && theme !== "notebook") return `--theme must be slides or notebook, got "${theme}"`;
  const seedText = flags.get("seed");
  const seed = seedText === undefined ? undefined : Number(seedText);
  if (seed !== undefined && !(Number.isSafeInteger(seed) && seed >= 0)) return `--seed must be a non-negative integer, got "${seedText}"`;
  return { file, charts: charts as ChartName[], format, theme, outDir: flags.get("out") ?? "out", seed };
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0];
}
