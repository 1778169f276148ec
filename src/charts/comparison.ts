/**
 * One metric across scenarios as grouped bars with their values printed on top: the summary chart
 * of an experiment ("p99 write latency: async vs semi-sync vs sync").
 */
import { seriesColour } from "./palette";
import { finishFigure } from "./figure";
import type { ChartOptions, ComparisonData, Figure, Trace } from "./types";

export interface ComparisonOptions extends ChartOptions {
  /** The metric with its unit, e.g. "p99 write latency (ms)"; also the default title. */
  valueTitle: string;
  /** d3-format for bar labels, e.g. ".1f" or ".1%" (default ".3~g"). */
  valueFormat?: string;
  /** Title of the category axis (default "Scenario"): what the bars are, e.g. "Replication mode". */
  categoryTitle?: string;
}

export function comparisonChart(input: ComparisonData, opts: ComparisonOptions): Figure {
  const format = opts.valueFormat ?? ".3~g";
  const data = input.series.map((s, i): Trace => {
    if (s.values.length !== input.scenarios.length) {
      throw new RangeError(`series "${s.name}": ${s.values.length} values for ${input.scenarios.length} scenarios`);
    }
    return {
      type: "bar", name: s.name, x: input.scenarios.slice(), y: s.values.slice(),
      marker: { color: seriesColour(i) },
      texttemplate: `%{y:${format}}`, textposition: "outside", cliponaxis: false,
      hovertemplate: `%{x}: %{y:${format}}<extra>${s.name}</extra>`,
    };
  });
  const fig: Figure = {
    data,
    layout: {
      title: { text: opts.title ?? opts.valueTitle },
      xaxis: { title: { text: opts.categoryTitle ?? "Scenario" }, type: "category" },
      yaxis: { title: { text: opts.valueTitle }, rangemode: "tozero", tickformat: opts.valueFormat },
      shapes: [],
      annotations: [],
      showlegend: input.series.length > 1,
      barmode: "group",
      hovermode: "closest",
    },
    config: {},
  };
  return finishFigure(fig, opts);
}
