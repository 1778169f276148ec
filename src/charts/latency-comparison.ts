/**
 * One latency CDF per run, on one chart: "write latency under async, semi-sync and sync". Where
 * `latencyCdfChart` compares the reads and writes of ONE run, this compares the same kind of
 * operation across runs, so the cost of waiting for replicas is read straight off the gap between
 * the lines (the median at 50%, the tail towards 100%).
 *
 * @example
 * show(latencyCdfComparisonChart([
 *   { name: "async", values: asyncRun.data.latency.write },
 *   { name: "sync", values: syncRun.data.latency.write },
 * ], { title: "Write latency", logX: true }));
 */
import { cdf } from "./distribution";
import { finishFigure } from "./figure";
import type { LatencyChartOptions } from "./latency";
import { seriesColour } from "./palette";
import type { Figure, Trace } from "./types";

/** One run's latencies (ms), one sample per successful operation. */
export interface NamedLatencies {
  name: string;
  values: readonly number[];
}

export function latencyCdfComparisonChart(runs: readonly NamedLatencies[], opts: LatencyChartOptions = {}): Figure {
  const data = runs.filter((r) => r.values.length > 0).map((r, i): Trace => {
    const c = cdf(r.values);
    return {
      type: "scatter", mode: "lines", name: `${r.name} (${r.values.length} ops)`,
      x: c.x, y: c.p.map((p) => 100 * p),
      line: { color: seriesColour(i), shape: "hv" },
      hovertemplate: `%{y:.2f}% within %{x:.3~g} ms<extra>${escapeHover(r.name)}</extra>`,
    };
  });
  const fig: Figure = {
    data,
    layout: {
      title: { text: opts.title ?? "Latency CDF by run" },
      xaxis: { title: { text: `Latency (ms${opts.logX ? ", log scale" : ""})` }, type: opts.logX ? "log" : "linear",
        dtick: opts.logX ? "D2" : undefined, range: paddedRange(runs, opts.logX ?? false) },
      yaxis: { title: { text: "Operations finished within (%)" }, rangemode: "tozero", range: [0, 101] },
      shapes: [],
      annotations: [],
      showlegend: true,
      hovermode: "closest",
    },
    config: {},
  };
  return finishFigure(fig, opts);
}

/**
 * An x range with a margin on both sides: a run whose latencies are all equal is a vertical line at
 * its value, and with plotly's automatic range that line would sit on the axis itself, unseen.
 * Log axes take their range in powers of ten.
 */
function paddedRange(runs: readonly NamedLatencies[], log: boolean): [number, number] | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of runs) {
    for (const v of r.values) {
      if (!Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo > hi) return undefined;
  if (log) return [Math.log10(lo) - 0.1, Math.log10(hi) + 0.1];
  const pad = Math.max((hi - lo) * 0.05, Math.abs(hi) * 0.05, 1e-9);
  return [Math.max(0, lo - pad), hi + pad];
}

/** Plotly hover templates treat %{...} as fields and accept HTML: keep run names literal. */
function escapeHover(name: string): string {
  return name.replace(/[<>&%]/g, (c) => `&#${c.charCodeAt(0)};`);
}
