/**
 * Where views go: tslab's display entries when this process is a tslab kernel running a cell, and
 * whether someone is watching (an interactive notebook) or not (a headless run by
 * scripts/run-notebook.py, nbconvert, papermill, CI), in which case a live view skips its pacing.
 *
 * Headless is decided, first match wins, by:
 *   1. `REPLICALAB_HEADLESS` in the environment: "1"/"true"/"yes" headless, "0"/"false"/"no" interactive;
 *   2. `CI` set: headless;
 *   3. the kernel's parent process (Linux /proc): a headless executor (run-notebook.py, nbconvert,
 *      nbclient, papermill, jupyter-execute) started the kernel directly;
 *   4. otherwise interactive (Notebook, JupyterLab, VS Code).
 */
import * as fs from "fs";

/** One display entry: each call replaces what it showed before. */
export interface DisplayEntry {
  html(s: string): void;
}

const HEADLESS_PARENTS = /run-notebook\.py|nbconvert|nbclient|papermill|jupyter-execute|testbook/;

/** tslab's jupyter module when this process is a tslab kernel executing a cell, else undefined. */
function tslabJupyter(): { lastWriteDisplayData?: unknown } | undefined {
  let jupyterPath: string;
  try {
    jupyterPath = require.resolve("tslab/dist/jupyter.js");
  } catch {
    return undefined;
  }
  // Loaded by every kernel at start: its presence says "kernel" without loading tslab into plain node.
  const jupyter = require.cache[jupyterPath]?.exports as { lastWriteDisplayData?: unknown } | undefined;
  return jupyter?.lastWriteDisplayData == null ? undefined : jupyter;
}

/** True in a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return tslabJupyter() !== undefined;
}

/** A fresh display entry below the running cell (tslab's `newDisplay()`), or undefined outside a kernel. */
export function newDisplayEntry(): DisplayEntry | undefined {
  if (!inKernel()) return undefined;
  return (require("tslab") as { newDisplay(): DisplayEntry }).newDisplay();
}

/** Why this run counts as headless, or null when it is interactive (see the module comment). */
export function headlessReason(env: NodeJS.ProcessEnv = process.env, parentCommand: () => string = parentCommandLine): string | null {
  const flag = env.REPLICALAB_HEADLESS?.trim().toLowerCase();
  if (flag === "1" || flag === "true" || flag === "yes") return "REPLICALAB_HEADLESS is set";
  if (flag === "0" || flag === "false" || flag === "no") return null;
  if (env.CI) return "CI is set";
  const parent = parentCommand();
  const match = HEADLESS_PARENTS.exec(parent);
  return match ? `the kernel was started by ${match[0]}` : null;
}

/** The parent process's command line (Linux), or "" where it cannot be read. */
export function parentCommandLine(): string {
  try {
    return fs.readFileSync(`/proc/${process.ppid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}
