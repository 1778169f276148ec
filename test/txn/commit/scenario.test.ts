import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../../src/scenario";
import { isAtomicCommitScenario, loadAtomicCommitScenarioFile, parseAtomicCommitScenario } from "../../../src/txn/commit";

/** Test input is deliberately ill-typed JSON that each test edits freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A valid scenario that uses most of the format; each case breaks one thing in a copy. */
function base(): Loose {
  return {
    format: 1,
    kind: "atomic-commit",
    name: "catalogue",
    description: "every field",
    seed: 42,
    durationMs: 2000,
    protocol: "2pc",
    participants: 3,
    cooperativeTermination: true,
    network: { latencyMs: { dist: "uniform", min: 1, max: 5 }, lossRate: 0.01 },
    timeouts: { voteMs: 50, decisionMs: 150, retryMs: 100 },
    workload: { txPerSec: 50, transactions: [{ atMs: 10, keys: ["k0", "k1"] }], keys: 30, keysPerTx: 3, voteNoProbability: 0.01, onLockConflict: "wait" },
    faults: [
      { type: "crash", node: "coordinator", atPhase: "after-decision-sent", afterMessages: 1, txn: 1, durationMs: 500 },
      { type: "crash", node: "p2", atMs: 300 },
      { type: "partition", groups: [["coordinator", "p1"], ["p2", "p3"]], atMs: 700, durationMs: 200 },
      { type: "random-crashes", nodes: ["p1", "p3"], mtbfMs: 1000, mttrMs: 100 },
      { type: "random-partitions", mtbfMs: 1000, mttrMs: 100, fromMs: 0, untilMs: 1500 },
    ],
  };
}

