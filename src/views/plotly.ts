/**
 * The Plotly attributes the views use (the chart module types only what its builders use). A replay
 * is plain JSON handed to plotly.js unchanged.
 */
import type { Provenance } from "../charts/types";

export interface ViewFont {
  size?: number;
  color?: string | string[];
  family?: string;
}

export interface ViewTrace {
  type: "scatter";
  name?: string;
  x: (number | null)[];
  y: (number | null)[];
  xaxis?: string;
  yaxis?: string;
  mode?: "lines" | "markers" | "text" | "lines+markers" | "markers+text";
  fill?: "none" | "toself" | "tozeroy";
  fillcolor?: string;
  line?: { color?: string; width?: number; dash?: string; shape?: "linear" | "hv" | "vh" };
  marker?: { color?: string | string[]; size?: number | number[]; symbol?: string | string[]; angle?: number | number[]; line?: { width?: number; color?: string } };
  text?: string | string[];
  hovertext?: string | string[];
  textposition?: string | string[];
  textfont?: ViewFont;
  hoverinfo?: "skip" | "none" | "x+y" | "text";
  hovertemplate?: string;
  showlegend?: boolean;
  legendgroup?: string;
  cliponaxis?: boolean;
  connectgaps?: boolean;
}

/** What a frame changes in a trace: any subset of its attributes (arrays replace, objects merge). */
export type TracePatch = Partial<Omit<ViewTrace, "type">>;

export interface ViewFrame {
  name: string;
  /** Patches for the traces listed in `traces`, in the same order. */
  data: TracePatch[];
  traces: number[];
}

export interface ViewAxis {
  domain?: [number, number];
  range?: [number, number];
  visible?: boolean;
  fixedrange?: boolean;
  scaleanchor?: string;
  scaleratio?: number;
  anchor?: string;
  title?: { text: string; font?: ViewFont; standoff?: number };
  tickformat?: string;
  tickfont?: ViewFont;
  ticksuffix?: string;
  nticks?: number;
  showgrid?: boolean;
  gridcolor?: string;
  zeroline?: boolean;
  showline?: boolean;
  linecolor?: string;
  automargin?: boolean;
  constrain?: "range" | "domain";
}

export interface ViewShape {
  type: "rect" | "line";
  xref: string;
  yref: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  fillcolor?: string;
  opacity?: number;
  layer?: "below" | "above";
  line: { width: number; color?: string };
  name?: string;
}

export interface ViewAnnotation {
  name: string;
  text: string;
  xref: string;
  yref: string;
  x: number;
  y: number;
  xanchor: "left" | "right" | "center";
  yanchor: "top" | "bottom" | "middle";
  showarrow: false;
  yshift?: number;
  font?: ViewFont;
}

/** Layout: the keys the chart module's `Figure` needs, plus sliders, buttons and extra axes. */
export interface ViewLayout {
  title: { text: string; font?: ViewFont; x?: number; xanchor?: "left" };
  xaxis: ViewAxis;
  yaxis: ViewAxis;
  shapes: ViewShape[];
  annotations: ViewAnnotation[];
  showlegend: boolean;
  font?: ViewFont;
  width?: number;
  height?: number;
  autosize?: boolean;
  margin?: { l: number; r: number; t: number; b: number };
  paper_bgcolor?: string;
  plot_bgcolor?: string;
  hovermode?: "closest" | "x" | false;
  legend?: { orientation?: "h" | "v"; x?: number; y?: number; xanchor?: "left"; yanchor?: "bottom" | "top"; font?: ViewFont };
  sliders?: unknown[];
  updatemenus?: unknown[];
  [axis: `${"xaxis" | "yaxis"}${number}`]: ViewAxis | undefined;
}

/** A replayable run: a Plotly figure with animation frames, a time slider and play/pause buttons. */
export interface ReplayFigure {
  data: ViewTrace[];
  layout: ViewLayout;
  frames: ViewFrame[];
  config: { responsive?: boolean; displaylogo?: boolean; staticPlot?: boolean };
  provenance: Provenance;
  /** Virtual time of each frame (ms), in order. */
  frameTimesMs: number[];
}
