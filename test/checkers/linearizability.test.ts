import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import {
  casRegisterModel,
  checkLinearizability,
  dropUnobservedUnknownWrites,
  porcupineKvModel,
  replicalabKvModel,
} from "../../src/checkers";
import { parseJepsenEtcdLog } from "../../src/history/parse-jepsen-etcd";
import { parsePorcupineKv } from "../../src/history/parse-porcupine-kv";
import type { HistoryOp } from "../../src/history/types";

const DATA = path.resolve(__dirname, "../../../shared/data/linearizability");

/** An operation in a hand-written history: times in microseconds, completeUs null for "never completed". */
function op(fields: Partial<HistoryOp> & Pick<HistoryOp, "process" | "kind" | "invokeUs" | "completeUs">): HistoryOp {
  return { key: "x", input: null, status: "ok", ...fields };
}
const write = (process: number, value: unknown, invokeUs: number, completeUs: number | null, status: HistoryOp["status"] = "ok"): HistoryOp =>
  op({ process, kind: "write", input: value, invokeUs, completeUs, status });
const read = (process: number, value: unknown, invokeUs: number, completeUs: number): HistoryOp =>
  op({ process, kind: "read", output: value, invokeUs, completeUs });

function etcdVerdicts(): [string, boolean][] {
  const lines = readFileSync(path.join(DATA, "etcd", "verdicts.tsv"), "utf8").trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const [file, verdict] = line.split("\t");
    return [file, verdict.trim() === "true"];
  });
}

describe("the checker agrees with every published verdict on real Jepsen etcd histories", () => {
  const verdicts = etcdVerdicts();

  it("has a verdict for every etcd log in the shared data", () => {
    const logs = readdirSync(path.join(DATA, "etcd")).filter((file) => file.endsWith(".log")).sort();
    expect(verdicts.map(([file]) => file).sort()).toEqual(logs);
    expect(logs.length).toBeGreaterThan(50);
  });

  it.each(verdicts)("%s is judged linearizable: %s", (file, expected) => {
    const history = parseJepsenEtcdLog(readFileSync(path.join(DATA, "etcd", file), "utf8"));
    const result = checkLinearizability(history, casRegisterModel);
    expect(result.valid).toBe(expected);
    expect(result.failure === undefined).toBe(expected);
  });
});

describe("the checker agrees with the verdict in every Porcupine key-value file name", () => {
  const files = readdirSync(path.join(DATA, "kv")).filter((file) => file.endsWith(".txt")).sort();

  it("finds both good and bad key-value histories in the shared data", () => {
    expect(files.filter((file) => file.endsWith("-ok.txt")).length).toBeGreaterThan(0);
    expect(files.filter((file) => file.endsWith("-bad.txt")).length).toBeGreaterThan(0);
  });

  it.each(files)("%s gets the verdict its suffix names", (file) => {
    const history = parsePorcupineKv(readFileSync(path.join(DATA, "kv", file), "utf8"));
    const result = checkLinearizability(history, porcupineKvModel);
    expect(result.valid).toBe(file.endsWith("-ok.txt"));
    expect(result.partitions).toBeGreaterThan(1);
  });
});

