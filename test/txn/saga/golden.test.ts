import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scenarioFilesOfKind } from "../../../src/scenario/catalog";
import { compareStyles } from "../../../src/txn/saga/compare-styles";
import { loadSagaScenarioFile } from "../../../src/txn/saga/scenario";

/**
 * Golden event hashes of the shipped saga scenarios, each run orchestrated and choreographed. A change that alters any saga
 * event changes them: if intended, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/txn/saga/golden.test.ts` and say why. Tied to the Node major version.
 */
const SCENARIOS = path.resolve(__dirname, "../../../data/scenarios");
const GOLDEN = path.resolve(__dirname, "golden-hashes.json");
const nodeMajor = process.versions.node.split(".")[0];

describe("golden saga event hashes", () => {
  const actual: Record<string, string> = {};
  for (const file of scenarioFilesOfKind(SCENARIOS, "saga")) {
    const { runs } = compareStyles(loadSagaScenarioFile(path.join(SCENARIOS, file)));
    actual[`${file} orchestrated`] = runs.orchestrated.eventHash;
    actual[`${file} choreographed`] = runs.choreographed.eventHash;
  }
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, JSON.stringify({ node: nodeMajor, hashes: actual }, null, 2) + "\n");
  const golden = JSON.parse(readFileSync(GOLDEN, "utf8")) as { node: string; hashes: Record<string, string> };

  it.runIf(golden.node === nodeMajor)("every shipped saga scenario still produces its pinned event hash", () => {
    expect(actual).toEqual(golden.hashes);
  });

  it("pins every shipped saga scenario in both styles", () => {
    expect(Object.keys(actual).filter((k) => !(k in golden.hashes))).toEqual([]);
    expect(Object.keys(actual)).toHaveLength(6);
  });
});
