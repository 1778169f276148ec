/**
 * Solution markers: notebooks are written and tested with their solutions in place; a student
 * edition is derived by replacing each solution with a stub. Markers (see docs/notebook-authoring.md):
 *
 *   // @solution                        first line of a code cell that contains a solution
 *   // BEGIN SOLUTION                   ... lines replaced by "// TODO: your code here"
 *   // BEGIN SOLUTION stub: return 0;   ... or by "return 0; // TODO: your code here"
 *   // END SOLUTION
 *
 * Code outside the markers (a function's signature, a `check` call) stays, so the student edition
 * still runs top to bottom: each stub compiles and each check says "not yet". A `// @solution` cell
 * without markers is replaced as a whole.
 */

export const SOLUTION_CELL = "// @solution";
const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION(?:\s+stub:\s*(.*))?\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;
const TODO = "// TODO: your code here";

/** The notebook JSON fields this module reads (nbformat 4). */
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export interface Notebook {
  cells: NotebookCell[];
  [key: string]: unknown;
}

export function isSolutionCell(source: string): boolean {
  return source.split("\n", 1)[0].trim() === SOLUTION_CELL;
}

/** A cell's source as the student sees it (sources without `// @solution` are unchanged). */
export function studentSource(source: string): string {
  if (!isSolutionCell(source)) return source;
  const lines = source.split("\n").slice(1);
  if (!lines.some((l) => BEGIN.test(l))) return TODO;
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    const begin = BEGIN.exec(line);
    if (begin) {
      out.push(`${begin[1]}${begin[2] ? `${begin[2]} ` : ""}${TODO}`);
      inside = true;
    } else if (END.test(line)) {
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  return out.join("\n");
}

/** A copy of `nb` with every solution stubbed and every output cleared. */
export function studentEdition(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((cell) => {
      if (cell.cell_type !== "code") return cell;
      const source = studentSource(joined(cell.source));
      return { ...cell, source: splitLines(source), outputs: [], execution_count: null };
    }),
  };
}

/** Misplaced or unbalanced markers, one message per problem (empty when the notebook is sound). */
export function solutionMarkerProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  nb.cells.forEach((cell, index) => {
    const source = joined(cell.source);
    const hasMarkers = source.split("\n").some((l) => BEGIN.test(l) || END.test(l));
    if (hasMarkers && !isSolutionCell(source)) problems.push(`cell ${index}: solution markers in a cell not marked ${SOLUTION_CELL}`);
    if (hasMarkers && !balanced(source)) problems.push(`cell ${index}: BEGIN SOLUTION and END SOLUTION do not pair up`);
  });
  return problems;
}

function balanced(source: string): boolean {
  let inside = false;
  for (const line of source.split("\n")) {
    if (BEGIN.test(line)) {
      if (inside) return false;
      inside = true;
    } else if (END.test(line)) {
      if (!inside) return false;
      inside = false;
    }
  }
  return !inside;
}

function joined(source: string | string[]): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** nbformat's list of lines, each keeping its "\n" except the last. */
function splitLines(source: string): string[] {
  const lines = source.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l) => l !== "");
}
