/**
 * The offline course site (`npm run course`), built small: the smoke fixture plus one real notebook
 * (COURSE_TEST_NOTEBOOK picks it, default the first of notebooks/). The zipped site is unpacked into
 * a fresh folder, as on another machine, and opened in headless Chromium where every request that
 * is not a file inside that folder is refused and recorded: every page loads, every chart draws,
 * nothing remote (or from the build machine's /usr/share) is requested, and the lesson links work.
 * The slides of both notebooks are checked too.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchBrowser } from "../notebooks/browser";
import { ROOT } from "../notebooks/notebook-files";
import { run, type ProcessResult } from "../notebooks/processes";
import { CHROMIUM, JUPYTER, PYTHON, skipWithout } from "../notebooks/tools";

const SMOKE = "test/fixtures/notebooks/smoke.ipynb";
const courseNotebooks = fs.existsSync(path.join(ROOT, "notebooks"))
  ? fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort() : [];
const REAL = process.env.COURSE_TEST_NOTEBOOK ?? (courseNotebooks[0] ? `notebooks/${courseNotebooks[0]}` : undefined);
const notebooks = [SMOKE, ...(REAL ? [REAL] : [])];
const names = notebooks.map((f) => path.basename(f, ".ipynb"));

interface Visit {
  page: Page;
  refused: string[];
  errors: string[];
}

describe.skipIf(skipWithout([PYTHON, JUPYTER, CHROMIUM]))("the offline course site", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "course-site-"));
  const siteDir = path.join(tmp, "site");
  const slidesDir = path.join(tmp, "slides");
  const elsewhere = path.join(tmp, "elsewhere");
  const unpacked = path.join(elsewhere, "site");
  let build: ProcessResult;
  let browser: Browser | undefined;

  beforeAll(async () => {
    build = await run(process.execPath, [path.join(ROOT, "scripts/course/course.js"), "--no-build",
      "--notebooks", notebooks.join(","), "--out", siteDir, "--slides", slidesDir], 1_500_000);
    console.log(build.stdout.trim());
    if (build.code !== 0) return;
    // "Another machine": the zip unpacked somewhere else; the build folder is not used.
    const unzip = await run(PYTHON, ["-c", "import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", `${siteDir}.zip`, elsewhere], 60_000);
    if (unzip.code !== 0) throw new Error(unzip.stderr);
    browser = await launchBrowser();
  }, 1_600_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a page of the unpacked site; only files inside it (and data: URLs) may load. */
  async function visit(url: string): Promise<Visit> {
    if (!browser) throw new Error("the site was not built");
    const page = await browser.newPage();
    const refused: string[] = [];
    const errors: string[] = [];
    const inside = pathToFileURL(unpacked).href + "/";
    // Generous limits: on a loaded CI machine a lesson page (plotly.js and MathJax included) can take
    // well over Playwright's default 30 s to load.
    page.setDefaultTimeout(120_000);
    page.on("pageerror", (e) => errors.push(e.message));
    await page.route("**/*", (route) => {
      const u = route.request().url();
      if (u.startsWith(inside) || u.startsWith("data:")) return route.continue();
      refused.push(u);
      return route.abort();
    });
    await page.goto(url, { waitUntil: "load", timeout: 120_000 });
    return { page, refused, errors };
  }

  const lessonUrl = (name: string) => pathToFileURL(path.join(unpacked, `${name}.html`)).href;

  test("builds with a progress bar and reports its time", () => {
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/running notebooks \[#+\]/);
    expect(build.stdout).toMatch(/^time: [\d.]+ s/m);
    expect(fs.existsSync(`${siteDir}.zip`)).toBe(true);
  });

  test("the pages refer to nothing outside the site", () => {
    for (const name of names) {
      const html = fs.readFileSync(path.join(unpacked, `${name}.html`), "utf8");
      expect(html).not.toContain("file:///");
      expect(html).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
      expect(html).not.toContain("inlined by replicalab"); // plotly.js is the shared assets/ copy
    }
    for (const asset of ["assets/plotly.min.js", "assets/require.min.js", "assets/mathjax/MathJax.js"]) {
      expect(fs.existsSync(path.join(unpacked, asset)), asset).toBe(true);
    }
  });

  test("the course map lists each lesson with its goals and time, and its links open the lessons", async () => {
    const { page, refused, errors } = await visit(pathToFileURL(path.join(unpacked, "index.html")).href);
    try {
      const rows = await page.$$eval("tbody tr", (trs) => trs.map((tr) => ({
        href: tr.querySelector("a")?.getAttribute("href"),
        goals: tr.querySelectorAll("li").length,
        time: tr.querySelector(".time")?.textContent ?? "",
      })));
      expect(rows.map((r) => r.href)).toEqual(names.map((n) => `${n}.html`));
      expect(rows.every((r) => /^\d+ min$/.test(r.time))).toBe(true);
      if (REAL) expect(rows[1].goals, "the real notebook's learning goals").toBeGreaterThan(0);
      for (const name of names) expect(fs.existsSync(path.join(unpacked, `${name}.html`)), `${name}.html`).toBe(true);
      // Following a link loads a whole lesson (plotly.js included): one is enough here, the lesson
      // pages' own tests follow their links to the neighbours and back to this map.
      await page.click(`a[href="${names[names.length - 1]}.html"]`);
      await page.waitForURL(lessonUrl(names[names.length - 1]));
      expect(await page.title()).toContain("replicalab course");
      expect(refused).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 300_000);

  describe.each(names)("%s.html", (name) => {
    test("loads offline and draws every chart, with its traces", async () => {
      const html = fs.readFileSync(path.join(unpacked, `${name}.html`), "utf8");
      const expected = (html.match(/class="replicalab-chart"/g) ?? []).length;
      expect(expected).toBeGreaterThan(0);
      const { page, refused, errors } = await visit(lessonUrl(name));
      try {
        await page.waitForFunction(`document.querySelectorAll(".js-plotly-plot").length >= ${expected}`, undefined, { timeout: 60_000 })
          .catch(() => undefined);
        const report = await page.evaluate(`(() => {
          const plots = Array.from(document.querySelectorAll(".js-plotly-plot"));
          return {
            plots: plots.length,
            traces: plots.map((p) => (p.data || []).length),
            notDrawn: Array.from(document.querySelectorAll(".replicalab-chart")).filter((el) => (el.textContent || "").includes("Chart not drawn")).length,
            mathjax: typeof window.MathJax,
          };
        })()`) as { plots: number; traces: number[]; notDrawn: number; mathjax: string };
        expect(refused, "requests outside the site").toEqual([]);
        expect(errors, "page errors").toEqual([]);
        expect(report.notDrawn).toBe(0);
        expect(report.plots).toBe(expected);
        expect(report.traces.every((n) => n > 0)).toBe(true);
        expect(report.mathjax).toBe("object");
      } finally {
        await page.close();
      }
    }, 300_000);

    test("its navigation links lead to the neighbouring lessons and the course map", async () => {
      const i = names.indexOf(name);
      const { page, refused } = await visit(lessonUrl(name));
      try {
        if (i + 1 < names.length) {
          await page.click("nav.rl-top a[rel=next]");
          await page.waitForURL(lessonUrl(names[i + 1]));
          await page.goBack();
        } else {
          expect(await page.$("nav.rl-top a[rel=next]")).toBeNull();
        }
        if (i > 0) {
          await page.click("nav.rl-bottom a[rel=prev]");
          await page.waitForURL(lessonUrl(names[i - 1]));
          await page.goBack();
        }
        await page.click("nav.rl-top a.rl-index");
        await page.waitForURL(pathToFileURL(path.join(unpacked, "index.html")).href);
        expect(refused).toEqual([]);
      } finally {
        await page.close();
      }
    }, 600_000);

    test("every chart is a 1920x1080 PNG and an SVG slide with provenance, and a deck page shows them", () => {
      const dir = path.join(slidesDir, name);
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as {
        slides: { png: string; svg: string; provenance: { scenario: string; seed: number; version: string } | null }[];
      };
      const html = fs.readFileSync(path.join(unpacked, `${name}.html`), "utf8");
      expect(manifest.slides.length).toBe((html.match(/class="replicalab-chart"/g) ?? []).length);
      for (const s of manifest.slides) {
        const png = fs.readFileSync(path.join(dir, s.png));
        expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1920, 1080]);
        expect(s.provenance, `${s.png} has provenance`).not.toBeNull();
        expect(png.includes(Buffer.from("replicalab:provenance"))).toBe(true);
        const svg = fs.readFileSync(path.join(dir, s.svg), "utf8");
        expect(svg).toContain("<metadata");
        expect(svg).toContain(`seed ${s.provenance?.seed}`);
      }
      const deck = fs.readFileSync(path.join(dir, "index.html"), "utf8");
      expect((deck.match(/<section id="s\d+"><img/g) ?? []).length).toBe(manifest.slides.length);
    });
  });
});
