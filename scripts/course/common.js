// Shared pieces of the course build (`npm run student`, `npm run course`, `npm run slides`):
// which notebooks exist, executing them once (executed copies in build/executed/ are reused while
// they are newer than their notebook and everything under src/), a progress bar on stderr, and
// reading a notebook's lesson facts (title, goals, estimated time) and its charts.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { execFile } = require("node:child_process");

const ROOT = path.resolve(__dirname, "../..");
const PYTHON = "/usr/bin/python3";
const JUPYTER = "/usr/bin/jupyter";
const CHROMIUM = "/usr/bin/chromium";
const EXECUTED = path.join(ROOT, "build/executed");

const JUPYTER_ENV = {
  JUPYTER_PATH: path.join(ROOT, ".jupyter/data"),
  JUPYTER_DATA_DIR: path.join(ROOT, ".jupyter/data"),
  JUPYTER_CONFIG_DIR: path.join(ROOT, ".jupyter/config"),
  JUPYTER_RUNTIME_DIR: path.join(ROOT, ".jupyter/runtime"),
};

/** The course's notebooks, whatever exists: notebooks/*.ipynb, sorted (absolute paths). */
function courseNotebooks() {
  const dir = path.join(ROOT, "notebooks");
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f));
}

/** `--name value` and `--flag` arguments. */
function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) out._.push(a);
    else if (a.includes("=")) out[a.slice(2, a.indexOf("="))] = a.slice(a.indexOf("=") + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = true;
  }
  return out;
}

/** Notebooks named by `--notebooks a.ipynb,b.ipynb` (paths relative to the root), else the course's. */
function selectedNotebooks(args) {
  if (typeof args.notebooks !== "string") return courseNotebooks();
  return args.notebooks.split(",").filter(Boolean).map((f) => path.resolve(ROOT, f));
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

function text(value) {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

/** Newest modification time of any file under `dir` (0 if none). */
function newestMtime(dir) {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

let srcMtime;
/** An executed copy is reused while it is newer than its notebook and everything under src/. */
function isFresh(notebook, executed) {
  if (!fs.existsSync(executed)) return false;
  srcMtime ??= newestMtime(path.join(ROOT, "src"));
  const t = fs.statSync(executed).mtimeMs;
  return t > fs.statSync(notebook).mtimeMs && t > srcMtime;
}

function run(cmd, args, timeoutMs) {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, env: { ...process.env, ...JUPYTER_ENV }, timeout: timeoutMs, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
        resolve({ code, stdout, stderr: stderr + (err && err.killed ? `\n(killed after ${timeoutMs} ms)` : ""), ms: Date.now() - started });
      });
  });
}

/** Makes sure the project kernelspec exists (it lives in the git-ignored .jupyter/). */
function ensureKernelspec() {
  if (fs.existsSync(path.join(ROOT, ".jupyter/data/kernels/replicalab-ts/kernel.json"))) return;
  require("node:child_process").execFileSync("bash", [path.join(ROOT, "scripts/setup.sh"), "--kernelspec-only"], { stdio: "ignore" });
}

const KERNEL_START_FAILED = /Kernel didn't respond|before the first cell ran|Kernel died before replying/;

/**
 * Executes `notebook` headless into `out` unless a fresh executed copy exists there.
 * Returns { reused, code, stdout, stderr, ms }.
 */
