/**
 * Shared by the lab tests. Without the Debian packages (a learner's laptop) the integration tests
 * skip with a message saying what to install; under CI (`CI` set) a missing package fails the run
 * instead, because a green CI must mean the lab ran.
 */
import * as fs from "fs";
import * as path from "path";
import { test } from "vitest";
import { removalsDone } from "../../src/lab/common";
import { labProcesses } from "../../src/lab/process";
import { findEtcd, findPostgres, unavailableMessage } from "../../src/lab/tools";

export const ROOT = path.resolve(__dirname, "../..");

/** True when the suite should skip; under CI adds a failing test naming what to install instead. */
export function skipWithout(systems: ("postgres" | "etcd")[]): boolean {
  const missing = systems.map((s) => (s === "postgres" ? findPostgres() : findEtcd())).filter((f) => !f.ok);
  if (missing.length === 0) return false;
  const message = missing.map((m) => unavailableMessage(m as { reason: string; install: string })).join("; ");
  if (process.env.CI) {
    test("the lab's binaries are installed", () => {
      throw new Error(message);
    });
    return true;
  }
  console.warn(`skipping the lab tests: ${message}`);
  return true;
}

/** A lab folder of its own for one test file, inside the project (.lab is git-ignored). */
export function testLabDir(name: string): string {
  return path.join(ROOT, ".lab", `test-${name}-${process.pid}`);
}

/** After a suite: nothing of it may run any more, and its folder goes. */
export async function removeLabDir(dir: string): Promise<{ processes: number }> {
  const processes = labProcesses(dir).length;
  await removalsDone();
  fs.rmSync(dir, { recursive: true, force: true });
  return { processes };
}

/** Output captured from a command. */
export function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}
