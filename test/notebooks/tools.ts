/**
 * The system tools the notebook and export tests need. Without them a developer's machine skips
 * those tests with a message saying what to install; under CI (process.env.CI set) nothing is
 * skipped: a missing tool fails the run, because a green CI must mean the notebooks were run.
 */
import * as fs from "fs";
import { test } from "vitest";

export const PYTHON = "/usr/bin/python3";
export const JUPYTER = "/usr/bin/jupyter";
export const CHROMIUM = "/usr/bin/chromium";

/** True when the suite should skip; under CI adds a failing test naming the missing tools instead. */
export function skipWithout(tools: string[]): boolean {
  const missing = tools.filter((t) => !fs.existsSync(t));
  if (missing.length === 0) return false;
  const message = `missing ${missing.join(", ")}: run \`npm run setup\` (Debian packages jupyter-notebook ` +
    "jupyter-nbconvert python3-nbclient jupyter-client chromium)";
  if (process.env.CI) {
    test("the tools these tests need are installed", () => {
      throw new Error(message);
    });
    return true;
  }
  console.warn(`skipping: ${message}`);
  return true;
}
