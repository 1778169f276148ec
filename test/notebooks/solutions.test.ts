import { describe, expect, test } from "vitest";
import { solutionMarkerProblems, studentEdition, studentSource } from "../../src/notebook/solutions";

const solution = [
  "// @solution",
  "function peakLagMs(lag: number[]): number {",
  "  // BEGIN SOLUTION stub: return 0;",
  "  return Math.max(...lag);",
  "  // END SOLUTION",
  "}",
  "check(\"Exercise 1\", peakLagMs([1, 5]), 5);",
].join("\n");

describe("student edition", () => {
  test("a solution region becomes its stub and a TODO; signature and check stay", () => {
    expect(studentSource(solution)).toBe([
      "function peakLagMs(lag: number[]): number {",
      "  return 0; // TODO: your code here",
      "}",
      "check(\"Exercise 1\", peakLagMs([1, 5]), 5);",
    ].join("\n"));
  });

  test("a region without a stub becomes a TODO at the same indentation", () => {
    const src = "// @solution\nconst x = 1;\n    // BEGIN SOLUTION\n    doIt();\n    // END SOLUTION";
    expect(studentSource(src)).toBe("const x = 1;\n    // TODO: your code here");
  });

  test("a solution cell without regions is replaced whole", () => {
    expect(studentSource("// @solution\nconst answer = 42;")).toBe("// TODO: your code here");
  });

  test("cells without the marker are untouched", () => {
    const src = "// BEGIN SOLUTION\nx\n// END SOLUTION";
    expect(studentSource(src)).toBe(src);
  });

  test("the edition stubs code cells, clears outputs, keeps markdown", () => {
    const nb = {
      cells: [
        { cell_type: "markdown", source: ["// @solution stays in markdown"] },
        { cell_type: "code", source: solution.split("\n").map((l) => `${l}\n`), outputs: [{ output_type: "stream" }], execution_count: 3 },
      ],
    };
    const out = studentEdition(nb);
    expect(out.cells[0]).toBe(nb.cells[0]);
    expect(out.cells[1]).toMatchObject({ outputs: [], execution_count: null });
    expect((out.cells[1].source as string[]).join("")).toContain("return 0; // TODO: your code here");
  });
});

describe("solutionMarkerProblems", () => {
  test("flags markers outside solution cells and unpaired markers", () => {
    const nb = {
      cells: [
        { cell_type: "code", source: "// BEGIN SOLUTION\nx\n// END SOLUTION" },
        { cell_type: "code", source: "// @solution\n// BEGIN SOLUTION\nx" },
        { cell_type: "code", source: solution },
      ],
    };
    expect(solutionMarkerProblems(nb)).toEqual([
      "cell 0: solution markers in a cell not marked // @solution",
      "cell 1: BEGIN SOLUTION and END SOLUTION do not pair up",
    ]);
  });
});