describe("hand-written register histories", () => {
  it("rejects a read of the old value after another read already saw the new one", () => {
    const history = [write(0, 1, 0, 1000), write(0, 2, 2000, 10_000), read(1, 2, 3000, 4000), read(2, 1, 5000, 6000)];
    const result = checkLinearizability(history, casRegisterModel);
    expect(result.valid).toBe(false);
    expect(result.failure?.cannotFollow[0]).toBe(history[3]);
    expect(result.failure?.longestPrefix).toEqual([history[0], history[1], history[2]]);
    expect(result.failure?.explanation).toMatch(/^Read of key x by process 2 returned 1 \(invoked at 5\.0 ms, completed at 6\.0 ms\)/);
    expect(result.failure?.explanation).toContain("a value last set by process 0 (invoked at 0.0 ms, completed at 1.0 ms)");
    expect(result.failure?.explanation).toContain("key x held 2 (left by the write of 2 to key x by process 0");
    expect(result.failure?.explanation).not.toMatch(/\n|\.\s+[A-Z]/); // one sentence
  });

  it("accepts a read concurrent with a write whether it saw the old or the new value", () => {
    expect(checkLinearizability([write(0, 1, 0, 100), read(1, null, 10, 20)], casRegisterModel).valid).toBe(true);
    expect(checkLinearizability([write(0, 1, 0, 100), read(1, 1, 10, 20)], casRegisterModel).valid).toBe(true);
  });

  it("rejects a read that returns a value before it was written", () => {
    const result = checkLinearizability([read(1, 1, 0, 10), write(0, 1, 20, 30)], casRegisterModel);
    expect(result.valid).toBe(false);
    expect(result.failure?.longestPrefix).toEqual([]);
    expect(result.failure?.explanation).toContain("a value that no earlier write wrote");
  });

  it("lets a write with an unknown outcome take effect late or never, but not both", () => {
    const lost = write(0, 1, 0, null, "info");
    expect(checkLinearizability([lost, read(1, 1, 50, 60)], casRegisterModel).valid).toBe(true);
    expect(checkLinearizability([lost, read(1, null, 50, 60)], casRegisterModel).valid).toBe(true);
    expect(checkLinearizability([lost, read(1, null, 50, 60), read(1, 1, 70, 80)], casRegisterModel).valid).toBe(true);
    expect(checkLinearizability([lost, read(1, 1, 50, 60), read(1, null, 70, 80)], casRegisterModel).valid).toBe(false);
  });

  it("never lets an unknown write take effect before it was invoked", () => {
    const late = write(0, 1, 100, null, "info");
    expect(checkLinearizability([late, read(1, 1, 10, 20)], casRegisterModel).valid).toBe(false);
  });

  it("ignores a failed write, which did not happen", () => {
    const failed = write(0, 1, 0, 10, "fail");
    expect(checkLinearizability([failed, read(1, null, 20, 30)], casRegisterModel).valid).toBe(true);
    expect(checkLinearizability([failed, read(1, 1, 20, 30)], casRegisterModel).valid).toBe(false);
  });

  it("requires an acknowledged compare-and-set to find the value it expected", () => {
    const cas = (from: number, to: number, invokeUs: number): HistoryOp =>
      op({ process: 2, kind: "cas", input: [from, to], invokeUs, completeUs: invokeUs + 5 });
    expect(checkLinearizability([write(0, 1, 0, 5), cas(1, 2, 10), read(1, 2, 20, 25)], casRegisterModel).valid).toBe(true);
    expect(checkLinearizability([write(0, 1, 0, 5), cas(3, 2, 10)], casRegisterModel).valid).toBe(false);
  });

  it("answers unknown, deterministically, once the step budget is spent", () => {
    const history = [write(0, 1, 0, 100), write(1, 2, 0, 100), write(2, 3, 0, 100), read(3, 1, 200, 210)];
    const first = checkLinearizability(history, casRegisterModel, { maxStepsPerPartition: 3 });
    expect(first).toMatchObject({ valid: "unknown", stoppedBy: "step-limit", steps: 3 });
    expect(checkLinearizability(history, casRegisterModel, { maxStepsPerPartition: 3 })).toEqual(first);
    expect(checkLinearizability(history, casRegisterModel).valid).toBe(true);
  });

  it("answers unknown when the caller asks the search to stop", () => {
    const history = [write(0, 1, 0, 100), read(3, 1, 200, 210)];
    const result = checkLinearizability(history, casRegisterModel, { shouldStop: () => true });
    expect(result).toMatchObject({ valid: "unknown", stoppedBy: "stop-request" });
  });

  it("checks each key on its own and counts the partitions", () => {
    const history = [write(0, 1, 0, 10), { ...write(1, 5, 0, 10), key: "y" }, read(2, 1, 20, 30), { ...read(3, 5, 20, 30), key: "y" }];
    expect(checkLinearizability(history, casRegisterModel)).toMatchObject({ valid: true, partitions: 2, opsChecked: 4 });
  });

  it("treats an empty history as linearizable", () => {
    expect(checkLinearizability([], casRegisterModel)).toMatchObject({ valid: true, partitions: 0, opsChecked: 0 });
  });

  it("refuses an acknowledged operation without a completion time", () => {
    expect(() => checkLinearizability([read(1, null, 10, 20), { ...write(0, 1, 0, 5), completeUs: null }], casRegisterModel)).toThrow(/completion time/);
  });

  it("prints times with the formatter it is given", () => {
    const history = [write(0, 1, 1, 2), read(2, null, 3, 4)];
    const result = checkLinearizability(history, casRegisterModel, { formatTime: (t) => `line ${t}` });
    expect(result.failure?.explanation).toContain("invoked at line 3, completed at line 4");
    expect(result.failure?.explanation).toContain("completed at line 2");
  });
});

