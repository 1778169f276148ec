import { describe, expect, it } from "vitest";
import { checkDivergence } from "../../src/checkers";

describe("checkDivergence", () => {
  it("passes nodes that hold the same values", () => {
    expect(checkDivergence({ n1: { a: 1, b: 2 }, n2: { b: 2, a: 1 }, n3: { a: 1, b: 2 } })).toEqual({ valid: true, count: 0, examples: [] });
  });

  it("flags a key whose value differs, grouping the nodes by what they hold", () => {
    const result = checkDivergence({ n1: { a: 1, b: 2 }, n2: { a: 1, b: 3 }, n3: { a: 1, b: 2 } });
    expect(result).toMatchObject({ valid: false, count: 1 });
    expect(result.examples[0]).toEqual({
      key: "b",
      values: { n1: 2, n2: 3, n3: 2 },
      explanation: "Key b differs across nodes: n1 and n3 hold 2, n2 holds 3.",
    });
  });

  it("flags a key that one node lacks, and treats absent and null alike", () => {
    expect(checkDivergence({ n1: { a: 1 }, n2: {} }).examples[0].explanation).toBe("Key a differs across nodes: n1 holds 1, n2 holds nothing.");
    expect(checkDivergence({ n1: { a: null }, n2: {} }).valid).toBe(true);
  });

  it("compares structured values by content", () => {
    expect(checkDivergence({ n1: { a: { v: [1, 2] } }, n2: { a: { v: [1, 2] } } }).valid).toBe(true);
    expect(checkDivergence({ n1: { a: { v: [1, 2] } }, n2: { a: { v: [2, 1] } } }).valid).toBe(false);
  });

  it("lists divergent keys in sorted order", () => {
    const result = checkDivergence({ n1: { c: 1, a: 1, b: 1 }, n2: { c: 2, a: 2, b: 1 } });
    expect(result.examples.map((d) => d.key)).toEqual(["a", "c"]);
  });

  it("passes a single node or none", () => {
    expect(checkDivergence({ n1: { a: 1 } }).valid).toBe(true);
    expect(checkDivergence({}).valid).toBe(true);
  });
});
