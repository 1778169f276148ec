/**
 * The data the chart builders take (plain series, so charts never depend on the engine) and the
 * Plotly figure shape they return. Only the Plotly attributes replicalab uses are typed: a figure is
 * plain JSON that display and export hand to plotly.js unchanged.
 */

/**
 * One measured quantity over virtual time: `values[i]` was measured at `tMs[i]`. NaN = no data (a
 * gap). Per-window metrics (availability, throughput, conflicts) put each value at its window's END,
 * when it becomes known (src/metrics/series.ts); step charts draw it back over its window.
 */
export interface TimeSeries {
  name: string;
  tMs: number[];
  values: number[];
}

/**
 * A time window in which a fault was active, shaded on every time chart.
 * `type` picks the colour ("crash", "partition", "cut", "slow", "domain-failure", "disk-loss", ...);
 * `label` names this window ("crash db1"). `endMs: null` means the fault lasted until the end.
 */
export interface FaultWindow {
  type: string;
  label: string;
  startMs: number;
  endMs: number | null;
}

/** Where a chart's data came from, printed in a corner of every chart and in exported files. */
export interface Provenance {
  scenario: string;
  seed: number;
  version: string;
}

/** Client-observed latencies of one run, one sample per operation. */
export interface LatencySamples {
  write: number[];
  read: number[];
}

/** Everything the export command charts from one scenario run (the engine's result provides it). */
export interface ChartData {
  provenance: Provenance;
  lag: TimeSeries[];
  availability: TimeSeries;
  latency: LatencySamples;
  throughput: TimeSeries;
  faults: FaultWindow[];
}

/** One metric across scenarios: `series[k].values[i]` is series k in `scenarios[i]`. */
export interface ComparisonData {
  scenarios: string[];
  series: { name: string; values: number[] }[];
}

export type ThemeName = "notebook" | "slides";

export interface Font {
  size?: number;
  color?: string;
  family?: string;
}

export interface Trace {
  type: "scatter" | "bar";
  name: string;
  x: (number | string)[];
  y: number[];
  mode?: "lines" | "markers" | "lines+markers";
  line?: { color?: string; width?: number; shape?: "linear" | "hv" | "vh" };
  marker?: { color?: string; size?: number };
  fill?: "none" | "tozeroy";
  fillcolor?: string;
  texttemplate?: string;
  textposition?: "outside" | "inside" | "auto";
  textfont?: Font;
  cliponaxis?: boolean;
  hovertemplate?: string;
  connectgaps?: boolean;
}

export interface Axis {
  title: { text: string; font?: Font; standoff?: number };
  type?: "linear" | "log" | "category";
  range?: [number, number];
  rangemode?: "tozero" | "normal";
  tickformat?: string;
  /** "D2": on log axes, label 1, 2 and 5 of each decade (not every digit). */
  dtick?: string | number;
  ticksuffix?: string;
  tickfont?: Font;
  gridcolor?: string;
  linecolor?: string;
  linewidth?: number;
  showline?: boolean;
  zeroline?: boolean;
  automargin?: boolean;
}

/** A rectangle in data x and paper y: how fault windows are shaded. */
export interface Shape {
  type: "rect";
  xref: "x";
  yref: "paper";
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  fillcolor: string;
  opacity: number;
  layer: "below";
  line: { width: number };
  name: string;
  legendgroup: string;
  showlegend: boolean;
}

/** Annotations carry a `name` role ("provenance", "fault-label") so themes can size them. */
export interface Annotation {
  name: "provenance" | "fault-label";
  text: string;
  xref: "paper" | "x";
  yref: "paper";
  x: number;
  y: number;
  xanchor: "left" | "right";
  yanchor: "top" | "bottom";
  yshift?: number;
  showarrow: false;
  font?: Font;
}

export interface Layout {
  title: { text: string; font?: Font; x?: number; xanchor?: "left"; pad?: { l: number } };
  xaxis: Axis;
  yaxis: Axis;
  shapes: Shape[];
  annotations: Annotation[];
  showlegend: boolean;
  legend?: { orientation?: "h" | "v"; x?: number; y?: number; xanchor?: "left"; yanchor?: "bottom"; font?: Font };
  barmode?: "group";
  hovermode?: "x unified" | "closest";
  font?: Font;
  width?: number;
  height?: number;
  autosize?: boolean;
  margin?: { l: number; r: number; t: number; b: number };
  paper_bgcolor?: string;
  plot_bgcolor?: string;
}

export interface Config {
  responsive?: boolean;
  displaylogo?: boolean;
  staticPlot?: boolean;
}

/** A Plotly figure plus its provenance (a field of ours that plotly.js never sees). */
export interface Figure {
  data: Trace[];
  layout: Layout;
  config: Config;
  provenance?: Provenance;
}

/** Options every chart builder takes. */
export interface ChartOptions {
  /** Shaded on time charts. */
  faults?: FaultWindow[];
  /** Printed small in a corner. */
  provenance?: Provenance;
  /** "notebook" (default) or "slides" (1920x1080, large type, thick lines). */
  theme?: ThemeName;
  /** Replaces the builder's default title. */
  title?: string;
  /** Per series, for display; min/max downsampling keeps spikes (default 2000). */
  maxPoints?: number;
}
