/**
 * Committed notebooks are sources, not results: no outputs (executed copies are built), stable
 * cell ids, and the repo's TypeScript kernel, so `npm start` and the runner open them the same way.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describe, expect, test } from "vitest";
import { solutionMarkerProblems, type Notebook } from "../../src/notebook/solutions";
import { KERNEL_NAME, notebookPaths, readNotebook, ROOT } from "./notebook-files";

const FIX = "fix with: node scripts/make-notebook.js clean";

describe.each(notebookPaths())("%s", (file) => {
  const nb = readNotebook(file);

  test("is nbformat 4.5 or later (cell ids)", () => {
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBeGreaterThanOrEqual(5);
  });

  test("has no outputs or execution counts", () => {
    const dirty = nb.cells.flatMap((c, i) => (c.cell_type === "code" && ((c.outputs ?? []).length > 0 || c.execution_count != null) ? [i] : []));
    expect(dirty, `cells with outputs: ${dirty.join(", ")}; ${FIX} ${file}`).toEqual([]);
  });

  test("every cell has a unique, valid id", () => {
    const ids = nb.cells.map((c) => c.id ?? "");
    expect(ids.every((id) => /^[a-zA-Z0-9_-]{1,64}$/.test(id)), `${FIX} ${file}`).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test(`uses the ${KERNEL_NAME} kernel and declares TypeScript`, () => {
    expect(nb.metadata.kernelspec?.name, `${FIX} ${file}`).toBe(KERNEL_NAME);
    expect(nb.metadata.kernelspec?.language).toBe("typescript");
    expect(nb.metadata.language_info?.name).toBe("typescript");
  });

  test("solution markers are in // @solution cells and pair up", () => {
    expect(solutionMarkerProblems(nb as unknown as Notebook)).toEqual([]);
  });

  test("is exactly what make-notebook.js clean writes", () => {
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nb-")), "x.ipynb");
    fs.copyFileSync(path.join(ROOT, file), tmp);
    execFileSync("node", [path.join(ROOT, "scripts/make-notebook.js"), "clean", tmp]);
    expect(fs.readFileSync(tmp, "utf8") === fs.readFileSync(path.join(ROOT, file), "utf8"), `${FIX} ${file}`).toBe(true);
  });
});

describe("notebook sources", () => {
  test("the smoke fixture is generated from smoke.nb.txt", () => {
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nb-")), "smoke.ipynb");
    const src = path.join(ROOT, "test/fixtures/notebooks/smoke.nb.txt");
    execFileSync("node", [path.join(ROOT, "scripts/make-notebook.js"), "from", src, tmp]);
    expect(fs.readFileSync(tmp, "utf8"), "regenerate: node scripts/make-notebook.js from test/fixtures/notebooks/smoke.nb.txt test/fixtures/notebooks/smoke.ipynb")
      .toBe(fs.readFileSync(path.join(ROOT, "test/fixtures/notebooks/smoke.ipynb"), "utf8"));
  });
});