describe("timed-out writes that nobody read", () => {
  it("are dropped before the search, unless an add or append could observe them indirectly", () => {
    const seen = write(0, 5, 0, null, "info");
    const unseen = write(1, 6, 0, null, "info");
    const history = [seen, unseen, read(2, 5, 10, 20)];
    expect(dropUnobservedUnknownWrites(history)).toEqual([seen, history[2]]);
    const add = op({ process: 3, kind: "add", input: { amount: 1 }, invokeUs: 30, completeUs: 40 });
    expect(dropUnobservedUnknownWrites([...history, add])).toHaveLength(4);
  });

  it("do not stop a violation from being found quickly", () => {
    const timeouts = Array.from({ length: 40 }, (_, i) => write(10 + i, 100 + i, i * 10, null, "info"));
    const writes = Array.from({ length: 40 }, (_, i) => write(0, i, i * 10 + 5, i * 10 + 8));
    const inversion = [read(1, 39, 500, 510), read(2, 38, 520, 530)];
    const result = checkLinearizability([...timeouts, ...writes, ...inversion], replicalabKvModel, { maxStepsPerPartition: 100_000 });
    expect(result.valid).toBe(false);
    expect(result.opsChecked).toBe(42);
  });
});

describe("the key-value models", () => {
  it("appends strings and reads an absent key as the empty string in Porcupine's model", () => {
    const append = (process: number, value: string, invokeUs: number): HistoryOp =>
      op({ process, kind: "append", input: value, invokeUs, completeUs: invokeUs + 1 });
    const history = [read(0, "", 0, 1), append(0, "a", 2), append(1, "b", 4), read(2, "ab", 6, 7)];
    expect(checkLinearizability(history, porcupineKvModel).valid).toBe(true);
    expect(checkLinearizability([...history, read(2, "ba", 8, 9)], porcupineKvModel).valid).toBe(false);
  });

  it("applies replicalab adds, and rejects an acknowledged add that would break its floor", () => {
    const add = (process: number, amount: number, floor: number | undefined, invokeUs: number, status: HistoryOp["status"] = "ok"): HistoryOp =>
      op({ process, kind: "add", input: floor === undefined ? { amount } : { amount, floor }, invokeUs, completeUs: invokeUs + 1, status });
    expect(checkLinearizability([add(0, 5, undefined, 0), add(1, -3, 0, 2), read(2, 2, 4, 5)], replicalabKvModel).valid).toBe(true);
    expect(checkLinearizability([add(0, 5, undefined, 0), add(1, -6, 0, 2)], replicalabKvModel).valid).toBe(false);
    // A refused add (status fail) changes nothing.
    expect(checkLinearizability([add(0, 5, undefined, 0), add(1, -6, 0, 2, "fail"), read(2, 5, 4, 5)], replicalabKvModel).valid).toBe(true);
  });

  it("rejects an operation kind the model does not have", () => {
    const append = op({ process: 0, kind: "append", input: "a", invokeUs: 0, completeUs: 1 });
    expect(() => checkLinearizability([append], casRegisterModel)).toThrow(/no "append" operation/);
  });
});

