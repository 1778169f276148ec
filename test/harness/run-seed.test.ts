import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLUSTER_MODES } from "../../src/harness/modes";
import { HARNESS_MODES } from "../../src/harness/registry";
import { writeArtifacts } from "../../src/harness/report";
import { runSeed } from "../../src/harness/run-seed";
import { parseScenario } from "../../src/scenario/load";

describe("runSeed", () => {
  it("gives identical event hashes when each of 100 seeds runs twice (0 mismatches)", () => {
    const mismatches: string[] = [];
    for (let seed = 1; seed <= 100; seed++) {
      const mode = HARNESS_MODES[seed % HARNESS_MODES.length];
      const first = runSeed({ mode, seed });
      const second = runSeed({ mode, seed });
      if (first.eventHash !== second.eventHash || JSON.stringify(first.violations) !== JSON.stringify(second.violations) || first.convergenceMs !== second.convergenceMs) {
        mismatches.push(`${mode} seed ${seed}: ${first.eventHash} vs ${second.eventHash}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it("runs the same events whether or not it records them", () => {
    const plain = runSeed({ mode: "async", seed: 7 });
    const recorded = runSeed({ mode: "async", seed: 7, record: true });
    expect(recorded.eventHash).toBe(plain.eventHash);
    expect(recorded.history!.length).toBe(plain.events);
  });

  it("releases every subscription it made when a run completes", () => {
    for (const mode of HARNESS_MODES) expect(runSeed({ mode, seed: 3, record: true }).openSubscriptions, mode).toBe(0);
  });

  it("keeps each run under about 20,000 events", () => {
    for (const mode of HARNESS_MODES) {
      for (let seed = 1; seed <= 20; seed++) expect(runSeed({ mode, seed }).events, `${mode} seed ${seed}`).toBeLessThan(25_000);
    }
  }, 60_000);

  it("builds scenarios that the scenario format accepts", () => {
    for (const mode of CLUSTER_MODES) {
      const { scenario } = runSeed({ mode, seed: 11, record: true });
      expect(() => parseScenario(JSON.parse(JSON.stringify(scenario)))).not.toThrow();
    }
  });

  it("writes a run's scenario, its events as JSON lines and its result, with the command that reproduces it", () => {
    const result = runSeed({ mode: "sync", seed: 5, bugs: ["ack-before-replicate"], record: true });
    expect(result.violations.length).toBeGreaterThan(0);
    const dir = writeArtifacts(result, undefined, mkdtempSync(join(tmpdir(), "replicalab-artifacts-")));
    expect(dir.endsWith("sync-ack-before-replicate-seed-5")).toBe(true);
    const lines = readFileSync(join(dir, "events.jsonl"), "utf8").trim().split("\n");
    expect(lines.length).toBe(result.events);
    expect(JSON.parse(lines[0])).toMatchObject({ type: "promote", node: "db1", epoch: 1 });
    expect(JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8")).seed).toBe(5);
    const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(run.reproduce).toBe("npm run soak -- --mode sync --seed 5 --bug ack-before-replicate");
    expect(run.violations.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, "run.json"))).toBe(true);
  });
});
