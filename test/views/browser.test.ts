/**
 * The replay in a real browser, offline (plotly.js inlined as in a notebook, every non-file request
 * refused): it draws with all its frames, a mouse click on the slider moves the cursor to that
 * frame, play advances the slider, and one frame exports to PNG and SVG for slides.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { plotlyScriptHtml } from "../../src/charts/display";
import { createExporter } from "../../src/charts/export";
import { pngSize } from "../../src/charts/png";
import { live } from "../../src/views/live";
import { frameIndex, replayFrame } from "../../src/views/replay";
import { replay, showReplay } from "../../src/views/show";
import { launchBrowser } from "../notebooks/browser";
import { CHROMIUM, skipWithout } from "../notebooks/tools";
import { colourStats, decodePng } from "../charts/png-decode";
import { witnessStory } from "../helpers/stories";

const LOAD_MS = 180_000; // plotly.js is 4.8 MB: slow to parse on a busy machine

describe.skipIf(skipWithout([CHROMIUM]))("the replay in headless Chromium, offline", () => {
  let browser: Browser;
  let page: Page;
  const blocked: string[] = [];
  const errors: string[] = [];
  let pauseErrors: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replicalab-views-"));
  const fig = replay(witnessStory(), { frames: 60 });
  const cursor = fig.data.findIndex((t) => t.name === "now");

  beforeAll(async () => {
    const started = Date.now();
    const live0 = await live(witnessStory(), { interactive: false });
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body style="width:1000px">
${plotlyScriptHtml()}\n${showReplay(fig)}\n${live0.live.html}</body></html>`;
    fs.writeFileSync(path.join(dir, "page.html"), html);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(path.join(dir, "page.html")).href, { timeout: LOAD_MS });
    await page.waitForSelector(".js-plotly-plot", { timeout: LOAD_MS });
    console.log(`browser: launch and draw ${Date.now() - started} ms`);
  }, LOAD_MS + 60_000);

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const state = () => page.evaluate(`(() => {
    const gd = document.querySelector(".js-plotly-plot");
    return { frames: gd._transitionData._frames.length, active: gd.layout.sliders[0].active, cursorX: gd.data[${cursor}].x,
      traces: gd.data.length, steps: gd._fullLayout.sliders[0].steps.length };
  })()`) as Promise<{ frames: number; active: number | undefined; cursorX: number[]; traces: number; steps: number }>;

  test("draws with every frame and slider step", async () => {
    const s = await state();
    expect(s).toMatchObject({ frames: 60, steps: 60, traces: fig.data.length });
    expect(s.cursorX).toEqual([0, 0]);
    expect(await page.locator(".replicalab-live svg").count()).toBeGreaterThan(0); // the live frame, next to it
  });

  test("a click on the slider moves it, and the cursor to that frame's time", async () => {
    const rail = await page.locator(".slider-rail-rect").boundingBox();
    expect(rail).not.toBeNull();
    await page.mouse.click(rail!.x + rail!.width * 0.75, rail!.y + rail!.height / 2);
    await page.waitForFunction(`document.querySelector(".js-plotly-plot").layout.sliders[0].active > 30`, undefined, { timeout: 30_000 });
    const s = await state();
    const t = fig.frameTimesMs[s.active!];
    expect(s.cursorX).toEqual([t, t]);
    const text = await page.locator(".js-plotly-plot").innerText();
    expect(text).toContain("balance = 20");
  }, 60_000);

  test("play advances the slider frame by frame; pause stops it", async () => {
    await page.mouse.click(...(await railAt(page, 0.1)));
    await page.waitForFunction(`document.querySelector(".js-plotly-plot").layout.sliders[0].active < 10`, undefined, { timeout: 30_000 });
    // Let the slider's own move finish before pressing play.
    await page.waitForFunction(`(() => { const gd = document.querySelector(".js-plotly-plot"); return gd._fullLayout._currentFrame === "f" + gd.layout.sliders[0].active; })()`, undefined, { timeout: 30_000 });
    const before = (await state()).active!;
    await page.locator(".updatemenu-button", { hasText: "play" }).click();
    await page.waitForFunction(`document.querySelector(".js-plotly-plot").layout.sliders[0].active >= ${before + 3}`, undefined, { timeout: 60_000 })
      .catch(async (err) => {
        throw new Error(`${err}: ${JSON.stringify(await state())}, current frame ${await page.evaluate(`document.querySelector(".js-plotly-plot")._fullLayout._currentFrame`)}`);
      });
    expect(errors, "page errors before pause").toEqual([]);
    await page.locator(".updatemenu-button", { hasText: "❚❚" }).click();
    const paused = (await state()).active!;
    await page.waitForTimeout(1000);
    const s = await state();
    expect(s.active).toBe(paused);
    // Pausing interrupts plotly.js's running animation, whose promise it then rejects with no reason
    // ("API call to Plotly.animate rejected. undefined"): plotly's own, harmless.
    pauseErrors = errors.splice(0).filter((e) => e !== "undefined");
    expect(s.active).toBeGreaterThanOrEqual(before + 3);
    expect(s.cursorX[0]).toBeGreaterThan(fig.frameTimesMs[before]);
  }, 90_000);

  test("no page errors and no network requests", () => {
    expect(pauseErrors).toEqual([]);
    expect(errors).toEqual([]);
    expect(blocked).toEqual([]);
  });

  test("any frame exports to PNG and SVG", async () => {
    const exporter = await createExporter();
    try {
      const slides = replay(witnessStory(), { frames: 60, theme: "slides" });
      const svg = Buffer.from((await exporter.exportChart(replayFrame(slides, { atMs: 1100 }), { format: "svg" })).bytes).toString("utf8");
      expect(svg).toMatch(/<svg [^>]*width="1920" height="1080"/);
      const t = slides.frameTimesMs[frameIndex(slides, { atMs: 1100 })];
      for (const text of [`t = ${t.toFixed(0)} ms`, "balance = 20", "witness", ">cut<", "client-1 ← ok, balance = 20"]) expect(svg).toContain(text);
      const png = await exporter.exportChart(replayFrame(slides, 45), { format: "png" });
      expect(pngSize(png.bytes)).toEqual({ width: 1920, height: 1080 });
      const stats = colourStats(decodePng(png.bytes));
      expect(stats.distinct).toBeGreaterThan(20);
      expect(stats.nonWhiteShare).toBeGreaterThan(0.02);
      expect(exporter.blockedRequests()).toEqual([]);
    } finally {
      await exporter.close();
    }
  }, LOAD_MS + 60_000);
});

async function railAt(page: Page, share: number): Promise<[number, number]> {
  const rail = (await page.locator(".slider-rail-rect").boundingBox())!;
  return [rail.x + rail.width * share, rail.y + rail.height / 2];
}
