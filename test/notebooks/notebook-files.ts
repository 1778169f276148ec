/** The notebooks the tests check: the course's own plus the platform's smoke fixture. */
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");
export const KERNEL_NAME = "replicalab-ts";
const FOLDERS = ["notebooks", "test/fixtures/notebooks"];

export interface NotebookJson {
  cells: { cell_type: string; id?: string; source: string | string[]; outputs?: NotebookOutput[]; execution_count?: number | null; metadata?: object }[];
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string }; language_info?: { name?: string } };
  nbformat: number;
  nbformat_minor: number;
}

export interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

/** Paths relative to the project root, sorted. */
export function notebookPaths(): string[] {
  return FOLDERS.flatMap((dir) => {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) return [];
    return fs.readdirSync(abs).filter((f) => f.endsWith(".ipynb")).sort().map((f) => `${dir}/${f}`);
  });
}

export function readNotebook(file: string): NotebookJson {
  return JSON.parse(fs.readFileSync(path.resolve(ROOT, file), "utf8")) as NotebookJson;
}

export function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

/** How many charts a notebook displayed (outputs made by `show`), counted in its executed copy. */
export function displayedCharts(nb: NotebookJson): number {
  let charts = 0;
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      charts += (text(o.data?.["text/html"]).match(/class="replicalab-chart"/g) ?? []).length;
    }
  }
  return charts;
}
