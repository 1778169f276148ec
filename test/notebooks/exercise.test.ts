import { describe, expect, test } from "vitest";
import { approx, check, predict } from "../../src/notebook/exercise";

function capture() {
  const lines: string[] = [];
  return { lines, print: (l: string) => void lines.push(l) };
}

describe("check", () => {
  test("a right answer prints a tick and the explanation", () => {
    const out = capture();
    expect(check("Exercise 1", 3, 3, { explain: "three writes were acknowledged before the crash", print: out.print })).toBe(true);
    expect(out.lines).toEqual(["✓ Exercise 1: right — three writes were acknowledged before the crash"]);
  });

  test("a wrong answer prints what it got and the hint, never the answer", () => {
    const out = capture();
    expect(check("Exercise 2", 2, 3, { hint: "count the acknowledged writes", print: out.print })).toBe(false);
    expect(out.lines).toEqual(["✗ Exercise 2: not yet (got 2) — hint: count the acknowledged writes"]);
  });

  test("undefined is an unfinished TODO", () => {
    const out = capture();
    check("Exercise 3", undefined, 3, { print: out.print });
    expect(out.lines).toEqual(["✗ Exercise 3: not yet (no answer yet)"]);
  });

  test("values compare deeply", () => {
    expect(check("e", { db2: [1, 2] }, { db2: [1, 2] }, { print: () => undefined })).toBe(true);
    expect(check("e", { db2: [1, 2] }, { db2: [2, 1] }, { print: () => undefined })).toBe(false);
  });

  test("a predicate decides; approx allows measured values", () => {
    expect(check("e", 0.993, approx(0.99, 0.005), { print: () => undefined })).toBe(true);
    expect(check("e", 7, (n: number) => n > 5 && n < 10, { print: () => undefined })).toBe(true);
  });

  test("never throws, even when the check itself fails", () => {
    const out = capture();
    const boom = (_answer: object): boolean => {
      throw new Error("cannot read lagMs of undefined");
    };
    expect(check("Exercise 4", {}, boom, { hint: "run the experiment first", print: out.print })).toBe(false);
    expect(out.lines[0]).toBe("✗ Exercise 4: not yet (checking it failed: cannot read lagMs of undefined) — hint: run the experiment first");
  });

  test("long answers are cut to one short line", () => {
    const out = capture();
    check("e", Array.from({ length: 1000 }, (_, i) => i), [], { print: out.print });
    expect(out.lines[0].length).toBeLessThan(120);
  });

  test("prints to the cell output (console.log) by default", () => {
    const logged: unknown[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void logged.push(...args);
    try {
      check("Exercise 5", 1, 1);
    } finally {
      console.log = original;
    }
    expect(logged).toEqual(["✓ Exercise 5: right"]);
  });
});

describe("predict", () => {
  test("asks with lettered options, then reveals", () => {
    const out = capture();
    const q = predict("What happens to db2's lag while it is cut off?", { a: "stays flat", b: "grows until the link heals" }, out.print);
    expect(out.lines).toEqual([
      "? Predict: What happens to db2's lag while it is cut off?",
      "    a) stays flat",
      "    b) grows until the link heals",
      "  Write your guess (a, b) in the next cell, then run the experiment.",
    ]);
    expect(q.reveal("a", "b", "nothing reaches it")).toBe(false);
    expect(q.reveal("b", "b")).toBe(true);
    expect(q.reveal(undefined, "b")).toBe(false);
    expect(out.lines.slice(4)).toEqual([
      "• Prediction: you said a, the answer is b) grows until the link heals — nothing reaches it",
      "✓ Prediction: right, b) grows until the link heals",
      "• Prediction: no guess given; the answer is b) grows until the link heals",
    ]);
  });

  test("a wrong prediction is not an unmet exercise (the runner's --strict-checks ignores it)", () => {
    const out = capture();
    predict("q", { a: "x", b: "y" }, out.print).reveal("a", "b");
    expect(out.lines.some((l) => /^✗ .*: not yet/.test(l))).toBe(false);
  });
});
