import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../../src/scenario/errors";
import { loadSagaScenarioFile, parseSagaScenario, type SagaScenario } from "../../../src/txn/saga/scenario";

const SHIPPED = ["saga-food-order", "saga-food-order-faults", "saga-phone-call"];

const base: SagaScenario = { format: 1, kind: "saga", name: "t", seed: 1, durationMs: 1000, saga: "food-order", style: "orchestrated" };

function problem(value: unknown): string {
  try {
    parseSagaScenario(value, "s.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/\n/);
    return message;
  }
  throw new Error("expected a ScenarioError");
}

describe("the saga scenario format", () => {
  for (const name of SHIPPED) {
    it(`accepts the shipped scenario ${name}.json`, () => {
      const s = loadSagaScenarioFile(`data/scenarios/${name}.json`);
      expect(s.kind).toBe("saga");
      expect(s.name).toBe(name);
    });
  }

  it("accepts the smallest scenario", () => {
    expect(parseSagaScenario(base)).toEqual(base);
  });

  it("rejects an unknown field at its path, with a suggestion", () => {
    expect(problem({ ...base, ordersPerSecond: 2 })).toBe('s.json: ordersPerSecond: unknown field (did you mean "ordersPerSec"?)');
    expect(problem({ ...base, restaurant: { acceptRatio: 1, portion: 2 } })).toBe('s.json: restaurant.portion: unknown field (did you mean "portions"?)');
  });

  it("names a bad enum value and the close one", () => {
    expect(problem({ ...base, saga: "food-ordr" })).toBe('s.json: saga: must be one of "food-order", "phone-call" (got "food-ordr"; did you mean "food-order"?)');
    expect(problem({ ...base, faults: [{ type: "crash", node: "bnak", atMs: 1, durationMs: 1 }] })).toMatch(/^s\.json: faults\[0\]\.node: must be one of .* \(got "bnak"; did you mean "bank"\?\)$/);
  });

  it("names an unknown fault type", () => {
    expect(problem({ ...base, faults: [{ type: "message-los", probability: 0.1 }] })).toMatch(/^s\.json: faults\[0\]\.type: unknown fault type "message-los" \(did you mean "message-loss"\?\)/);
  });

  it("reports a missing field, a wrong type and a range", () => {
    const { seed: _seed, ...noSeed } = base;
    expect(problem(noSeed)).toBe("s.json: seed: missing required field (expected a number)");
    expect(problem({ ...base, durationMs: "60s" })).toBe('s.json: durationMs: expected a number, got a string ("60s")');
    expect(problem({ ...base, faults: [{ type: "message-loss", probability: 1.5 }] })).toBe("s.json: faults[0].probability: must be at most 1, got 1.5");
  });

  it("rejects options of the other saga or style", () => {
    expect(problem({ ...base, callsPerSec: 1 })).toBe('s.json: callsPerSec: only for saga "phone-call"; a food-order scenario uses "ordersPerSec"');
    expect(problem({ ...base, style: "choreographed", faults: [{ type: "crash", node: "orchestrator", atMs: 0, durationMs: 5 }] })).toMatch(/^s\.json: faults\[0\]\.node: a choreographed saga has no orchestrator/);
  });

  it("reports the first problem in document order", () => {
    expect(problem({ ...base, name: "", durationMs: -1 })).toBe("s.json: name: must not be empty");
    const durationFirst = { format: 1, kind: "saga", durationMs: -1, name: "", seed: 1, saga: "food-order", style: "orchestrated" };
    expect(problem(durationFirst)).toBe("s.json: durationMs: must be > 0, got -1");
  });

  it("reports JSON syntax errors with a line and a column", () => {
    const dir = mkdtempSync(join(tmpdir(), "saga-scenario-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, '{\n  "format": 1,\n}\n');
    expect(() => loadSagaScenarioFile(file)).toThrow(/bad\.json: invalid JSON at line 2 column 14: a comma before "}" is not allowed in JSON$/);
  });

  it("refuses input meant to hurt", () => {
    expect(problem(JSON.parse('{"__proto__": {"x": 1}}'))).toMatch(/__proto__/);
  });
});
