/**
 * A parameter sweep: one or more measured quantities (in the same unit) against a numeric knob,
 * as lines with markers: "read throughput vs number of replicas", "recovery time vs election
 * timeout". Unlike `comparisonChart`, the x axis is numeric, so unevenly spaced settings (1, 4, 8,
 * 20 replicas) sit at their true distances and a curve that bends looks bent.
 *
 * @example
 * show(sweepChart({ x: [1, 4, 8, 16], series: [{ name: "reads/s", values: [900, 3500, 6100, 6300] }] },
 *                 { xTitle: "Replicas", valueTitle: "Reads answered per second" }));
 */
import { finishFigure } from "./figure";
import { seriesColour } from "./palette";
import type { ChartOptions, Figure, Trace } from "./types";

/** `series[k].values[i]` was measured with the knob at `x[i]`; NaN = not measured (a gap). */
export interface SweepData {
  x: number[];
  series: { name: string; values: number[] }[];
}

export interface SweepOptions extends ChartOptions {
  /** The knob with its unit, e.g. "Election timeout (ms)". */
  xTitle: string;
  /** The measured quantity with its unit, e.g. "Recovery time (ms)"; also the default title. */
  valueTitle: string;
  /** A logarithmic x axis (for knobs swept over decades: 1, 10, 100, 1000 ms). */
  logX?: boolean;
  /** d3-format for values in hover text and on the y axis, e.g. ".0f" or ".0%". */
  valueFormat?: string;
}

export function sweepChart(input: SweepData, opts: SweepOptions): Figure {
  const format = opts.valueFormat ?? ".3~g";
  const data = input.series.map((s, i): Trace => {
    if (s.values.length !== input.x.length) {
      throw new RangeError(`series "${s.name}": ${s.values.length} values for ${input.x.length} settings`);
    }
    return {
      type: "scatter", mode: "lines+markers", name: s.name, x: input.x.slice(), y: s.values.slice(),
      line: { color: seriesColour(i) }, marker: { color: seriesColour(i) }, connectgaps: false,
      hovertemplate: `${escapeHover(opts.xTitle)}: %{x}<br>%{y:${format}}<extra>${escapeHover(s.name)}</extra>`,
    };
  });
  const fig: Figure = {
    data,
    layout: {
      title: { text: opts.title ?? opts.valueTitle },
      xaxis: { title: { text: opts.xTitle }, type: opts.logX ? "log" : "linear", zeroline: false },
      yaxis: { title: { text: opts.valueTitle }, rangemode: "tozero", tickformat: opts.valueFormat },
      shapes: [],
      annotations: [],
      showlegend: input.series.length > 1,
      hovermode: "closest",
    },
    config: {},
  };
  return finishFigure(fig, opts);
}

/** Plotly hover templates treat %{...} as fields and accept HTML: keep names literal. */
function escapeHover(name: string): string {
  return name.replace(/[<>&%]/g, (c) => `&#${c.charCodeAt(0)};`);
}