function errorFor(input: unknown, file?: string): ScenarioError {
  try {
    parseAtomicCommitScenario(input, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("the scenario was accepted");
}

/** Each case: what it breaks, how, and the exact one-line message (path first). */
const CASES: [string, (s: Loose) => void, string][] = [
  ["a fault names a participant that does not exist", (s) => (s.faults[1].node = "p9"), 'faults[1].node: "p9" is not a participant (nodes are "coordinator" and "p1" .. "p3")'],
  ["the protocol is unknown", (s) => (s.protocol = "4pc"), 'protocol: must be one of "2pc", "3pc" (got "4pc"; did you mean "2pc"?)'],
  ["a field is misspelt", (s) => ((s.partcipants = 3), delete s.participants), 'partcipants: unknown field (did you mean "participants"?)'],
  ["the kind is another world's", (s) => (s.kind = "cluster"), 'kind: must be "atomic-commit" (got "cluster")'],
  ["the format is missing", (s) => delete s.format, 'format: missing required field; write "format": 1 (the version of the scenario format)'],
  ["there are no participants", (s) => (s.participants = 0), "participants: must be >= 1, got 0"],
  ["a probability is above 1", (s) => (s.network.lossRate = 2), "network.lossRate: must be at most 1, got 2"],
  ["a distribution is unknown", (s) => (s.network.latencyMs = { dist: "normal", mean: 3 }), 'network.latencyMs.dist: unknown distribution "normal"; must be one of "constant", "uniform", "exponential", "lognormal"'],
  ["a timeout is zero", (s) => (s.timeouts.voteMs = 0), "timeouts.voteMs: must be > 0, got 0"],
  ["a number is a string", (s) => (s.workload.txPerSec = "50"), 'workload.txPerSec: expected a number, got a string ("50")'],
  ["the workload has no transactions", (s) => (s.workload = { keys: 10 }), 'workload: needs "txPerSec" (random arrivals) or "transactions" (a fixed list), or both'],
  ["a fixed transaction names a key that does not exist", (s) => (s.workload.transactions[0].keys[1] = "k99"), 'workload.transactions[0].keys[1]: "k99" is not a key (keys are "k0" .. "k29")'],
  ["a fixed transaction lists a key twice", (s) => (s.workload.transactions[0].keys = ["k1", "k1"]), 'workload.transactions[0].keys[1]: "k1" is listed twice'],
  ["a transaction writes more keys than exist", (s) => (s.workload.keysPerTx = 31), "workload.keysPerTx: must be at most the number of keys (30), got 31"],
  ["the lock policy is unknown", (s) => (s.workload.onLockConflict = "wound-wait"), 'workload.onLockConflict: must be one of "vote-no", "wait" (got "wound-wait")'],
  ["a fault type is misspelt", (s) => (s.faults[1].type = "crsh"), 'faults[1].type: unknown fault type "crsh" (did you mean "crash"?); must be one of "crash", "partition", "random-crashes", "random-partitions"'],
  ["a coordinator fault names a participant phase", (s) => (s.faults[0].atPhase = "after-vote"), 'faults[0].atPhase: "after-vote" is a participant phase; the coordinator\'s are "before-prepare", "after-prepare-sent", "after-votes", "after-precommit-sent", "after-decision-sent"'],
  ["a participant fault names a coordinator phase", (s) => ((s.faults[1] = { type: "crash", node: "p1", atPhase: "after-votes" })), 'faults[1].atPhase: "after-votes" is a coordinator phase; a participant\'s are "before-vote", "after-vote", "after-precommit"'],
  ["a 2PC fault names a 3PC phase", (s) => (s.faults[0].atPhase = "after-precommit-sent"), 'faults[0].atPhase: "after-precommit-sent" exists only in 3pc'],
  ["a phase is unknown", (s) => (s.faults[0].atPhase = "after-decision"), 'faults[0].atPhase: must be one of "before-prepare", "after-prepare-sent", "after-votes", "after-precommit-sent", "after-decision-sent", "before-vote", "after-vote", "after-precommit" (got "after-decision"; did you mean "after-decision-sent"?)'],
  ["a fault has both a time and a phase", (s) => (s.faults[0].atMs = 100), 'faults[0].atPhase: give "atMs" or "atPhase", not both'],
  ["a fault has neither a time nor a phase", (s) => delete s.faults[1].atMs, 'faults[1]: needs "atMs" (a time) or "atPhase" (a point in the protocol)'],
  ["afterMessages comes without a phase", (s) => (s.faults[1].afterMessages = 2), 'faults[1].afterMessages: applies only with "atPhase"'],
  ["afterMessages is given for a phase that is not counted", (s) => ((s.faults[1] = { type: "crash", node: "p1", atPhase: "after-vote", afterMessages: 2 })), 'faults[1].afterMessages: applies only to the phases counted in messages ("after-prepare-sent", "after-votes", "after-precommit-sent", "after-decision-sent")'],
  ["a fault starts after the end of the run", (s) => (s.faults[1].atMs = 5000), "faults[1].atMs: is after the end of the run (durationMs 2000)"],
  ["a node is in two sides of a partition", (s) => (s.faults[2].groups = [["p1"], ["p1", "p2"]]), 'faults[2].groups[1][0]: "p1" is in groups[0] too'],
  ["a partition has one side", (s) => (s.faults[2].groups = [["p1", "p2"]]), "faults[2].groups: a partition needs at least 2 groups, got 1"],
  ["random crashes name an unknown node", (s) => (s.faults[3].nodes = ["p1", "db1"]), 'faults[3].nodes[1]: "db1" is not a participant (nodes are "coordinator" and "p1" .. "p3")'],
  ["a random window ends before it starts", (s) => (s.faults[4].fromMs = 1600), "faults[4].untilMs: must be >= fromMs (1600), got 1500"],
  ["cooperative termination is asked of 3PC", (s) => ((s.protocol = "3pc"), (s.faults = [])), "cooperativeTermination: applies to 2pc only (3pc always runs its termination protocol)"],
  ["a fault has an unknown field", (s) => (s.faults[1].restartAfterMs = 100), "faults[1].restartAfterMs: unknown field for fault type \"crash\""],
  ["the input is not an object", () => undefined, "a scenario must be a JSON object ({ ... }), got an array"],
];

describe("atomic-commit scenario validation", () => {
  it("accepts a scenario that uses every field", () => {
    const parsed = parseAtomicCommitScenario(base());
    expect(parsed.faults).toHaveLength(5);
    expect(isAtomicCommitScenario(parsed)).toBe(true);
    expect(isAtomicCommitScenario({ format: 1, nodes: [] })).toBe(false);
  });

  for (const [what, breakIt, message] of CASES) {
    it(`rejects a scenario where ${what}, in one line naming the path`, () => {
      const input = base();
      breakIt(input);
      const error = errorFor(what === "the input is not an object" ? [] : input);
      expect(error.message).toBe(message);
      expect(error.message).not.toMatch(/\n/);
    });
  }

  it("prefixes the file name, when there is one", () => {
    const input = base();
    input.faults[1].node = "p9";
    expect(errorFor(input, "txn.json").message).toBe('txn.json: faults[1].node: "p9" is not a participant (nodes are "coordinator" and "p1" .. "p3")');
  });

  it("reports the first problem in the file when there are several", () => {
    const input = base();
    input.faults[0].node = "p9";
    input.participants = 0;
    expect(errorFor(input).path).toBe("participants");
  });

  it("rejects input meant to hurt (prototype keys) before anything else", () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "format": 1}');
    expect(errorFor(input).message).toBe("__proto__: forbidden key");
  });
});

describe("atomic-commit scenario files", () => {
  it("name the file and the reason when they cannot be read or parsed", () => {
    const dir = mkdtempSync(join(tmpdir(), "txn-scenario-"));
    try {
      writeFileSync(join(dir, "broken.json"), '{ "format": 1, }');
      expect(() => loadAtomicCommitScenarioFile(join(dir, "missing.json"))).toThrow(`${join(dir, "missing.json")}: cannot read the file (no such file)`);
      expect(() => loadAtomicCommitScenarioFile(join(dir, "broken.json"))).toThrow(/broken\.json: invalid JSON at line 1 column \d+/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
