import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { ETCD_KEY, formatLineTime, parseJepsenEtcdLog } from "../../src/history/parse-jepsen-etcd";

const DATA = path.resolve(__dirname, "../../../shared/data/linearizability");

const SAMPLE = [
  "INFO  jepsen.util - 0\t:invoke\t:read\tnil", // 1
  "INFO  jepsen.util - 1   :invoke :write  3", // 2 (spaces instead of tabs, as some real lines have)
  "some log noise that is not an event", // 3
  "INFO  jepsen.util - 0\t:ok\t:read\tnil", // 4
  "INFO  jepsen.util - 1\t:ok\t:write\t3", // 5
  "INFO  jepsen.util - 2\t:invoke\t:cas\t[3 4]", // 6
  "INFO  jepsen.util - 2\t:fail\t:cas\t[3 4]", // 7
  "INFO  jepsen.util - 3\t:invoke\t:read\tnil", // 8
  "INFO  jepsen.util - 3\t:fail\t:read\t:timed-out", // 9
  "INFO  jepsen.util - 4\t:invoke\t:cas\t[3 1]", // 10
  "INFO  jepsen.util - 4\t:info\t:cas\t:timed-out", // 11
  "INFO  jepsen.util - 5\t:invoke\t:write\t2", // 12 (never completes)
  "INFO  jepsen.util - 6\t:invoke\t:read\tnil", // 13
  "INFO  jepsen.util - 6\t:ok\t:read\t3", // 14
].join("\n");

describe("parseJepsenEtcdLog", () => {
  const history = parseJepsenEtcdLog(SAMPLE);

  it("turns each invocation into one operation on the etcd key, in invocation order, skipping noise", () => {
    expect(history.map((op) => [op.process, op.kind])).toEqual([
      [0, "read"], [1, "write"], [2, "cas"], [3, "read"], [4, "cas"], [5, "write"], [6, "read"],
    ]);
    expect(history.every((op) => op.key === ETCD_KEY)).toBe(true);
  });

  it("uses line numbers as times", () => {
    expect(history[0]).toMatchObject({ invokeUs: 1, completeUs: 4 });
    expect(history[1]).toMatchObject({ invokeUs: 2, completeUs: 5 });
    expect(formatLineTime(12)).toBe("line 12");
  });

  it("reads nil as null and integers as numbers", () => {
    expect(history[0]).toMatchObject({ status: "ok", input: null, output: null });
    expect(history[1]).toMatchObject({ status: "ok", input: 3 });
    expect(history[6]).toMatchObject({ status: "ok", output: 3 });
  });

  it("marks a failed compare-and-set as fail, since it did not happen", () => {
    expect(history[2]).toMatchObject({ kind: "cas", input: [3, 4], status: "fail", completeUs: 7 });
  });

  it("marks timeouts, even a read logged as :fail, as unknown outcomes", () => {
    expect(history[3]).toMatchObject({ kind: "read", status: "info", error: "timed-out" });
    expect(history[4]).toMatchObject({ kind: "cas", status: "info", error: "timed-out" });
  });

  it("marks an invocation that never completed as unknown, with no completion time", () => {
    expect(history[5]).toMatchObject({ kind: "write", input: 2, status: "info", completeUs: null });
  });

  it("returns no operations for text with no Jepsen events", () => {
    expect(parseJepsenEtcdLog("hello\nworld\n")).toEqual([]);
  });

  it("finds one operation per invocation line in every shared etcd log", () => {
    const files = readdirSync(path.join(DATA, "etcd")).filter((file) => file.endsWith(".log"));
    for (const file of files) {
      const text = readFileSync(path.join(DATA, "etcd", file), "utf8");
      const invocations = text.split("\n").filter((line) => /\s:invoke\s/.test(line)).length;
      const history = parseJepsenEtcdLog(text);
      expect(history.length, file).toBe(invocations);
      expect(history.some((op) => op.status === "ok"), file).toBe(true);
    }
  });
});
