#!/usr/bin/env node
// `npm run slides` (also the last step of `npm run course`): every chart of every notebook as
// slides, from the executed copies in build/executed/ (run the notebooks first; `course` does).
//
//   dist/slides/NN-topic/NN-chart-title.png   1920x1080, slide theme, provenance in the corner and in
//   dist/slides/NN-topic/NN-chart-title.svg   the file's metadata (PNG tEXt, SVG <title>/<metadata>)
//   dist/slides/NN-topic/index.html           the slides one per screen, for presenting
//   dist/slides/NN-topic/manifest.json        file, title, cell and provenance of each chart
//
// Charts are taken from the executed notebook's outputs: each `show` output carries its figure as
// JSON (src/charts/display.ts), which is parsed back and re-rendered with the slide theme. One
// headless Chromium renders every chart of every notebook.
//
// Options: --out DIR (default dist/slides), --notebooks a.ipynb,b.ipynb, --executed DIR
// (default build/executed), --force (re-export even when the slides are newer than the executed copy).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const common = require("./common");

/** A figure parsed from a notebook output, completed with what the chart builders always set. */
function asFigure(raw, provenance) {
  const layout = raw.layout ?? {};
  const fig = {
    data: raw.data ?? [],
    layout: {
      ...layout,
      title: typeof layout.title === "string" ? { text: layout.title } : { text: "", ...(layout.title ?? {}) },
      xaxis: { ...(layout.xaxis ?? {}), title: layout.xaxis?.title ?? {} },
      yaxis: { ...(layout.yaxis ?? {}), title: layout.yaxis?.title ?? {} },
      shapes: layout.shapes ?? [],
      annotations: layout.annotations ?? [],
    },
    config: raw.config ?? {},
  };
  if (provenance) fig.provenance = provenance;
  return fig;
}

function slug(s) {
  return String(s).toLowerCase().replace(/<[^>]+>/g, "").normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "chart";
}

function deckHtml(name, title, slides) {
  const sections = slides.map((s, i) => `<section id="s${i + 1}"><img src="${s.svg}" alt="${common.escapeHtml(s.title || `chart ${i + 1}`)}"></section>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${common.escapeHtml(title)} · slides</title>
<style>
html{scroll-snap-type:y mandatory;background:#fff}body{margin:0}
section{height:100vh;width:100vw;display:flex;align-items:center;justify-content:center;scroll-snap-align:start;box-sizing:border-box}
section img{max-width:100vw;max-height:100vh;object-fit:contain}
.title{font:600 4vh system-ui,sans-serif;flex-direction:column;color:#222}.title p{font-weight:400;font-size:2.4vh;color:#666}
</style></head>
<body>
<section class="title"><div>${common.escapeHtml(title)}</div><p>${slides.length} chart${slides.length === 1 ? "" : "s"} · ${common.escapeHtml(name)} · &darr; / space / PgDn for the next one</p></section>
${sections}
<script>
document.addEventListener("keydown", function (e) {
  var dir = { ArrowDown: 1, ArrowRight: 1, " ": 1, PageDown: 1, ArrowUp: -1, ArrowLeft: -1, PageUp: -1 }[e.key];
  if (!dir) return;
  e.preventDefault();
  window.scrollBy({ top: dir * window.innerHeight, behavior: "auto" });
});
</script>
</body></html>
`;
}

/**
 * One Chromium for the whole export (createExporter from src/charts/export.ts). On a loaded machine
 * loading plotly.js into the exporter's page can exceed Playwright's default 30 s navigation limit,
 * and createExporter has no option for it; so while it starts, pages of the browsers it launches get
 * a longer limit (the same playwright-core module instance, patched and restored). Two tries.
 */
async function startExporter(createExporter, timeoutMs = 180_000) {
  const { chromium } = require(require.resolve("playwright-core", { paths: [common.ROOT] }));
  const launch = chromium.launch;
  chromium.launch = async function patchedLaunch(...launchArgs) {
    const browser = await launch.apply(this, launchArgs);
    const newPage = browser.newPage.bind(browser);
    browser.newPage = async (...pageArgs) => {
      const page = await newPage(...pageArgs);
      page.setDefaultNavigationTimeout(timeoutMs);
      page.setDefaultTimeout(timeoutMs);
      return page;
    };
    return browser;
  };
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        return await createExporter({ executablePath: common.CHROMIUM });
      } catch (err) {
        if (attempt === 2) throw err;
        console.error(`starting the chart exporter failed (${String(err.message ?? err).split("\n")[0]}); trying again`);
      }
    }
  } finally {
    chromium.launch = launch;
  }
}

/**
 * Exports the charts of each executed notebook ({ name, title, executed }) into outRoot/<name>/.
 * Returns per-notebook { name, charts, exported, skipped, missingProvenance, ms }.
 */
