/**
 * Notebooks import replicalab through tslab, which compiles with its own TypeScript 5.0.4 (lib
 * ES2022, no DOM, node10 resolution). Code that needs a newer compiler (`using`, `NoInfer`, ES2023
 * array methods, ...) typechecks in the repo but breaks every notebook, so the sources behind the
 * public entry points must compile with tslab's compiler too. They are checked in strict mode, the
 * mode they are written for (tslab itself only reads the emitted declarations, and compiles the
 * notebook's own cells non-strict); non-strict checking of the sources would flag narrowing that
 * only strictNullChecks provides.
 */
import * as path from "path";
import { describe, expect, test } from "vitest";
import { ROOT } from "./notebook-files";

const ENTRY_POINTS = ["src/index.ts", "src/charts/index.ts", "src/notebook/index.ts"];

describe("tslab's TypeScript 5.0.4", () => {
  test(`compiles ${ENTRY_POINTS.join(", ")} and all they import`, async () => {
    const ts = (await import("@tslab/typescript-for-tslab")).default;
    expect(ts.version).toBe("5.0.4");
    const program = ts.createProgram(ENTRY_POINTS.map((f) => path.join(ROOT, f)), {
      target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"], module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.NodeJs, esModuleInterop: true, noEmit: true, strict: true,
      skipLibCheck: true, types: ["node"], typeRoots: [path.join(ROOT, "node_modules/@types")],
    });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      const file = d.file ? `${path.relative(ROOT, d.file.fileName)}(${(where?.line ?? 0) + 1})` : "";
      return `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
    });
    expect(errors).toEqual([]);
  });
});
