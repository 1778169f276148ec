/**
 * plotly.js itself, read from node_modules at run time (never a CDN: notebooks and exports work
 * offline). `plotly.js-dist-min` 4.x sets `window.Plotly` with or without require.js, which is what
 * Notebook 6 and nbconvert's HTML (both load require.js) need.
 */
import * as fs from "fs";

let cached: string | undefined;

/** Path of the minified bundle (about 4.8 MB). */
export function plotlyPath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

/** The bundle's source, read once per process. */
export function plotlySource(): string {
  if (cached === undefined) cached = fs.readFileSync(plotlyPath(), "utf8");
  return cached;
}

/** The installed plotly.js version, e.g. "4.1.2". */
export function plotlyVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve("plotly.js-dist-min/package.json"), "utf8")) as { version: string };
  return pkg.version;
}
