/**
 * The student edition (`npm run student`): no line of solution code reaches it, the instructor
 * edition keeps every solution, and a student edition runs to its last cell in the real kernel,
 * its checks saying "not yet" instead of stopping "Run all".
 * COURSE_TEST_ALL_STUDENT=1 also runs every course notebook's student edition (minutes).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, test } from "vitest";
import { notebookPaths, readNotebook, ROOT, text, type NotebookJson } from "../notebooks/notebook-files";
import { inPool, run } from "../notebooks/processes";
import { JUPYTER, PYTHON, skipWithout } from "../notebooks/tools";

interface EditionResult {
  name: string;
  student: string;
  instructor: string;
  solutionCells: number;
  leaks: string[];
}

interface StudentModule {
  buildEditions(notebooks: string[], outDir: string): EditionResult[];
  leaks(instructor: NotebookJson, student: NotebookJson): string[];
}

const student = require("../../scripts/course/student.js") as StudentModule;
const SMOKE = "test/fixtures/notebooks/smoke.ipynb";
const withSolutions = notebookPaths().filter((f) => readNotebook(f).cells.some((c) => text(c.source).startsWith("// @solution")));
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "course-student-"));
const results = student.buildEditions(withSolutions.map((f) => path.join(ROOT, f)), outDir);

/** Solution code lines, found independently of the build: inside regions, or whole marked cells. */
function solutionCode(nb: NotebookJson): { lines: string[]; stubs: string[] } {
  const lines: string[] = [];
  const stubs: string[] = [];
  for (const cell of nb.cells) {
    const src = text(cell.source).split("\n");
    if (cell.cell_type !== "code" || src[0].trim() !== "// @solution") continue;
    const regions = src.some((l) => l.includes("// BEGIN SOLUTION"));
    let inside = !regions;
    for (const line of src.slice(1)) {
      if (line.includes("// BEGIN SOLUTION")) {
        inside = true;
        const stub = /stub:\s*(.*)$/.exec(line);
        if (stub) stubs.push(stub[1].trim());
      } else if (line.includes("// END SOLUTION")) {
        inside = false;
      } else if (inside) {
        lines.push(line.trim());
      }
    }
  }
  return { lines, stubs };
}

describe("student edition", () => {
  test("the notebooks with solutions include the smoke fixture", () => {
    expect(withSolutions).toContain(SMOKE);
  });

  describe.each(results.map((r) => [r.name, r] as const))("%s", (_name, r) => {
    const original = readNotebook(path.join(ROOT, withSolutions[results.indexOf(r)]));

    test("no solution code leaks into the student edition", () => {
      expect(r.leaks).toEqual([]);
      const studentText = fs.readFileSync(r.student, "utf8");
      const studentNb = JSON.parse(studentText) as NotebookJson;
      const { lines, stubs } = solutionCode(original);
      const solutionSet = new Set(lines);
      // Lines that legitimately occur outside the solutions (or are a stub) may appear in both.
      const elsewhere = new Set([
        ...original.cells.flatMap((c) => text(c.source).split("\n").map((l) => l.trim()).filter((l) => !solutionSet.has(l))),
        ...stubs,
      ]);
      const studentLines = new Set(studentNb.cells.flatMap((c) => text(c.source).split("\n").map((l) => l.trim())));
      const leaked = lines.filter((l) => l.replace(/[\s{}();,[\]]/g, "").length >= 6 && !elsewhere.has(l) && studentLines.has(l));
      expect(leaked).toEqual([]);
      const studentCode = studentNb.cells.filter((c) => c.cell_type === "code").map((c) => text(c.source)).join("\n");
      expect(studentCode).not.toMatch(/BEGIN SOLUTION|END SOLUTION|^\s*\/\/ @solution/m);
      expect(studentNb.cells.every((c) => c.cell_type !== "code" || ((c.outputs ?? []).length === 0 && c.execution_count == null))).toBe(true);
    });

    test("every solution cell becomes a TODO; the instructor edition keeps the solutions", () => {
      const todos = (fs.readFileSync(r.student, "utf8").match(/TODO: your code here/g) ?? []).length;
      expect(todos).toBeGreaterThanOrEqual(r.solutionCells);
      const instructor = readNotebook(r.instructor);
      expect(instructor.cells.map((c) => text(c.source))).toEqual(original.cells.map((c) => text(c.source)));
    });
  });

  test("a planted leak is caught", () => {
    const nb = readNotebook(SMOKE);
    const leakyStudent = { ...nb, cells: [...nb.cells, { cell_type: "code", source: "return _.max(series.flatMap((s) => s.values)) ?? 0;" }] };
    expect(student.leaks(nb, leakyStudent)).toEqual(["return _.max(series.flatMap((s) => s.values)) ?? 0;"]);
  });
});

describe.skipIf(skipWithout([PYTHON, JUPYTER]))("the student edition runs to the end", () => {
  const toRun = process.env.COURSE_TEST_ALL_STUDENT ? results : results.filter((r) => r.name === path.basename(SMOKE));

  test.each(toRun.map((r) => [r.name, r] as const))("%s", async (_name, r) => {
    const executed = path.join(outDir, "executed", r.name);
    const [res] = await inPool([() => run(PYTHON, [path.join(ROOT, "scripts/run-notebook.py"), r.student, "--out", executed,
      "--cell-timeout", "120", "--hang-timeout", "600"], 720_000)], 1);
    expect(res.code, `${res.stdout}${res.stderr}`).toBe(0);
    const nb = readNotebook(executed);
    const code = nb.cells.filter((c) => c.cell_type === "code");
    expect(code.every((c) => c.execution_count != null), "every code cell ran").toBe(true);
    const stdout = code.flatMap((c) => (c.outputs ?? []).filter((o) => o.name === "stdout").map((o) => text(o.text))).join("");
    expect(stdout).toMatch(/^✗ Exercise 1: not yet/m);
  }, 750_000);
});
