/**
 * Write and read latency distributions, as a histogram (where most operations fall) and as a CDF
 * (what share finishes within x ms; the tail shows what sync replication or a slow link costs).
 * `logX` spreads latencies that span orders of magnitude (1 ms reads, 200 ms cross-region writes).
 */
import { cdf, histogram } from "./distribution";
import { seriesColour } from "./palette";
import { finishFigure } from "./figure";
import type { ChartOptions, Figure, LatencySamples, Trace } from "./types";

export interface LatencyChartOptions extends ChartOptions {
  /** Logarithmic latency axis (and log-spaced histogram bins). */
  logX?: boolean;
  /** Histogram bins (default 40). */
  bins?: number;
}

const KINDS = ["write", "read"] as const;

/** Share of operations per latency bin, one outline per kind (write, read), drawn as steps. */
export function latencyHistogramChart(samples: LatencySamples, opts: LatencyChartOptions = {}): Figure {
  const data = presentKinds(samples).map(({ kind, values, colour }): Trace => {
    const h = histogram(values, opts.bins ?? 40, opts.logX ?? false);
    const total = values.length;
    // Steps over the bin edges (the last count repeated to close the final bin): unlike bars, steps
    // read correctly on a log axis and two kinds overlay without hiding each other.
    const shares = h.counts.map((c) => (100 * c) / total);
    return {
      type: "scatter", mode: "lines", name: `${kind} (${total} ops)`,
      x: h.edges, y: shares.concat(shares.length > 0 ? [shares[shares.length - 1]] : []),
      line: { color: colour, shape: "hv" }, fill: "tozeroy", fillcolor: translucent(colour),
      hovertemplate: `≥ %{x:.3~g} ms: %{y:.1f}%<extra>${kind}</extra>`,
    };
  });
  return latencyFigure(data, "Latency distribution", "Share of operations (%)", opts);
}

/** Cumulative share of operations finished within each latency: read p99 where the line hits 99%. */
export function latencyCdfChart(samples: LatencySamples, opts: LatencyChartOptions = {}): Figure {
  const data = presentKinds(samples).map(({ kind, values, colour }): Trace => {
    const c = cdf(values);
    return {
      type: "scatter", mode: "lines", name: `${kind} (${values.length} ops)`,
      x: c.x, y: c.p.map((p) => 100 * p),
      line: { color: colour, shape: "hv" },
      hovertemplate: `%{y:.2f}% within %{x:.3~g} ms<extra>${kind}</extra>`,
    };
  });
  return latencyFigure(data, "Latency CDF", "Operations finished within (%)", opts, [0, 101]);
}

function presentKinds(samples: LatencySamples) {
  return KINDS.map((kind, i) => ({ kind, values: samples[kind], colour: seriesColour(i) }))
    .filter((k) => k.values.length > 0);
}

function latencyFigure(data: Trace[], title: string, yTitle: string, opts: LatencyChartOptions,
  yRange?: [number, number]): Figure {
  const fig: Figure = {
    data,
    layout: {
      title: { text: opts.title ?? title },
      xaxis: { title: { text: `Latency (ms${opts.logX ? ", log scale" : ""})` }, type: opts.logX ? "log" : "linear",
        dtick: opts.logX ? "D2" : undefined },
      yaxis: { title: { text: yTitle }, rangemode: "tozero", range: yRange },
      shapes: [],
      annotations: [],
      showlegend: true,
      hovermode: "closest",
    },
    config: {},
  };
  return finishFigure(fig, opts);
}

/** "#0072B2" -> "rgba(0,114,178,0.15)": a fill that keeps the outline and the other kind visible. */
function translucent(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},0.15)`;
}
