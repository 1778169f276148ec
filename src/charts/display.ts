/**
 * Showing figures in a tslab notebook, offline.
 *
 * plotly.js (4.8 MB) is inlined once per kernel session as a script output that sets
 * `window.Plotly`; each chart is then a small div plus a script calling `Plotly.newPlot`. Inlining per
 * chart would triple a three-chart notebook's size; a CDN would break offline courses; Plotly's own
 * mime type is dropped by Notebook 6 and nbconvert. This works in Notebook 6 (trusted outputs),
 * nbconvert's HTML export and headless Chromium.
 *
 * Outside a kernel (plain node, vitest) `show` returns the chart's HTML instead of failing.
 */
import * as crypto from "crypto";
import { plotlySource, plotlyVersion } from "./plotly-source";
import { applyTheme, THEMES } from "./theme";
import type { Figure, ThemeName } from "./types";

/** The part of tslab's `display` used here. */
export interface HtmlSink {
  html(s: string): void;
}

export interface ShowOptions {
  /** Restyle the figure first (e.g. preview the slide version). */
  theme?: ThemeName;
}

/** A display target that remembers whether it already carries plotly.js. */
export class ChartDisplay {
  private plotlySent = false;

  constructor(private readonly sink: HtmlSink) {}

  /** Emits plotly.js on first use, then the chart. */
  show(fig: Figure, opts: ShowOptions = {}): void {
    if (!this.plotlySent) {
      this.sink.html(plotlyScriptHtml());
      this.plotlySent = true;
    }
    this.sink.html(chartHtml(fig, opts));
  }
}

let kernelDisplay: ChartDisplay | undefined;

/**
 * Shows `fig` below the current notebook cell. Returns nothing in a kernel; elsewhere returns the
 * chart's HTML (a div and a script; plotly.js itself is `plotlyScriptHtml()`).
 */
export function show(fig: Figure, opts: ShowOptions = {}): string | undefined {
  const sink = tslabSink();
  if (sink === undefined) return chartHtml(fig, opts);
  if (kernelDisplay === undefined) kernelDisplay = new ChartDisplay(sink);
  kernelDisplay.show(fig, opts);
  return undefined;
}

/** A script tag with all of plotly.js. `</script` cannot occur inside, or the page would break. */
export function plotlyScriptHtml(): string {
  const source = plotlySource().replace(/<\/script/gi, "<\\/script");
  return `<script type="text/javascript">/* plotly.js ${plotlyVersion()}, inlined by replicalab */\n${source}\n</script>`;
}

/**
 * One chart: a div and a script that draws into it once `window.Plotly` exists. The script retries
 * for a few seconds (outputs may render before the plotly.js output has run) and otherwise says
 * how to fix it in place of the chart. Ids are random so re-running a cell never collides.
 */
export function chartHtml(fig: Figure, opts: ShowOptions = {}): string {
  const themed = opts.theme ? applyTheme(fig, opts.theme) : fig;
  const id = `replicalab-chart-${crypto.randomBytes(6).toString("hex")}`;
  const height = themed.layout.height ?? THEMES.notebook.height;
  const width = themed.layout.width === undefined ? "100%" : `${themed.layout.width}px`;
  const payload = scriptSafeJson({ data: themed.data, layout: themed.layout, config: themed.config });
  return `<div id="${id}" class="replicalab-chart" style="width:${width};height:${height}px"></div>
<script type="text/javascript">
(function () {
  var fig = ${payload};
  function draw(tries) {
    var el = document.getElementById(${JSON.stringify(id)});
    if (window.Plotly && el) { window.Plotly.newPlot(el, fig.data, fig.layout, fig.config); return; }
    if (tries < 100) { setTimeout(function () { draw(tries + 1); }, 50); return; }
    if (el) el.textContent = "Chart not drawn: plotly.js is not loaded in this page. Restart the kernel and run all cells.";
  }
  draw(0);
})();
</script>`;
}

/** JSON that cannot end a script element or open an HTML comment when inlined in a script. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * tslab's display, when this process is a tslab kernel that is executing a cell; undefined
 * otherwise. tslab's jupyter module is loaded by every kernel at start (so its presence in the
 * require cache says "kernel" without loading tslab, and its TypeScript, into plain node), and it
 * holds the current cell's output writer while a cell runs.
 */
function tslabSink(): HtmlSink | undefined {
  let jupyterPath: string;
  try {
    jupyterPath = require.resolve("tslab/dist/jupyter.js");
  } catch {
    return undefined;
  }
  const jupyter = require.cache[jupyterPath]?.exports as { lastWriteDisplayData?: unknown } | undefined;
  if (jupyter?.lastWriteDisplayData == null) return undefined;
  return (require("tslab") as { display: HtmlSink }).display;
}
