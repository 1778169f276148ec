import { readdirSync, readFileSync } from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { parsePorcupineKv } from "../../src/history/parse-porcupine-kv";

const DATA = path.resolve(__dirname, "../../../shared/data/linearizability");

const SAMPLE = [
  '{:process 0, :type :invoke, :f :append, :key "4", :value "x 0 1 y"}',
  '{:process 1, :type :invoke, :f :get, :key "4", :value nil}',
  "",
  '{:process 1, :type :ok, :f :get, :key "4", :value ""}',
  '{:process 0, :type :ok, :f :append, :key "4", :value "x 0 1 y"}',
  '{:process 2, :type :invoke, :f :put, :key "7", :value "say \\"hi\\""}',
  '{:process 2, :type :ok, :f :put, :key "7", :value "say \\"hi\\""}',
  '{:process 3, :type :invoke, :f :put, :key "7", :value "z"}',
].join("\n");

describe("parsePorcupineKv", () => {
  const history = parsePorcupineKv(SAMPLE);

  it("maps get, put and append to read, write and append operations", () => {
    expect(history.map((op) => [op.process, op.kind, op.key])).toEqual([
      [0, "append", "4"], [1, "read", "4"], [2, "write", "7"], [3, "write", "7"],
    ]);
  });

  it("keeps a get's returned value, the empty string for an absent key", () => {
    expect(history[1]).toMatchObject({ status: "ok", input: null, output: "" });
  });

  it("decodes string escapes and uses line numbers as times", () => {
    expect(history[2]).toMatchObject({ input: 'say "hi"', invokeUs: 6, completeUs: 7 });
    expect(history[0]).toMatchObject({ invokeUs: 1, completeUs: 5 });
  });

  it("marks an invocation that never completed as unknown", () => {
    expect(history[3]).toMatchObject({ status: "info", completeUs: null });
  });

  it("names the line of anything that is not an event", () => {
    expect(() => parsePorcupineKv('{:process 0, :type :invoke, :f :get, :key "1", :value nil}\nnot edn')).toThrow(/^line 2: not an EDN map/);
    expect(() => parsePorcupineKv('{:process 0, :type :invoke, :f :delete, :key "1"}')).toThrow(/line 1: bad :f/);
    expect(() => parsePorcupineKv('{:process 0, :type :ok, :f :get, :key "1", :value ""}')).toThrow(/line 1: process 0 completes an operation it never invoked/);
  });

  it("finds one operation per invocation line in every shared kv file, all completed", () => {
    const files = readdirSync(path.join(DATA, "kv")).filter((file) => file.endsWith(".txt"));
    for (const file of files) {
      const text = readFileSync(path.join(DATA, "kv", file), "utf8");
      const history = parsePorcupineKv(text);
      expect(history.length, file).toBe(text.split("\n").filter((line) => line.includes(":type :invoke")).length);
      expect(history.every((op) => op.status === "ok"), file).toBe(true);
    }
  });
});
