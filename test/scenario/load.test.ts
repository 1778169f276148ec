import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { afterAll, describe, expect, test } from "vitest";
import { scenarioFilesOfKind } from "../../src/scenario/catalog";
import { loadScenarioFile, parseScenario, ScenarioError, withSeed } from "../../src/scenario";
import { findJsonSyntaxError } from "../../src/scenario/json-syntax";
import { Random } from "../../src/sim/random";

const SCENARIOS = resolve(__dirname, "../../data/scenarios");
const scenarioFiles = scenarioFilesOfKind(SCENARIOS);

const dir = mkdtempSync(join(tmpdir(), "replicalab-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` to a fresh file in the temporary directory and returns its path. */
function fileWith(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The message of the ScenarioError that `run` throws (the test fails on any other outcome). */
function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  throw new Error("no error was thrown");
}

const VALID = readFileSync(join(SCENARIOS, "single-database.json"), "utf8");

describe("the scenarios shipped in data/scenarios", () => {
  test("include the scenarios the engine chapter ships", () => {
    expect(scenarioFiles).toEqual(expect.arrayContaining([
      "async-3-replicas.json",
      "async-crash-then-promote.json",
      "replicas-same-domain.json",
      "replicas-separate-domains.json",
      "seed-architecture.json",
      "semi-sync-1-of-3.json",
      "single-database-random-crashes.json",
      "single-database.json",
      "sync-3-replicas.json",
      "sync-fallback.json",
      "sync-replica-down.json",
    ]));
  });

  test.each(scenarioFiles)("%s parses, is format 1, and says what it teaches", (file) => {
    const s = loadScenarioFile(join(SCENARIOS, file));
    expect(s.format).toBe(1);
    expect(s.name).toBe(file.replace(/\.json$/, ""));
    expect(s.description?.length ?? 0).toBeGreaterThan(80);
    for (const node of s.nodes) expect(node.id).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  });

  test("keep their runs short: at most 60 s of virtual time at up to 1000 ops/s, or a slow long run", () => {
    for (const file of scenarioFiles) {
      const s = loadScenarioFile(join(SCENARIOS, file));
      const operations = ((s.workload?.opsPerSec ?? 0) * s.durationMs) / 1000;
      expect(operations, file).toBeLessThanOrEqual(30_000);
    }
  });

  test("pair up where a lesson compares two of them", () => {
    const load = (name: string) => loadScenarioFile(join(SCENARIOS, `${name}.json`));
    expect(load("semi-sync-1-of-3").replication).toEqual({ mode: "semi-sync", acks: 1 });
    expect(load("sync-fallback").replication.fallbackToAsyncAfterMs).toBeGreaterThan(0);
    const same = load("replicas-same-domain");
    const separate = load("replicas-separate-domains");
    expect(new Set(same.nodes.map((n) => n.domain)).size).toBe(1);
    expect(new Set(separate.nodes.map((n) => n.domain)).size).toBe(3);
    expect(same.faults).toEqual(separate.faults);
    expect(load("seed-architecture").frontend?.appServers).toEqual(["app1", "app2", "app3"]);
  });
});

describe("loading a file reports one line that names the file", () => {
  test("a missing file", () => {
    const path = join(dir, "nope.json");
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: cannot read the file (no such file)`);
  });

  test("a directory", () => {
    expect(messageOf(() => loadScenarioFile(dir))).toBe(`${dir}: cannot read the file (it is a directory)`);
  });

  test("an empty file", () => {
    const path = fileWith("empty.json", "");
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: the file is empty`);
  });

  test("a file of whitespace only", () => {
    const path = fileWith("blank.json", "  \n\t\n");
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: the file is empty (only whitespace)`);
  });

  test("a file that is not UTF-8 text", () => {
    const path = fileWith("binary.json", Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: cannot read the file (it is not UTF-8 text)`);
  });

  test("a byte order mark at the start is accepted", () => {
    const path = fileWith("bom.json", `\uFEFF${VALID}`);
    expect(loadScenarioFile(path).name).toBe("single-database");
  });

  test("a validation problem carries the file name", () => {
    const path = fileWith("bad-node.json", VALID.replace('"role": "primary"', '"rol": "primary"'));
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: nodes[0].rol: unknown field (did you mean "role"?)`);
  });

  test("1e400 in a file is read as Infinity and rejected as not finite", () => {
    const path = fileWith("infinite.json", VALID.replace('"durationMs": 30000', '"durationMs": 1e400'));
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: durationMs: expected a finite number, got Infinity`);
  });

  test("10,000 levels of nested arrays in a file are reported at the field", () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const path = fileWith("deep.json", VALID.replace('"single-database"', deep));
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: name: expected a string, got an array`);
  });

  test("a __proto__ key in a file is rejected with its path", () => {
    const path = fileWith("proto.json", VALID.replace('"role": "primary"', '"role": "primary", "__proto__": {"admin": true}'));
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: nodes[0].__proto__: forbidden key`);
  });
});

