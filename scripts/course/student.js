#!/usr/bin/env node
// `npm run student`: the two editions of every notebook.
//
//   dist/student/NN-topic.ipynb      solutions replaced by stubs and TODOs (studentEdition() from
//                                    src/notebook/solutions.ts), outputs cleared
//   dist/instructor/NN-topic.ipynb   the notebooks as written, solutions kept, outputs cleared
//
// Options: --out DIR (default dist), --notebooks a.ipynb,b.ipynb (default notebooks/*.ipynb),
// --verify (execute every student edition headless: each must run to its last cell; its checks say
// "not yet", which is expected). The build refuses to write a student edition that still contains a
// line of solution code.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const common = require("./common");

const BEGIN = /^\s*\/\/ BEGIN SOLUTION(?:\s+stub:.*)?\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const SOLUTION_CELL = "// @solution";

/** Lines of solution code in a notebook (inside BEGIN/END regions, or whole `// @solution` cells without regions). */
function solutionLines(nb) {
  const lines = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    const src = common.text(cell.source).split("\n");
    if (src[0].trim() !== SOLUTION_CELL) continue;
    const body = src.slice(1);
    const hasRegions = body.some((l) => BEGIN.test(l));
    let inside = !hasRegions;
    for (const line of body) {
      if (BEGIN.test(line)) inside = true;
      else if (END.test(line)) inside = false;
      else if (inside) lines.push(line.trim());
    }
  }
  return lines;
}

/** Code text of a notebook outside solution regions (what the student edition may legitimately hold). */
function nonSolutionText(nb) {
  const solution = new Set(solutionLines(nb));
  const stubs = nb.cells.flatMap((c) => common.text(c.source).split("\n"))
    .map((l) => /^\s*\/\/ BEGIN SOLUTION\s+stub:\s*(.*?)\s*$/.exec(l)?.[1]).filter(Boolean);
  const outside = nb.cells.map((c) => common.text(c.source).split("\n").filter((l) => !solution.has(l.trim())).join("\n"));
  return [...outside, ...stubs].join("\n");
}

/**
 * Solution lines that appear in `student` (a notebook) but nowhere in `instructor` outside its
 * solutions: each is a leak. Trivial lines (braces, `}`, short keywords) cannot identify a solution
 * and are ignored.
 */
function leaks(instructor, student) {
  const allowed = new Set(nonSolutionText(instructor).split("\n").map((l) => l.trim()));
  const studentText = JSON.stringify(student);
  const studentLines = new Set(student.cells.flatMap((c) => common.text(c.source).split("\n").map((l) => l.trim())));
  return [...new Set(solutionLines(instructor))]
    .filter((l) => l.replace(/[\s{}();,[\]]/g, "").length >= 6)
    .filter((l) => !allowed.has(l))
    .filter((l) => studentLines.has(l) || studentText.includes(JSON.stringify(l).slice(1, -1)));
}

function cleanedInstructor(nb) {
  return {
    ...nb,
    cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : c)),
  };
}

function serialize(nb) {
  return require(path.join(common.ROOT, "scripts/make-notebook.js")).serialize(nb);
}

/** Writes both editions of each notebook; returns [{ name, student, instructor, solutionCells, leaks }]. */
function buildEditions(notebooks, outDir) {
  const { studentEdition } = common.requireLib("notebook/solutions");
  const studentDir = path.join(outDir, "student");
  const instructorDir = path.join(outDir, "instructor");
  fs.rmSync(studentDir, { recursive: true, force: true });
  fs.rmSync(instructorDir, { recursive: true, force: true });
  fs.mkdirSync(studentDir, { recursive: true });
  fs.mkdirSync(instructorDir, { recursive: true });
  return notebooks.map((file) => {
    const nb = common.readJson(file);
    const student = studentEdition(nb);
    const found = leaks(nb, student);
    const base = path.basename(file);
    const result = {
      name: base,
      student: path.join(studentDir, base),
      instructor: path.join(instructorDir, base),
      solutionCells: nb.cells.filter((c) => c.cell_type === "code" && common.text(c.source).split("\n", 1)[0].trim() === SOLUTION_CELL).length,
      leaks: found,
    };
    fs.writeFileSync(result.instructor, serialize(cleanedInstructor(nb)));
    if (found.length === 0) fs.writeFileSync(result.student, serialize(student));
    return result;
  });
}

/** Executes each student edition (no strict checks); returns [{ name, code, notYet, ms, stderr }]. */
async function verifyEditions(results, bar) {
  common.ensureKernelspec();
  const outDir = path.join(common.ROOT, "build/executed-student");
  return common.inPool(results.map((r) => async () => {
    const out = path.join(outDir, r.name);
    const run = await common.executeOnce(r.student, out, { force: true });
    const executed = fs.existsSync(out) ? common.readJson(out) : { cells: [] };
    const stdout = executed.cells.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stdout").map((o) => common.text(o.text))).join("");
    const notYet = (stdout.match(/^✗ .*: not yet.*$/gm) ?? []).length;
    bar?.step(r.name);
    return { name: r.name, code: run.code, notYet, ms: run.ms, stderr: run.stderr, executed: out };
  }), 2);
}

async function main(argv) {
  const args = common.parseArgs(argv);
  const outDir = path.resolve(common.ROOT, typeof args.out === "string" ? args.out : "dist");
  const notebooks = common.selectedNotebooks(args);
  const started = Date.now();
  if (!args["no-build"]) await common.buildLib();
  const results = buildEditions(notebooks, outDir);
  let status = 0;
  for (const r of results) {
    if (r.leaks.length > 0) {
      status = 1;
      console.error(`FAIL ${r.name}: the student edition would contain solution code:\n  ${r.leaks.join("\n  ")}`);
    } else {
      console.log(`${r.name}: ${r.solutionCells} solution cell(s) stubbed -> ${path.relative(common.ROOT, r.student)}`);
    }
  }
  if (args.verify) {
    const bar = common.progressBar("running student editions", results.length);
    const runs = await verifyEditions(results.filter((r) => r.leaks.length === 0), bar);
    bar.done();
    for (const r of runs) {
      const verdict = r.code === 0 ? "runs to the end" : `FAILED (exit ${r.code})`;
      console.log(`${r.name}: ${verdict}, ${r.notYet} check(s) say "not yet", ${(r.ms / 1000).toFixed(1)} s`);
      if (r.code !== 0) {
        status = 1;
        console.error(r.stderr.trim());
      }
    }
  }
  console.log(`student and instructor editions of ${results.length} notebook(s) in ${path.relative(common.ROOT, outDir) || "."}/ (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return status;
}

module.exports = { solutionLines, leaks, buildEditions, verifyEditions };

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => (process.exitCode = code), (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
