#!/usr/bin/env node
// `npm run course`: the whole course, offline.
//
//   1. executes every notebooks/*.ipynb headless (two at a time) into build/executed/, reusing an
//      executed copy while it is newer than its notebook and everything under src/;
//   2. exports each executed copy to HTML with nbconvert and rewrites it for the site (site.js):
//      require.js, MathJax and plotly.js are loaded from the site's assets/, lessons link to each
//      other and to the course map;
//   3. writes dist/course/index.html (the course map: lessons, goals, estimated times) and
//      dist/course.zip (the same site, zipped, for a USB stick or a download);
//   4. exports every chart as slides into dist/slides/ (slides.js), with one Chromium.
//
// A progress bar on stderr shows each step. The exit status is 1 when a notebook failed to run (its
// page is still built from whatever ran, and the course map says so).
//
// Options: --out DIR (site, default dist/course), --slides DIR (default dist/slides), --no-slides,
// --no-zip, --notebooks a.ipynb,b.ipynb (default notebooks/*.ipynb), --executed DIR (default
// build/executed), --force (re-execute every notebook).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const common = require("./common");
const site = require("./site");
const { exportSlides } = require("./slides");

function version() {
  return common.readJson(path.join(common.ROOT, "package.json")).version;
}

async function buildCourse(opts) {
  const started = Date.now();
  const timings = {};
  const notebooks = opts.notebooks;
  const lessons = notebooks.map((nb) => ({ ...common.lessonInfo(nb), executed: path.join(opts.executedDir, path.basename(nb)) }));
  const htmlTmp = path.join(common.ROOT, "build/course-html");
  fs.mkdirSync(htmlTmp, { recursive: true });
  common.ensureKernelspec();

  // 1. Execute (or reuse).
  let t = Date.now();
  const execBar = common.progressBar("1/4 running notebooks", lessons.length);
  const runs = await common.inPool(lessons.map((l) => async () => {
    execBar.label(`${l.name}…`);
    const r = await common.executeOnce(l.file, l.executed, { force: opts.force });
    execBar.step(`${l.name} ${r.reused ? "(reused)" : `${(r.ms / 1000).toFixed(0)} s`}`);
    if (r.code !== 0) execBar.log(`FAIL ${l.name} (exit ${r.code}):\n${r.stderr.trim()}`);
    return r;
  }), 2);
  execBar.done();
  lessons.forEach((l, i) => {
    l.reused = runs[i].reused;
    l.failed = runs[i].code !== 0;
    l.runMs = runs[i].ms;
  });
  timings.executeMs = Date.now() - t;

  // 2. HTML pages.
  t = Date.now();
  fs.rmSync(opts.out, { recursive: true, force: true });
  fs.mkdirSync(opts.out, { recursive: true });
  const missingAssets = site.copyAssets(opts.out);
  for (const m of missingAssets) console.error(`warning: ${m} not found: install Debian's jupyter-nbconvert dependencies (npm run setup)`);
  const pageBar = common.progressBar("2/4 building pages  ", lessons.length);
  const problems = [];
  await common.inPool(lessons.map((l, i) => async () => {
    if (!fs.existsSync(l.executed)) {
      problems.push(`${l.name}: no executed copy`);
      pageBar.step(l.name);
      return;
    }
    const r = await common.run(common.JUPYTER, ["nbconvert", "--to", "html", "--output-dir", htmlTmp, l.executed], 120_000);
    if (r.code !== 0) {
      problems.push(`${l.name}: nbconvert failed: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
      pageBar.step(l.name);
      return;
    }
    const html = fs.readFileSync(path.join(htmlTmp, `${l.name}.html`), "utf8");
    l.charts = common.chartsOf(common.readJson(l.executed)).length;
    try {
      fs.writeFileSync(path.join(opts.out, `${l.name}.html`), site.rewritePage(html, lessons, i));
    } catch (err) {
      problems.push(`${l.name}: ${err.message}`);
    }
    pageBar.step(l.name);
  }), 2);
  pageBar.done();
  for (const l of lessons) l.charts ??= 0;
  fs.writeFileSync(path.join(opts.out, "index.html"), site.indexHtml(lessons, { builtAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"), version: version() }));
  fs.writeFileSync(path.join(opts.out, "course.json"), `${JSON.stringify(lessons.map((l) => ({
    name: l.name, title: l.title, goals: l.goals, minutes: l.minutes, exercises: l.exercises, charts: l.charts, page: `${l.name}.html`,
  })), null, 2)}\n`);
  timings.pagesMs = Date.now() - t;

  // 3. Zip.
  t = Date.now();
  if (opts.zip) {
    const zipBar = common.progressBar("3/4 zipping site    ", 1);
    const zipFile = `${opts.out}.zip`;
    fs.rmSync(zipFile, { force: true });
    const r = await common.run(common.PYTHON, ["-c",
      "import os,sys,zipfile\nroot,out=sys.argv[1],sys.argv[2]\nbase=os.path.basename(root)\n" +
      "with zipfile.ZipFile(out,'w',zipfile.ZIP_DEFLATED) as z:\n" +
      " for d,_,fs in os.walk(root):\n  for f in sorted(fs):\n   p=os.path.join(d,f); z.write(p, os.path.join(base, os.path.relpath(p, root)))\n",
      opts.out, zipFile], 300_000);
    if (r.code !== 0) problems.push(`zip failed: ${r.stderr.trim()}`);
    zipBar.step(path.basename(zipFile));
    zipBar.done();
  }
  timings.zipMs = Date.now() - t;

  // 4. Slides.
  t = Date.now();
  let slides = [];
  if (opts.slides) {
    const total = lessons.reduce((s, l) => s + l.charts, 0);
    const bar = common.progressBar("4/4 exporting slides", total);
    slides = await exportSlides(lessons.filter((l) => fs.existsSync(l.executed)), opts.slidesOut, { bar, force: opts.force });
    bar.done();
  }
  timings.slidesMs = Date.now() - t;
  timings.totalMs = Date.now() - started;
  return { lessons, problems, slides, timings };
}

async function main(argv) {
  const args = common.parseArgs(argv);
  const opts = {
    notebooks: common.selectedNotebooks(args),
    out: path.resolve(common.ROOT, typeof args.out === "string" ? args.out : "dist/course"),
    slidesOut: path.resolve(common.ROOT, typeof args.slides === "string" ? args.slides : "dist/slides"),
    executedDir: path.resolve(common.ROOT, typeof args.executed === "string" ? args.executed : common.EXECUTED),
    slides: !args["no-slides"],
    zip: !args["no-zip"],
    force: Boolean(args.force),
  };
  for (const tool of [common.PYTHON, common.JUPYTER, common.CHROMIUM]) {
    if (!fs.existsSync(tool)) {
      console.error(`error: ${tool} not found: run \`npm run setup\``);
      return 2;
    }
  }
  if (opts.notebooks.length === 0) {
    console.error("error: no notebooks");
    return 2;
  }
  if (!args["no-build"]) await common.buildLib();
  const { lessons, problems, slides, timings } = await buildCourse(opts);
  const rel = (p) => path.relative(common.ROOT, p);
  for (const l of lessons) {
    const ran = l.reused ? "reused executed copy" : `executed in ${(l.runMs / 1000).toFixed(1)} s`;
    console.log(`${l.name}: ${l.failed ? "FAILED, " : ""}${ran}, ${l.charts} chart(s), ~${l.minutes} min`);
  }
  for (const s of slides) {
    if (s.missingProvenance) console.log(`${s.name}: ${s.missingProvenance} chart(s) without provenance`);
    for (const f of s.failed ?? []) problems.push(`slide export failed: ${f}`);
  }
  for (const p of problems) console.error(`problem: ${p}`);
  const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`site: ${rel(opts.out)}/index.html${opts.zip ? ` (zipped: ${rel(opts.out)}.zip)` : ""}` +
    `${opts.slides ? `; slides: ${rel(opts.slidesOut)}/` : ""}`);
  console.log(`time: ${secs(timings.totalMs)} (notebooks ${secs(timings.executeMs)}, pages ${secs(timings.pagesMs)}, ` +
    `zip ${secs(timings.zipMs)}, slides ${secs(timings.slidesMs)})`);
  return problems.length > 0 || lessons.some((l) => l.failed) ? 1 : 0;
}

module.exports = { buildCourse };

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code), (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
