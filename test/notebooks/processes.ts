/** Running the notebook tools as child processes, with everything Jupyter writes kept in .jupyter/. */
import { execFile } from "child_process";
import * as path from "path";
import { JUPYTER, PYTHON } from "./tools";
import { ROOT } from "./notebook-files";

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export const JUPYTER_ENV = {
  JUPYTER_PATH: path.join(ROOT, ".jupyter/data"),
  JUPYTER_DATA_DIR: path.join(ROOT, ".jupyter/data"),
  JUPYTER_CONFIG_DIR: path.join(ROOT, ".jupyter/config"),
  JUPYTER_RUNTIME_DIR: path.join(ROOT, ".jupyter/runtime"),
};

export function run(cmd: string, args: string[], timeoutMs: number): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: ROOT, env: { ...process.env, ...JUPYTER_ENV }, timeout: timeoutMs, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
        const killed = err?.killed ? `\n(killed after ${timeoutMs} ms)` : "";
        resolve({ code, stdout, stderr: stderr + killed, ms: Date.now() - started });
      });
  });
}

/** Executes a notebook with scripts/run-notebook.py (exercise checks must all pass). */
export function executeNotebook(file: string, out: string): Promise<ProcessResult> {
  return run(PYTHON, [path.join(ROOT, "scripts/run-notebook.py"), file, "--out", out, "--strict-checks"], 150_000);
}

/** Exports an executed notebook to HTML next to `outDir`. */
export function exportHtml(executed: string, outDir: string): Promise<ProcessResult> {
  return run(JUPYTER, ["nbconvert", "--to", "html", "--output-dir", outDir, executed], 60_000);
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the results. */
export async function inPool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
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
