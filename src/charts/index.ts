/**
 * Charts: pure builders from plain series to Plotly figures, two themes, display in tslab notebooks
 * and PNG/SVG export through headless Chromium. Builders never import the engine; the engine's
 * results are turned into `TimeSeries`/`FaultWindow`/`Provenance` by whoever calls them.
 */
export type {
  TimeSeries, FaultWindow, Provenance, LatencySamples, ChartData, ComparisonData, ThemeName, Figure,
  ChartOptions, Trace, Layout, Axis, Shape, Annotation, Config, Font,
} from "./types";
export { lagChart } from "./lag";
export { availabilityChart } from "./availability";
export { conflictsChart } from "./conflicts";
export { throughputChart } from "./throughput";
export { latencyHistogramChart, latencyCdfChart, type LatencyChartOptions } from "./latency";
export { comparisonChart, type ComparisonOptions } from "./comparison";
export { sweepChart, type SweepData, type SweepOptions } from "./sweep";
export { timeChart, type TimeChartSpec } from "./time-chart";
export { applyTheme, THEMES, type Theme } from "./theme";
export { OKABE_ITO, seriesColour, faultColour } from "./palette";
export { provenanceText, withProvenance } from "./provenance";
export { downsampleMinMax } from "./downsample";
export { histogram, cdf } from "./distribution";
export { show, chartHtml, plotlyScriptHtml, ChartDisplay, type HtmlSink, type ShowOptions } from "./display";
export { createExporter, type ChartExporter, type ExportOptions, type ExportResult } from "./export";
export { latencyCdfComparisonChart, type NamedLatencies } from "./latency-comparison";
export { historyChart, type HistoryChartOptions } from "./history";