describe("invalid JSON is reported at its line and column, with the reason", () => {
  const cases: [string, string, string][] = [
    ["a trailing comma", '{\n  "seed": 1,\n}', 'line 2 column 12: a comma before "}" is not allowed in JSON'],
    ["a trailing comma in an array", '{"a": [1, 2,]}', 'line 1 column 12: a comma before "]" is not allowed in JSON'],
    ["a missing comma between fields", '{\n  "a": 1\n  "b": 2\n}', 'line 3 column 3: a "," is missing before this field'],
    ["a comment", '{\n  // the seed\n  "seed": 1\n}', "line 2 column 3: comments are not allowed in JSON"],
    ["single quotes", "{'seed': 1}", "line 1 column 2: field names need double quotes, not single quotes"],
    ["an unquoted field name", "{seed: 1}", 'line 1 column 2: expected a field name in double quotes, got "s"'],
    ["a string that never ends", '{"name": "abc}', "line 1 column 10: this string is never closed"],
    ["a line break inside a string", '{"name": "ab\ncd"}', "line 1 column 13: line break inside a string (a missing closing quote?)"],
    ["NaN", '{"seed": NaN}', "line 1 column 10: NaN is not a JSON number"],
    ["a number with a leading zero", '{"seed": 012}', 'line 1 column 10: invalid number "012"'],
    ["a missing value", '{"seed": }', 'line 1 column 10: unexpected "}"'],
    ["a missing colon", '{"seed" 1}', 'line 1 column 9: expected ":" after the field name, got "1"'],
    ["an unclosed object", '{"nodes": [1, 2]', 'line 1 column 17: unexpected end of the file (1 unclosed "{")'],
    ["text after the value", '{"seed": 1} x', 'line 1 column 13: unexpected "x" after the end of the JSON value'],
    ["a missing comma between items", '{"a": [1 2]}', 'line 1 column 10: a "," is missing before this item'],
    ["a mismatched bracket", '{"a": [1}', 'line 1 column 9: "}" does not match the open "["'],
    ["a missing colon before a string", '{"a" "b"}', `line 1 column 6: expected ":" after the field name, got '"'`],
    ["an invalid escape", '{"a": "\\x"}', 'line 1 column 8: invalid escape "\\x" in a string'],
    ["a capitalised literal", '{"a": True}', 'line 1 column 7: unexpected word "True" (JSON values are "strings", numbers, true, false, null, {objects} and [arrays])'],
  ];

  test.each(cases)("%s", (_name, text, where) => {
    const path = fileWith("invalid.json", text);
    expect(messageOf(() => loadScenarioFile(path))).toBe(`${path}: invalid JSON at ${where}`);
  });

  test("the locator agrees with JSON.parse on 5,000 mangled texts (seed 7)", () => {
    const seed = 7;
    const random = new Random(seed, "json-syntax");
    const alphabet = ['"', "{", "}", "[", "]", ",", ":", " ", "\n", "\\", "1", "-", ".", "e", "t", "n", "'", "/", "*", "u", "0"];
    for (let i = 0; i < 5000; i++) {
      const chars = VALID.split("");
      for (let edits = 1 + random.int(3); edits > 0; edits--) {
        const at = random.int(chars.length);
        const c = alphabet[random.int(alphabet.length)];
        const kind = random.int(3);
        if (kind === 0) chars.splice(at, 1);
        else if (kind === 1) chars.splice(at, 0, c);
        else chars[at] = c;
      }
      const text = chars.join("");
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(findJsonSyntaxError(text) === undefined, `seed ${seed} text ${i}: ${JSON.stringify(text)}`).toBe(parses);
    }
  });
});

describe("withSeed overrides the seed from the command line", () => {
  const s = parseScenario(JSON.parse(VALID));

  test("accepts a whole number given as a string or a number", () => {
    expect(withSeed(s, "42").seed).toBe(42);
    expect(withSeed(s, 7).seed).toBe(7);
    expect(withSeed(s, "0").seed).toBe(0);
    expect(withSeed(s, String(Number.MAX_SAFE_INTEGER)).seed).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("returns a new scenario and leaves the original alone", () => {
    const changed = withSeed(s, "99");
    expect(changed).not.toBe(s);
    expect(s.seed).toBe(1);
    expect({ ...changed, seed: 1 }).toEqual(s);
  });

  test.each([
    ["abc", '--seed: expected a whole number >= 0, got "abc"'],
    ["-1", '--seed: expected a whole number >= 0, got "-1"'],
    ["1.5", '--seed: expected a whole number >= 0, got "1.5"'],
    ["1e3", '--seed: expected a whole number >= 0, got "1e3"'],
    ["", '--seed: expected a whole number >= 0, got ""'],
    ["9007199254740993", '--seed: expected a whole number >= 0, got "9007199254740993"'],
    [-1, "--seed: expected a whole number >= 0, got -1"],
    [2.5, "--seed: expected a whole number >= 0, got 2.5"],
    [NaN, "--seed: expected a whole number >= 0, got NaN"],
    [undefined, "--seed: expected a whole number >= 0, got nothing"],
  ])("rejects %j", (seed, message) => {
    expect(messageOf(() => withSeed(s, seed))).toBe(message);
  });
});
