import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { checkHistoryCommand } from "../../src/cli/check-history";
import type { HistoryOp } from "../../src/history/types";

const DATA = path.resolve(__dirname, "../../../shared/data/linearizability");
const VALID_ETCD = path.join(DATA, "etcd", "etcd_018.log");
const INVALID_ETCD = path.join(DATA, "etcd", "etcd_000.log");
const scratch = mkdtempSync(path.join(tmpdir(), "replicalab-check-history-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, content: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, content);
  return file;
}

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await checkHistoryCommand(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

function expectOneLineError(result: { code: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^replicalab check-history: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\s+at\s+\S+\s+\(/); // no stack trace
}

const replicalabOps: HistoryOp[] = [
  { process: 0, kind: "write", key: "k", input: 1, status: "ok", invokeUs: 0, completeUs: 1000 },
  { process: 1, kind: "read", key: "k", input: null, output: 1, status: "ok", invokeUs: 2000, completeUs: 3000 },
];

describe("replicalab check-history", () => {
  it("exits 0 and says linearizable for a valid etcd history", async () => {
    const result = await run(VALID_ETCD, "--format", "jepsen-etcd");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/etcd_018\.log: linearizable \(\d+ operations, 1 partition, \d+ search steps, \d+ ms\)\n$/);
  });

  it("exits 1 and explains the violation for an invalid etcd history, with times as line numbers", async () => {
    const result = await run(INVALID_ETCD, "--format=jepsen-etcd");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/etcd_000\.log: NOT linearizable/);
    expect(result.stdout).toMatch(/invoked at line \d+/);
    expect(result.stdout).toMatch(/longest linearizable prefix: \d+ operations/);
  });

  it("prints one JSON object with the documented fields under --json", async () => {
    const result = await run(INVALID_ETCD, "--format", "jepsen-etcd", "--json");
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(["elapsedMs", "failure", "file", "format", "ops", "partitions", "steps", "valid"]);
    expect(report).toMatchObject({ valid: false, file: INVALID_ETCD, format: "jepsen-etcd", partitions: 1 });
    expect(report.failure).toMatchObject({ key: "etcd", explanation: expect.stringMatching(/\.$/) as unknown });
  });

  it("leaves the failure out of the JSON of a valid history", async () => {
    const result = await run(path.join(DATA, "kv", "c01-ok.txt"), "--format", "porcupine-kv", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ valid: true, format: "porcupine-kv" });
    expect(report).not.toHaveProperty("failure");
    expect(report.partitions).toBeGreaterThan(1);
  });

  it("exits 3 when the step budget runs out", async () => {
    const result = await run(VALID_ETCD, "--format", "jepsen-etcd", "--max-steps", "1", "--json");
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: "unknown", stoppedBy: "step-limit", steps: 1 });
  });

  it("exits 3 when the wall-clock deadline has passed", async () => {
    const result = await run(VALID_ETCD, "--format", "jepsen-etcd", "--timeout-ms", "0");
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/unknown, the --timeout-ms deadline passed/);
  });

  it("checks a replicalab JSON array against the replicalab model", async () => {
    const good = scratchFile("good.json", JSON.stringify(replicalabOps));
    expect((await run(good, "--format", "replicalab")).code).toBe(0);
    const stale = [...replicalabOps, { ...replicalabOps[1], output: null, invokeUs: 4000, completeUs: 5000 }];
    const bad = await run(scratchFile("bad.json", JSON.stringify(stale)), "--format", "replicalab");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/invoked at 4\.0 ms, completed at 5\.0 ms/);
  });

  it("names a missing file in one line and exits 2", async () => {
    expectOneLineError(await run(path.join(scratch, "nope.log"), "--format", "jepsen-etcd"), /cannot read .*nope\.log: no such file/);
  });

  it("names a bad format in one line and exits 2", async () => {
    expectOneLineError(await run(VALID_ETCD, "--format", "knossos"), /unknown format "knossos"/);
    expectOneLineError(await run(VALID_ETCD), /missing --format/);
  });

  it("rejects garbage input in every format with one line and exit 2", async () => {
    const garbage = scratchFile("garbage.txt", "this is not a history\n{{{\n");
    expectOneLineError(await run(garbage, "--format", "jepsen-etcd"), /contains no operations in jepsen-etcd format/);
    expectOneLineError(await run(garbage, "--format", "porcupine-kv"), /not a valid porcupine-kv history: line 1: not an EDN map/);
    expectOneLineError(await run(garbage, "--format", "replicalab"), /not a valid replicalab history: .*JSON/);
  });

  it("rejects a replicalab operation with a missing field, naming it", async () => {
    const broken = scratchFile("broken.json", JSON.stringify([{ process: 0, kind: "write", key: "k", input: 1, status: "maybe", invokeUs: 0, completeUs: 1 }]));
    expectOneLineError(await run(broken, "--format", "replicalab"), /operation 0: status must be one of ok, fail, info/);
  });

  it("rejects bad arguments with one line and exit 2", async () => {
    expectOneLineError(await run("--format", "jepsen-etcd"), /missing FILE/);
    expectOneLineError(await run(VALID_ETCD, INVALID_ETCD, "--format", "jepsen-etcd"), /expected one FILE, got 2/);
    expectOneLineError(await run(VALID_ETCD, "--format", "jepsen-etcd", "--verbose"), /unknown option --verbose/);
    expectOneLineError(await run(VALID_ETCD, "--format", "jepsen-etcd", "--timeout-ms", "soon"), /--timeout-ms must be a whole number/);
    expectOneLineError(await run(VALID_ETCD, "--format"), /--format needs a value/);
  });

  it("prints its usage and exits 0 with --help", async () => {
    const result = await run("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usage: replicalab check-history FILE --format/);
  });
});
