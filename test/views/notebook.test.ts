/**
 * Views in the real kernel. (1) A fixture notebook executed headless by scripts/run-notebook.py: the
 * live view skips its pacing and leaves one output, its final frame; the replays draw in the
 * notebook's HTML export in Chromium, offline, and their slider moves. (2) The same kernel driven as
 * an interactive frontend would (test/views/kernel-driver.py): the live view updates ONE display
 * entry, at most 10 times a second.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { inspectPage, launchBrowser } from "../notebooks/browser";
import { displayedCharts, readNotebook, ROOT, text, type NotebookJson } from "../notebooks/notebook-files";
import { executeNotebook, exportHtml, run, type ProcessResult } from "../notebooks/processes";
import { CHROMIUM, JUPYTER, PYTHON, skipWithout } from "../notebooks/tools";

const OUT = path.join(ROOT, "build/views-test");
const SOURCE = path.join(__dirname, "fixtures/views.nb.txt");
const NOTEBOOK = path.join(OUT, "views.ipynb");
const EXECUTED = path.join(OUT, "executed/views.ipynb");

interface DriverReport {
  status: string;
  kernelStartMs: number;
  displays: { type: string; id: string | null; bytes: number; at: number | null; finished: boolean }[];
  stdout: string;
  stderr: string;
}

const LIVE_CODE = `
import { live } from "replicalab";
const r = await live("data/scenarios/nb02-primary-crash.json", { speed: 6 });
console.log("RESULT " + JSON.stringify({ frames: r.live.frames, interactive: r.live.interactive, wallMs: r.live.wallMs, eventHash: r.summary.eventHash }));
`;

describe.skipIf(skipWithout([PYTHON, JUPYTER, CHROMIUM]))("views in the tslab kernel", () => {
  let executed: ProcessResult;
  let driver: ProcessResult;
  let browser: Browser | undefined;

  beforeAll(async () => {
    execFileSync("bash", [path.join(ROOT, "scripts/setup.sh"), "--kernelspec-only"], { stdio: "ignore" });
    fs.mkdirSync(OUT, { recursive: true });
    execFileSync("node", [path.join(ROOT, "scripts/make-notebook.js"), "from", SOURCE, NOTEBOOK], { stdio: "ignore" });
    const codeFile = path.join(OUT, "live-cell.ts");
    fs.writeFileSync(codeFile, LIVE_CODE);
    const headless = executeNotebook(NOTEBOOK, EXECUTED);
    // Interactive: forced, so that a CI variable in the environment does not make it headless.
    const interactive = withEnv({ REPLICALAB_HEADLESS: "0" }, () => run(PYTHON, [path.join(__dirname, "kernel-driver.py"), codeFile], 300_000));
    [executed, driver] = await Promise.all([headless, interactive]);
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
  });

  test("headless: the notebook runs, the live view is not paced and leaves its final frame", () => {
    console.log(executed.stdout.trim());
    if (executed.code !== 0) throw new Error(`run-notebook.py exited ${executed.code}\n${executed.stdout}${executed.stderr}`);
    const nb = readNotebook(EXECUTED);
    const code = nb.cells.filter((c) => c.cell_type === "code");
    const liveCell = code.find((c) => text(c.source).includes("await live(story"))!;
    const stdout = outputsText(liveCell, "stdout");
    expect(stdout).toMatch(/live: 1 frame\(s\), interactive false, \d+ ms \((the kernel was started by run-notebook\.py|REPLICALAB_HEADLESS is set|CI is set)\)/);
    // Paced at speed 0.5 the 3 s run would take 6 s.
    expect(Number(/interactive false, (\d+) ms/.exec(stdout)?.[1])).toBeLessThan(5000);
    const html = (liveCell.outputs ?? []).filter((o) => o.output_type === "display_data").map((o) => text(o.data?.["text/html"]));
    expect(html).toHaveLength(1);
    expect(html[0]).toContain('class="replicalab-live"');
    expect(html[0]).toContain("t = 3000 ms of 3000 ms");
    // A cell ending in `await live(...)` echoes one line, not the simulation.
    const echo = outputsText(code[code.length - 1], "stdout");
    expect(echo).toMatch(/^LiveRun nb02-primary-crash \(seed 6\): 1 frames in [\d.]+ s, eventHash \w+\s*$/);
  });

  test("the HTML export draws both replays offline, and their sliders move", async () => {
    if (executed.code !== 0) throw new Error("skipped: the notebook did not execute");
    const exported = await exportHtml(EXECUTED, OUT);
    expect(exported.code, exported.stderr).toBe(0);
    const htmlFile = path.join(OUT, "views.html");
    const expected = displayedCharts(readNotebook(EXECUTED));
    expect(expected).toBe(2);
    browser ??= await launchBrowser();
    const report = await inspectPage(browser, htmlFile, expected);
    expect(report.blockedRequests).toEqual([]);
    expect(report.pageErrors).toEqual([]);
    expect(report.plots).toBe(2);

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort()));
      await page.goto(pathToFileURL(htmlFile).href, { timeout: 180_000 });
      await page.waitForFunction(`document.querySelectorAll(".js-plotly-plot").length >= 2`, undefined, { timeout: 120_000 });
      const frames = await page.evaluate(`Array.from(document.querySelectorAll(".js-plotly-plot")).map((gd) => gd._transitionData._frames.length)`);
      expect(frames).toEqual([40, 60]);
      const rail = page.locator(".slider-rail-rect").nth(1);
      await rail.scrollIntoViewIfNeeded();
      const box = (await rail.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.5, box.y + box.height / 2);
      await page.waitForFunction(`document.querySelectorAll(".js-plotly-plot")[1].layout.sliders[0].active >= 25`, undefined, { timeout: 30_000 });
      expect(await page.locator(".js-plotly-plot").nth(1).innerText()).toMatch(/prepare|promise|accept/);
    } finally {
      await page.close();
    }
  }, 300_000);

  test("interactive: one display entry, updated at most 10 times a second, ending on the final frame", () => {
    if (driver.code !== 0) throw new Error(`kernel-driver.py exited ${driver.code}\n${driver.stdout}${driver.stderr}`);
    const report = JSON.parse(driver.stdout) as DriverReport;
    expect(report.status, report.stderr).toBe("ok");
    const result = JSON.parse(/RESULT (.*)/.exec(report.stdout)![1]) as { frames: number; interactive: boolean; wallMs: number; eventHash: string };
    const ids = new Set(report.displays.map((d) => d.id));
    expect(ids.size).toBe(1);
    expect(report.displays[0].type).toBe("display_data");
    expect(report.displays.slice(1).every((d) => d.type === "update_display_data")).toBe(true);
    expect(report.displays[report.displays.length - 1].finished).toBe(true);
    expect(result.interactive).toBe(true);
    expect(report.displays).toHaveLength(result.frames);
    // 6 s of virtual time at speed 6: about 1 s of real time, so at most 11 updates.
    expect(result.frames).toBeLessThanOrEqual(Math.ceil((6000 / 6) * 10 / 1000) + 1);
    expect(result.frames).toBeGreaterThanOrEqual(2); // the first and the last; a busy machine skips frames between (pacing follows the wall clock)
    expect(result.wallMs).toBeGreaterThanOrEqual(900);
    const at = report.displays.map((d) => d.at!).filter((t) => t !== null);
    const gaps = at.slice(1).map((t, i) => (t - at[i]) * 1000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(95);
    console.log(`interactive live view: kernel start ${report.kernelStartMs} ms, ${result.frames} updates in ${result.wallMs} ms, ` +
      `${Math.max(...report.displays.map((d) => d.bytes))} bytes per frame at most, gaps ${Math.min(...gaps).toFixed(0)}-${Math.max(...gaps).toFixed(0)} ms`);
  });
});

function outputsText(cell: NotebookJson["cells"][number], stream: string): string {
  return (cell.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === stream).map((o) => text(o.text)).join("");
}

/** Starts `start` (which spawns a process synchronously) with extra environment variables. */
function withEnv<T>(vars: Record<string, string>, start: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return start();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
