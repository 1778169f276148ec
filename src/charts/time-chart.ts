/**
 * The frame every time chart shares: one line per series on virtual time, downsampled for display,
 * fault windows shaded, provenance in the corner, then the theme. The metric builders (lag,
 * availability, ...) only say what they plot and how to label it.
 */
import { downsampleMinMax, type Points } from "./downsample";
import { faultLabels, faultShapes } from "./faults";
import { seriesColour } from "./palette";
import { finishFigure } from "./figure";
import { timeAxisTitle, timeUnitFor, type TimeUnit } from "./time-axis";
import type { Axis, ChartOptions, Figure, TimeSeries, Trace } from "./types";

export interface TimeChartSpec {
  title: string;
  /** With its unit, e.g. "Replication lag (ms)". */
  yTitle: string;
  series: readonly TimeSeries[];
  /** Plotly y-axis settings beyond the title (range, tick format). */
  yAxis?: Omit<Axis, "title">;
  /**
   * "linear" for sampled values; "window" for per-window values placed at their window's end: a
   * step that holds each value over the window it describes (plotly's "vh", plus a start point for
   * the first window, assumed as long as the second).
   */
  lineShape?: "linear" | "window";
  /** Hover text format for a value, e.g. "%{y:.1f} ms". */
  hoverValue?: string;
}

export function timeChart(spec: TimeChartSpec, opts: ChartOptions = {}): Figure {
  const faults = opts.faults ?? [];
  const endMs = lastTimeMs(spec.series, faults.map((f) => f.endMs ?? f.startMs));
  const u = timeUnitFor(endMs);
  const fig: Figure = {
    data: spec.series.map((s, i) => seriesTrace(s, i, u, spec, opts.maxPoints)),
    layout: {
      title: { text: opts.title ?? spec.title },
      xaxis: { title: { text: timeAxisTitle(u) }, zeroline: false },
      yaxis: { title: { text: spec.yTitle }, rangemode: "tozero", ...spec.yAxis },
      shapes: faultShapes(faults, endMs, u),
      annotations: faultLabels(faults, u),
      showlegend: true,
      hovermode: "x unified",
    },
    config: {},
  };
  return finishFigure(fig, opts);
}

function seriesTrace(s: TimeSeries, index: number, u: TimeUnit, spec: TimeChartSpec, maxPoints?: number): Trace {
  const windowed = spec.lineShape === "window";
  const points = downsampleMinMax(s.tMs, s.values, maxPoints);
  if (windowed) prependFirstWindowStart(points);
  return {
    type: "scatter", mode: "lines", name: s.name,
    x: points.t.map((t) => t / u.msPer), y: points.v,
    line: { color: seriesColour(index), shape: windowed ? "vh" : "linear" },
    connectgaps: false,
    hovertemplate: `${spec.hoverValue ?? "%{y:.3~g}"}<extra>${escapeHover(s.name)}</extra>`,
  };
}

/** A point where the first window starts, so its value is drawn over it like every other window's. */
function prependFirstWindowStart(points: Points): void {
  if (points.t.length < 2) return;
  const start = Math.max(0, 2 * points.t[0] - points.t[1]);
  if (start < points.t[0]) {
    points.t.unshift(start);
    points.v.unshift(points.v[0]);
  }
}

/** The latest time any series or fault reaches: where open fault windows end. */
function lastTimeMs(series: readonly TimeSeries[], faultTimesMs: number[]): number {
  let last = 0;
  for (const s of series) {
    if (s.tMs.length !== s.values.length) {
      throw new RangeError(`series "${s.name}": ${s.tMs.length} times but ${s.values.length} values`);
    }
    if (s.tMs.length > 0) last = Math.max(last, s.tMs[s.tMs.length - 1]);
  }
  for (const t of faultTimesMs) last = Math.max(last, t);
  return last;
}

/** Plotly hover templates treat %{...} as fields and accept HTML: keep series names literal. */
function escapeHover(name: string): string {
  return name.replace(/[<>&%]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Builders accept one series or several. */
export function seriesList(series: TimeSeries | readonly TimeSeries[]): readonly TimeSeries[] {
  return isOneSeries(series) ? [series] : series;
}

function isOneSeries(series: TimeSeries | readonly TimeSeries[]): series is TimeSeries {
  return !Array.isArray(series);
}
