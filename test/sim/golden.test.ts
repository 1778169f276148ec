import { readFileSync, writeFileSync } from "node:fs";
import { scenarioFilesOfKind } from "../../src/scenario/catalog";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/scenario/load";
import { runScenario } from "../../src/scenario/run";

/**
 * Golden event hashes pin the exact behaviour of the shipped scenarios. A change to the engine that
 * changes any event changes these hashes: if the change is intended, regenerate them with
 * `UPDATE_GOLDEN=1 npx vitest run test/sim/golden.test.ts` and say why in the commit. Hashes cover
 * float64 bits of every field, so they are tied to the Node major version (Math.log/exp may differ).
 */
const SCENARIOS = path.resolve(__dirname, "../../data/scenarios");
const GOLDEN = path.resolve(__dirname, "../golden/event-hashes.json");
const nodeMajor = process.versions.node.split(".")[0];

describe("golden event hashes", () => {
  const files = scenarioFilesOfKind(SCENARIOS);
  const actual: Record<string, string> = {};
  for (const file of files) actual[file] = runScenario(loadScenarioFile(path.join(SCENARIOS, file))).summary.eventHash;

  if (process.env.UPDATE_GOLDEN) {
    writeFileSync(GOLDEN, JSON.stringify({ node: nodeMajor, hashes: actual }, null, 2) + "\n");
  }
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as { node: string; hashes: Record<string, string> };

  it.runIf(golden.node === nodeMajor)("every shipped scenario still produces its pinned event hash", () => {
    const pinned = Object.fromEntries(Object.keys(golden.hashes).map((f) => [f, actual[f]]));
    expect(pinned).toEqual(golden.hashes);
  });

  it("pins every shipped scenario (after adding one: UPDATE_GOLDEN=1 npx vitest run test/sim/golden.test.ts)", () => {
    expect(files.filter((f) => !(f in golden.hashes))).toEqual([]);
  });
});
