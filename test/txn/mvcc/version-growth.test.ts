import { describe, expect, it } from "vitest";
import { versionsOverTime } from "../../../src/txn/mvcc/version-growth";

describe("versions kept over time", () => {
  const growth = versionsOverTime({ seed: 3, durationMs: 10_000 });
  const versions = (points: { versions: number }[]) => points.map((p) => p.versions);

  it("stays bounded with GC on: near one version per row, plus what a running report pins", () => {
    const withGc = versions(growth.withGc);
    expect(Math.max(...withGc)).toBeLessThan(500);
    expect(Math.min(...withGc)).toBeLessThan(40); // 20 rows: between reports almost nothing is kept
  });

  it("grows with every write when GC is off", () => {
    const withoutGc = versions(growth.withoutGc);
    for (let i = 1; i < withoutGc.length; i++) expect(withoutGc[i]).toBeGreaterThanOrEqual(withoutGc[i - 1]);
    expect(withoutGc[withoutGc.length - 1]).toBeGreaterThan(5 * Math.max(...versions(growth.withGc)));
  });

  it("is deterministic: the same seed gives the same series", () => {
    expect(versionsOverTime({ seed: 3, durationMs: 10_000 })).toEqual(growth);
  });
});