async function exportSlides(items, outRoot, opts = {}) {
  const { createExporter } = common.requireLib("charts/export");
  const plan = items.map((item) => {
    const dir = path.join(outRoot, item.name);
    const manifest = path.join(dir, "manifest.json");
    const upToDate = !opts.force && fs.existsSync(manifest) && fs.existsSync(item.executed) &&
      fs.statSync(manifest).mtimeMs > fs.statSync(item.executed).mtimeMs;
    const charts = fs.existsSync(item.executed) ? common.chartsOf(common.readJson(item.executed)) : [];
    return { ...item, dir, manifest, upToDate, charts };
  });
  const total = plan.reduce((s, p) => s + (p.upToDate ? 0 : p.charts.length), 0);
  const bar = opts.bar ?? common.progressBar("slides", total);
  const results = [];
  let exporter;
  try {
    for (const p of plan) {
      const started = Date.now();
      if (p.upToDate) {
        results.push({ name: p.name, charts: p.charts.length, exported: 0, skipped: true, missingProvenance: 0, ms: 0 });
        continue;
      }
      if (p.charts.length > 0) exporter ??= await startExporter(createExporter);
      fs.rmSync(p.dir, { recursive: true, force: true });
      fs.mkdirSync(p.dir, { recursive: true });
      const slides = [];
      const failed = [];
      let missingProvenance = 0;
      for (const [i, chart] of p.charts.entries()) {
        const provenance = common.provenanceFromFigure(chart.figure);
        if (!provenance) missingProvenance++;
        const fig = asFigure(chart.figure, provenance);
        const title = String(fig.layout.title.text ?? "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
        const base = `${String(i + 1).padStart(2, "0")}-${slug(title)}`;
        bar.label(`${p.name} ${i + 1}/${p.charts.length}`);
        try {
          await exporter.exportChart(fig, { format: "png", theme: "slides", width: 1920, height: 1080, file: path.join(p.dir, `${base}.png`) });
          await exporter.exportChart(fig, { format: "svg", theme: "slides", width: 1920, height: 1080, file: path.join(p.dir, `${base}.svg`) });
        } catch (err) {
          failed.push(`${p.name} chart ${i + 1} (cell ${chart.cellIndex}): ${String(err.message ?? err).split("\n")[0]}`);
          bar.step(`${p.name} ${i + 1}/${p.charts.length}`);
          continue;
        }
        slides.push({ png: `${base}.png`, svg: `${base}.svg`, title, cell: chart.cellIndex, provenance: provenance ?? null });
        bar.step(`${p.name} ${i + 1}/${p.charts.length}`);
      }
      fs.writeFileSync(path.join(p.dir, "index.html"), deckHtml(p.name, p.title ?? p.name, slides));
      fs.writeFileSync(p.manifest, `${JSON.stringify({ notebook: p.name, width: 1920, height: 1080, theme: "slides", slides }, null, 2)}\n`);
      for (const f of failed) console.error(`slide export failed: ${f}`);
      results.push({ name: p.name, charts: p.charts.length, exported: slides.length, skipped: false, missingProvenance, failed, ms: Date.now() - started });
    }
    const blocked = exporter?.blockedRequests() ?? [];
    if (blocked.length > 0) throw new Error(`the slide export tried to load ${blocked.join(", ")}`);
  } finally {
    await exporter?.close();
    if (!opts.bar) bar.done();
  }
  return results;
}

async function main(argv) {
  const args = common.parseArgs(argv);
  const outRoot = path.resolve(common.ROOT, typeof args.out === "string" ? args.out : "dist/slides");
  const executedDir = path.resolve(common.ROOT, typeof args.executed === "string" ? args.executed : common.EXECUTED);
  const started = Date.now();
  if (!args["no-build"]) await common.buildLib();
  const items = common.selectedNotebooks(args).map((nb) => ({
    name: path.basename(nb, ".ipynb"), title: common.lessonInfo(nb).title, executed: path.join(executedDir, path.basename(nb)),
  }));
  const missing = items.filter((i) => !fs.existsSync(i.executed));
  for (const m of missing) console.error(`${m.name}: no executed copy in ${path.relative(common.ROOT, executedDir)}/ (run \`npm run course\` first); skipped`);
  const results = await exportSlides(items.filter((i) => fs.existsSync(i.executed)), outRoot, { force: Boolean(args.force) });
  for (const r of results) {
    console.log(`${r.name}: ${r.charts} chart(s)${r.skipped ? " (up to date)" : `, ${r.exported} exported in ${(r.ms / 1000).toFixed(1)} s`}` +
      (r.missingProvenance ? `, ${r.missingProvenance} without provenance` : ""));
  }
  console.log(`slides in ${path.relative(common.ROOT, outRoot)}/ (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return missing.length > 0 ? 1 : 0;
}

module.exports = { exportSlides, asFigure, deckHtml };

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code), (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