describe("the checker agrees with a brute-force search on small random histories", () => {
  /** A tiny deterministic generator (a linear congruential one), so a failure reproduces. */
  function generator(seed: number): (n: number) => number {
    let state = seed >>> 0;
    return (n) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state % n;
    };
  }

  /** Operations with random intervals; outputs come from a real order of random points, then maybe one is corrupted. */
  function randomHistory(seed: number): HistoryOp[] {
    const random = generator(seed);
    const count = 2 + random(5);
    const ops = Array.from({ length: count }, (_, process): HistoryOp & { point: number } => {
      const invokeUs = random(20);
      const completeUs = invokeUs + 1 + random(8);
      const kind = (["read", "write", "cas"] as const)[random(3)];
      const input = kind === "read" ? null : kind === "write" ? random(3) : [random(3), random(3)];
      const status = (["ok", "ok", "ok", "info", "fail"] as const)[random(5)];
      return { process, kind, key: "x", input, status, invokeUs, completeUs, point: invokeUs + random(completeUs - invokeUs + 1) };
    });
    let value: unknown = null;
    for (const operation of [...ops].sort((a, b) => a.point - b.point)) {
      if (operation.status === "fail") continue;
      if (operation.kind === "read") operation.output = value;
      else if (operation.kind === "write") value = operation.input;
      else if ((operation.input as unknown[])[0] === value) value = (operation.input as unknown[])[1];
      else if (operation.status === "ok") operation.status = "fail"; // a cas whose compare failed did not happen
    }
    const reads = ops.filter((operation) => operation.kind === "read" && operation.status === "ok");
    if (reads.length > 0 && random(2) === 0) reads[random(reads.length)].output = random(3);
    return ops.map(({ point: _point, ...operation }) => ({ ...operation, completeUs: operation.status === "info" ? null : operation.completeUs }));
  }

  /** Every subset of the unknown operations, every order that respects real time: is one legal? */
  function bruteForce(history: HistoryOp[]): boolean {
    const happened = history.filter((operation) => operation.status !== "fail");
    const end = (operation: HistoryOp): number => (operation.status === "info" ? Infinity : (operation.completeUs as number));
    const legalFrom = (chosen: HistoryOp[], remaining: HistoryOp[], value: unknown): boolean => {
      if (remaining.length === 0) return true;
      return remaining.some((candidate) => {
        if (remaining.some((other) => other !== candidate && end(other) < candidate.invokeUs)) return false;
        const [legal, next] = casRegisterModel.step(value, candidate, candidate.status === "ok" ? { known: true, value: candidate.output } : { known: false });
        return legal && legalFrom([...chosen, candidate], remaining.filter((other) => other !== candidate), next);
      });
    };
    const unknown = happened.filter((operation) => operation.status === "info");
    for (let mask = 0; mask < 1 << unknown.length; mask++) {
      const included = happened.filter((operation) => operation.status === "ok" || (mask >> unknown.indexOf(operation)) & 1);
      if (legalFrom([], included, null)) return true;
    }
    return false;
  }

  it("gives the brute-force verdict on 500 random register histories, both valid and invalid", () => {
    let invalid = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const history = randomHistory(seed);
      const expected = bruteForce(history);
      if (!expected) invalid++;
      expect(checkLinearizability(history, casRegisterModel).valid, `seed ${seed}: ${JSON.stringify(history)}`).toBe(expected);
    }
    expect(invalid).toBeGreaterThan(50);
    expect(invalid).toBeLessThan(450);
  });
});

describe("long histories", () => {
  /** Eight clients on one key, each op taking effect at a random point of its interval; 1 in 40 times out. */
  function longHistory(count: number, corruptOneRead: boolean): HistoryOp[] {
    let seed = 42;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const clock = new Array<number>(8).fill(0);
    let nextValue = 0;
    const ops = Array.from({ length: count }, (_, i) => {
      const process = i % 8;
      const invokeUs = clock[process] + random(50);
      const completeUs = invokeUs + 10 + random(200);
      clock[process] = completeUs + 1;
      const isWrite = random(3) === 0;
      const status: HistoryOp["status"] = random(40) === 0 ? "info" : "ok";
      const effect = status === "info" && random(2) === 0 ? Infinity : invokeUs + random(completeUs - invokeUs + 1);
      return { process, kind: isWrite ? "write" : "read", key: "x", input: isWrite ? ++nextValue : null, status, invokeUs, completeUs, effect } as HistoryOp & { effect: number };
    });
    let value: unknown = null;
    for (const operation of [...ops].sort((a, b) => a.effect - b.effect)) {
      if (operation.effect === Infinity) continue;
      if (operation.kind === "write") value = operation.input;
      else operation.output = value;
    }
    if (corruptOneRead) ops.filter((operation) => operation.kind === "read" && operation.status === "ok")[Math.floor(count / 3)].output = -1;
    return ops.map(({ effect: _effect, ...operation }) => ({ ...operation, completeUs: operation.status === "info" ? null : operation.completeUs }));
  }

  it("checks a valid 5,000-operation single-key history with timeouts", () => {
    const result = checkLinearizability(longHistory(5000, false), replicalabKvModel);
    expect(result).toMatchObject({ valid: true, partitions: 1 });
  });

  it("finds the one corrupted read in a 5,000-operation history", () => {
    const result = checkLinearizability(longHistory(5000, true), replicalabKvModel);
    expect(result.valid).toBe(false);
    expect(result.failure?.cannotFollow[0].output).toBe(-1);
  });
});