async function executeOnce(notebook, out, opts = {}) {
  if (!opts.force && isFresh(notebook, out)) return { reused: true, code: 0, stdout: "", stderr: "", ms: 0 };
  const args = [path.join(ROOT, "scripts/run-notebook.py"), notebook, "--out", out,
    "--cell-timeout", String(opts.cellTimeout ?? 120), "--hang-timeout", String(opts.hangTimeout ?? 600)];
  if (opts.strictChecks) args.push("--strict-checks");
  let r = await run(PYTHON, args, ((opts.hangTimeout ?? 600) + 120) * 1000);
  if (r.code !== 0 && KERNEL_START_FAILED.test(r.stderr)) {
    // On a loaded machine the kernel (which first rebuilds src/) can miss nbclient's 90 s start
    // limit: that says nothing about the notebook, so try once more.
    r = await run(PYTHON, args, ((opts.hangTimeout ?? 600) + 120) * 1000);
  }
  if (r.code !== 0 && fs.existsSync(out)) {
    // A failed run leaves its copy for inspection; make sure it is not mistaken for a fresh one.
    const old = new Date(0);
    fs.utimesSync(out, old, old);
  }
  return { reused: false, ...r };
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the results. */
async function inPool(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * A one-line progress bar on stderr, redrawn with "\r" (plain lines when stderr is not a TTY, so
 * CI logs stay readable). `step(label)` advances by one; `log(line)` prints above the bar.
 */
function progressBar(title, total) {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let done = 0;
  let last = "";
  const render = (label) => {
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    const line = `${title} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${secs}s ${label}`;
    if (tty) process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 120) - 1).padEnd(last.length)}`);
    else process.stderr.write(`${line}\r\n`);
    last = line;
  };
  render("");
  return {
    step(label = "") {
      done++;
      render(label);
    },
    label(label) {
      render(label);
    },
    log(line) {
      if (tty) process.stderr.write(`\r${" ".repeat(Math.min(last.length, (process.stderr.columns || 120) - 1))}\r`);
      process.stderr.write(`${line}\n`);
      render("");
    },
    done() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/** Lesson facts from a notebook's markdown: title (first "# "), learning goals, estimated minutes. */
function lessonInfo(nbFile) {
  const nb = readJson(nbFile);
  const name = path.basename(nbFile, ".ipynb");
  const markdown = nb.cells.filter((c) => c.cell_type === "markdown").map((c) => text(c.source));
  const all = markdown.join("\n\n");
  const titleMatch = /^#\s+(.+)$/m.exec(all);
  const title = titleMatch ? titleMatch[1].trim() : name;
  const goals = [];
  const goalsAt = all.search(/^#{2,3}\s+(Learning )?goals\b/im);
  if (goalsAt >= 0) {
    const after = all.slice(goalsAt).split("\n").slice(1);
    let current;
    for (const line of after) {
      if (/^#{1,6}\s/.test(line)) break;
      const item = /^\s{0,3}(?:\d+[.)]|[-*])\s+(.*)$/.exec(line);
      if (item) {
        current = item[1].trim();
        goals.push(current);
      } else if (current !== undefined && /^\s+\S/.test(line)) {
        goals[goals.length - 1] += ` ${line.trim()}`;
      } else if (current !== undefined && line.trim() === "" ) {
        continue;
      } else if (current !== undefined) {
        break;
      }
    }
  }
  const meta = nb.metadata?.replicalab ?? {};
  const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => text(c.source));
  const exercises = code.filter((s) => s.split("\n", 1)[0].trim() === "// @solution").length;
  const predictions = code.filter((s) => /\bpredict\(/.test(s)).length;
  const words = all.split(/\s+/).filter(Boolean).length;
  // Reading at ~120 words a minute (technical text), ~1 minute per code cell to run and look at its
  // output, 6 per exercise, 2 per prediction; rounded up to 5 minutes. metadata.replicalab.minutes wins.
  const estimate = words / 120 + code.length + 6 * exercises + 2 * predictions;
  const minutes = typeof meta.minutes === "number" ? meta.minutes : Math.max(10, Math.ceil(estimate / 5) * 5);
  return { name, file: nbFile, title, goals, minutes, exercises, predictions, codeCells: code.length };
}

/**
 * The charts an executed notebook displayed, in order: the figure JSON each `show` output carries
 * (`var fig = {...};` in the script src/charts/display.ts emits), with the cell index it came from.
 */
function chartsOf(executedNb) {
  const charts = [];
  executedNb.cells.forEach((cell, cellIndex) => {
    for (const o of cell.outputs ?? []) {
      const html = text(o.data?.["text/html"]);
      if (!html.includes("replicalab-chart")) continue;
      const re = /\n\s*var fig = (\{.*\});\n/g;
      let m;
      while ((m = re.exec(html)) !== null) {
        let figure;
        try {
          figure = JSON.parse(m[1]);
        } catch {
          continue;
        }
        if (figure && Array.isArray(figure.data) && figure.layout) charts.push({ cellIndex, figure });
        // An animated replay (src/views): { data: { data, layout, config, frames } }; its first frame.
        else if (figure && Array.isArray(figure.data?.data) && figure.data.layout) {
          charts.push({ cellIndex, figure: { data: figure.data.data, layout: figure.data.layout, config: figure.data.config ?? {} }, animated: true });
        }
      }
    }
  });
  return charts;
}

/** "scenario · seed 42 · replicalab 0.1.0" back into { scenario, seed, version } (undefined if absent). */
function provenanceFromFigure(fig) {
  const note = (fig.layout?.annotations ?? []).find((a) => a.name === "provenance");
  if (!note) return undefined;
  const m = /^(.*) · seed (\S+) · replicalab (\S+)$/.exec(String(note.text));
  if (!m) return undefined;
  return { scenario: m[1], seed: Number(m[2]), version: m[3] };
}

function escapeHtml(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Light inline markdown for goals: `code`, **bold**, *em*. */
function inlineMarkdown(s) {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\*([^*]+)\*/g, "<em>$1</em>");
}

/**
 * Brings lib/ up to date with src/ (incremental tsc, as the kernel does on start). Errors are
 * printed and the build goes on with what compiled, as the kernel does.
 */
async function buildLib() {
  const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
  const r = await run(process.execPath, [tsc, "-p", path.join(ROOT, "tsconfig.build.json")], 600_000);
  if (r.code !== 0) {
    const lines = (r.stdout + r.stderr).trim().split("\n");
    console.error(`warning: src/ does not compile cleanly (going on with what compiled):\n  ${lines.slice(0, 8).join("\n  ")}${lines.length > 8 ? `\n  ... ${lines.length - 8} more lines` : ""}`);
  }
  return r.code;
}

/** The compiled library (lib/, from `npm run build` or the kernel); a clear message if missing. */
function requireLib(rel) {
  const file = path.join(ROOT, "lib", rel);
  if (!fs.existsSync(`${file}.js`)) {
    console.error(`error: ${path.relative(ROOT, file)}.js is missing: run \`npm run build\` first`);
    process.exit(2);
  }
  return require(file);
}

module.exports = {
  ROOT, PYTHON, JUPYTER, CHROMIUM, EXECUTED, JUPYTER_ENV,
  courseNotebooks, selectedNotebooks, parseArgs, readJson, text, isFresh, run, ensureKernelspec, executeOnce,
  inPool, progressBar, buildLib, lessonInfo, chartsOf, provenanceFromFigure, escapeHtml, inlineMarkdown, requireLib,
};
