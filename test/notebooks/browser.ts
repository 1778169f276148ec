/**
 * Opens exported notebook HTML in headless Chromium, offline: every request that is not a local
 * file (nbconvert links require.js and MathJax from file:///usr/share/javascript) is refused and
 * recorded. Reports what drew, so tests can compare it with what the notebook displayed.
 */
import { pathToFileURL } from "url";
import type { Browser } from "playwright-core";
import { CHROMIUM_ARGS } from "../../src/charts/export";
import { CHROMIUM } from "./tools";

export interface PageReport {
  /** Elements plotly.js drew into. */
  plots: number;
  /** Traces per drawn plot (from each plot's data). */
  tracesPerPlot: number[];
  /** Charts that gave up and printed "Chart not drawn". */
  notDrawn: number;
  blockedRequests: string[];
  pageErrors: string[];
  ms: number;
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Loads `htmlFile` and waits until `expectedPlots` charts are drawn (or the wait times out). */
export async function inspectPage(browser: Browser, htmlFile: string, expectedPlots: number): Promise<PageReport> {
  const started = Date.now();
  const page = await browser.newPage();
  const blockedRequests: string[] = [];
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    blockedRequests.push(url);
    return route.abort();
  });
  try {
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load", timeout: 60_000 });
    await page.waitForFunction(`document.querySelectorAll(".js-plotly-plot").length >= ${expectedPlots}`, undefined, { timeout: 30_000 })
      .catch(() => undefined); // the counts below say what is missing
    const counts = await page.evaluate(`(() => {
      const plots = Array.from(document.querySelectorAll(".js-plotly-plot"));
      const notDrawn = Array.from(document.querySelectorAll(".replicalab-chart"))
        .filter((el) => (el.textContent || "").includes("Chart not drawn")).length;
      return { plots: plots.length, tracesPerPlot: plots.map((p) => (p.data || []).length), notDrawn };
    })()`) as Pick<PageReport, "plots" | "tracesPerPlot" | "notDrawn">;
    return { ...counts, blockedRequests, pageErrors, ms: Date.now() - started };
  } finally {
    await page.close();
  }
}
