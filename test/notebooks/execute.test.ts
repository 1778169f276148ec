/**
 * Every notebook runs top to bottom in the real kernel, exports to HTML, and draws every chart it
 * displays in headless Chromium without touching the network. Each notebook is executed once per
 * test run (two at a time) into build/executed/, and its HTML export reuses that executed copy.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inspectPage, launchBrowser } from "./browser";
import { displayedCharts, notebookPaths, readNotebook, ROOT } from "./notebook-files";
import { executeNotebook, exportHtml, inPool, type ProcessResult } from "./processes";
import { CHROMIUM, JUPYTER, PYTHON, skipWithout } from "./tools";

// The slide export's own readers, so the test and `npm run slides` agree on what provenance is.
const course = require("../../scripts/course/common.js") as {
  chartsOf(nb: unknown): { cellIndex: number; figure: unknown }[];
  provenanceFromFigure(fig: unknown): { scenario: string; seed: number; version: string } | undefined;
};

const notebooks = notebookPaths();
const EXECUTED = path.join(ROOT, "build/executed");
const HTML = path.join(ROOT, "build/html");
const executedPath = (file: string) => path.join(EXECUTED, path.basename(file));

describe.skipIf(skipWithout([PYTHON, JUPYTER, CHROMIUM]))("notebooks run headless and draw their charts", () => {
  const runs = new Map<string, ProcessResult>();
  let browser: Browser | undefined;

  beforeAll(async () => {
    // The kernelspec lives in .jupyter/ (git-ignored); write it if this checkout has none yet.
    execFileSync("bash", [path.join(ROOT, "scripts/setup.sh"), "--kernelspec-only"], { stdio: "ignore" });
    const results = await inPool(notebooks.map((file) => () => executeNotebook(file, executedPath(file))), 2);
    notebooks.forEach((file, i) => runs.set(file, results[i]));
  }, 150_000 * Math.ceil(notebooks.length / 2) + 30_000);

  afterAll(async () => {
    await browser?.close();
  });

  describe.each(notebooks)("%s", (file) => {
    test("executes top to bottom, every exercise check right", () => {
      const r = runs.get(file);
      if (r === undefined) throw new Error("not executed");
      console.log(r.stdout.trim());
      if (r.code !== 0) throw new Error(`run-notebook.py exited ${r.code}\n${r.stdout}${r.stderr}`);
    });

    test("every chart says where it came from (scenario, seed, version), for slides", () => {
      if (runs.get(file)?.code !== 0) throw new Error("skipped: the notebook did not execute");
      const missing = course.chartsOf(readNotebook(executedPath(file))).filter((c) => course.provenanceFromFigure(c.figure) === undefined);
      expect(missing.map((c) => `cell ${c.cellIndex}`), "charts without provenance: pass { provenance } to the chart builder").toEqual([]);
    });

    test("its HTML export draws every displayed chart in Chromium, offline", async () => {
      if (runs.get(file)?.code !== 0) throw new Error("skipped: the notebook did not execute");
      const html = await exportHtml(executedPath(file), HTML);
      expect(html.code, html.stderr).toBe(0);
      browser ??= await launchBrowser();
      const expected = displayedCharts(readNotebook(executedPath(file)));
      const report = await inspectPage(browser, path.join(HTML, path.basename(file, ".ipynb") + ".html"), expected);
      console.log(`${path.basename(file)}: nbconvert ${html.ms} ms, browser ${report.ms} ms, ${report.plots}/${expected} charts`);
      expect(report.blockedRequests, "remote requests").toEqual([]);
      expect(report.pageErrors, "page errors").toEqual([]);
      expect(report.notDrawn).toBe(0);
      expect(report.plots).toBe(expected);
      expect(report.tracesPerPlot.every((n) => n > 0), `traces per chart: ${report.tracesPerPlot.join(", ")}`).toBe(true);
    }, 120_000);
  });
});
