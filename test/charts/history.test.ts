import { describe, expect, test } from "vitest";
import { historyChart } from "../../src/charts/history";
import { OKABE_ITO } from "../../src/charts/palette";
import type { FaultWindow } from "../../src/charts/types";
import type { History, HistoryOp } from "../../src/history/types";

const op = (p: Partial<HistoryOp> & Pick<HistoryOp, "process" | "kind" | "invokeUs">): HistoryOp => ({
  key: "x", input: null, status: "ok", completeUs: p.invokeUs + 2000, ...p,
});
const history: History = [
  op({ process: 0, kind: "write", input: 1, invokeUs: 0, completeUs: 3000, id: 1 }),
  op({ process: 1, kind: "read", output: 1, invokeUs: 1000, completeUs: 2000, id: 2 }),
  op({ process: 2, kind: "read", output: null, invokeUs: 4000, completeUs: 5000, id: 3 }),
  op({ process: 0, kind: "write", input: 2, invokeUs: 6000, completeUs: null, status: "info", error: "timeout", id: 4 }),
  op({ process: 1, kind: "write", input: 3, invokeUs: 7000, completeUs: 8000, status: "fail", error: "read-only", id: 5 }),
  op({ process: 2, kind: "read", output: 1, invokeUs: 9000, completeUs: 10_000, id: 6 }),
];
const trace = (fig: ReturnType<typeof historyChart>, prefix: string) => {
  const t = fig.data.find((d) => d.name.startsWith(prefix));
  if (!t) throw new Error(`no trace ${prefix}`);
  return t as typeof t & { base: number[]; hovertext: string[]; marker: Record<string, unknown> };
};

describe("history chart", () => {
  test("one lane per client process, one bar per operation from invoke to completion", () => {
    const fig = historyChart(history);
    expect(fig.data.every((t) => t.type === "bar")).toBe(true);
    expect(fig.data.reduce((n, t) => n + t.y.length, 0)).toBe(history.length);
    const yaxis = fig.layout.yaxis as unknown as { ticktext: string[]; tickvals: number[] };
    expect(yaxis.ticktext).toEqual(["p0", "p1", "p2"]);
    expect(yaxis.tickvals).toEqual([0, 1, 2]);
    const writes = trace(fig, "write");
    expect(writes.base).toEqual([0]);
    expect(writes.x).toEqual([3]);
    expect(fig.layout.xaxis.title.text).toBe("Virtual time (ms)");
    expect(fig.layout.title.text).toBe("History: 6 operations by 3 clients");
    // Bars of different traces share a lane instead of being grouped side by side.
    expect(new Set(fig.data.map((t) => (t as unknown as { offsetgroup: string }).offsetgroup)).size).toBe(1);
  });

  test("an unknown-outcome operation runs open-ended to the end of the history and is hatched", () => {
    const info = trace(historyChart(history), "unknown");
    expect(info.base).toEqual([6]);
    expect(info.x).toEqual([4]); // 6 ms .. 10 ms, the last completion
    expect(info.marker.pattern).toBeDefined();
    expect(trace(historyChart(history), "failed").y).toEqual([1]);
  });

  test("highlighted operations (matched by identity, even on copies) are drawn in a strong colour", () => {
    const fig = historyChart(history, { highlight: [{ ...history[5] }, history[1]] });
    const h = trace(fig, "highlighted");
    expect(h.marker.color).toBe(OKABE_ITO.vermillion);
    expect(h.y).toEqual([1, 2]);
    expect(trace(fig, "read").y).toEqual([2]);
    expect(h.name).toBe("highlighted · 2");
  });

  test("hover text names op, key, input and output, escaped", () => {
    const fig = historyChart([op({ process: 3, kind: "write", key: "<k>", input: "50%", invokeUs: 0 }),
      op({ process: 3, kind: "read", key: "k", output: "v", invokeUs: 3000 })]);
    const w = trace(fig, "write").hovertext[0];
    expect(w).toContain("p3 write &#60;k&#62;");
    expect(w).toContain("input: \"50&#37;\"");
    expect(w).toContain("0.0 ms → 2.0 ms");
    expect(trace(fig, "read").hovertext[0]).toContain("output: \"v\"");
    expect(fig.data.every((t) => t.hovertemplate === "%{hovertext}<extra></extra>")).toBe(true);
  });

  test("each bar carries a short label: what was written or read, ? for unknown, ✗ for failed", () => {
    const fig = historyChart(history);
    const labels = (prefix: string) => (trace(fig, prefix) as unknown as { text: string[] }).text;
    expect(labels("write")).toEqual(["w 1"]);
    expect(labels("read")).toEqual(["r 1", "r null", "r 1"]);
    expect(labels("unknown")).toEqual(["w 2 ?"]);
    expect(labels("failed")).toEqual(["w 3 ✗"]);
    const cas = historyChart([op({ process: 0, kind: "cas", input: [1, 2], invokeUs: 0 })]);
    expect((cas.data[0] as unknown as { text: string[] }).text).toEqual(["cas 1→2"]);
  });

  test("fault windows are shaded and labelled; provenance and title are used; long histories in seconds", () => {
    const faults: FaultWindow[] = [{ type: "partition", label: "partition db2", startMs: 2, endMs: null }];
    const fig = historyChart(history, { faults, title: "T", provenance: { scenario: "s", seed: 1, version: "0" } });
    expect(fig.layout.shapes.map((s) => [s.x0, s.x1])).toEqual([[2, 10]]);
    expect(fig.layout.annotations.map((a) => a.text)).toContain("partition db2");
    expect(fig.layout.annotations.some((a) => a.name === "provenance")).toBe(true);
    expect(fig.layout.title.text).toBe("T");
    const long = historyChart([op({ process: 0, kind: "read", invokeUs: 9_000_000 })]);
    expect(long.layout.xaxis.title.text).toBe("Virtual time (s)");
    expect(trace(long, "read").base).toEqual([9]);
  });

  test("an empty history gives an empty chart, not an error", () => {
    const fig = historyChart([]);
    expect(fig.data).toEqual([]);
    expect(fig.layout.title.text).toBe("History: 0 operations by 0 clients");
  });
});
