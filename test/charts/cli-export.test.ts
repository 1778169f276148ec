import { describe, expect, test } from "vitest";
import type { ChartExporter, ExportOptions } from "../../src/charts/export";
import type { Figure } from "../../src/charts/types";
import { exportCommand, parseExportArgs } from "../../src/cli/export";
import { sampleChartData } from "./chart-data";

/** Runs the command with a fake exporter that records what it was asked to write. */
async function run(argv: string[]) {
  const out = { stdout: "", stderr: "" };
  const exported: { fig: Figure; opts: ExportOptions }[] = [];
  let closed = 0;
  const fake: ChartExporter = {
    exportChart: async (fig, opts) => {
      exported.push({ fig, opts });
      return { bytes: new Uint8Array(0), width: 1920, height: 1080, file: opts.file, ms: 5 };
    },
    close: async () => void closed++,
    blockedRequests: () => [],
  };
  const seeds: (number | undefined)[] = [];
  const code = await exportCommand(argv, { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) }, {
    runScenario: async (file, seed) => {
      if (file.includes("missing")) throw new Error(`ENOENT: no such file ${file}\n  at somewhere`);
      seeds.push(seed);
      return sampleChartData();
    },
    createExporter: async () => fake,
  });
  return { code, ...out, exported, closed, seeds };
}

describe("replicalab export", () => {
  test("writes one file per chart through one exporter, and closes it", async () => {
    const r = await run(["data/scenarios/async-failover.json", "--chart", "lag,latency", "--format", "svg", "--out", "slides"]);
    expect(r.code).toBe(0);
    expect(r.exported.map((e) => e.opts.file)).toEqual(["slides/async-failover-lag.svg", "slides/async-failover-latency.svg"]);
    expect(r.exported.every((e) => e.opts.format === "svg" && e.opts.theme === "slides")).toBe(true);
    expect(r.exported[0].fig.provenance?.scenario).toBe("async-failover");
    expect(r.stdout).toContain("wrote slides/async-failover-lag.svg (1920x1080");
    expect(r.closed).toBe(1);
  });

  test("defaults: all four charts, PNG, slides theme, out/", async () => {
    const r = await run(["s.json"]);
    expect(r.exported.map((e) => e.opts.file)).toEqual(["out/s-lag.png", "out/s-availability.png", "out/s-latency.png", "out/s-throughput.png"]);
  });

  test("--seed reaches the scenario run and the file name", async () => {
    const r = await run(["s.json", "--chart=lag", "--seed", "7", "--theme", "notebook"]);
    expect(r.seeds).toEqual([7]);
    expect(r.exported[0].opts).toMatchObject({ file: "out/s-seed7-lag.png", theme: "notebook" });
  });

  test.each([
    [[], "missing scenario FILE"],
    [["a.json", "b.json"], "one scenario FILE expected"],
    [["s.json", "--chart", "pie"], 'unknown chart "pie" (expected lag, availability, latency, throughput)'],
    [["s.json", "--format", "gif"], '--format must be png or svg, got "gif"'],
    [["s.json", "--theme", "dark"], '--theme must be slides or notebook, got "dark"'],
    [["s.json", "--seed", "-1"], "--seed must be a non-negative integer"],
    [["s.json", "--seed"], "--seed needs a value"],
    [["s.json", "--colour", "red"], "unknown option --colour"],
  ])("bad arguments %j: one-line error, exit 2", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toContain(`replicalab export: ${message}`);
    expect(r.exported).toHaveLength(0);
  });

  test("a scenario that fails to run: one line, exit 1", async () => {
    const r = await run(["missing.json"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("replicalab export: missing.json: ENOENT: no such file missing.json\n");
  });

  test("parseExportArgs accepts --flag=value", () => {
    expect(parseExportArgs(["x.json", "--format=svg"])).toMatchObject({ file: "x.json", format: "svg" });
  });
});
