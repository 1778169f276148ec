/**
 * PNG and SVG files of figures, for slides and papers, rendered by plotly.js in headless Chromium
 * (plotly.js cannot render without a real browser). Launching Chromium and loading plotly.js costs
 * seconds, a chart well under one, so one exporter serves many charts:
 *
 *   const exporter = await createExporter();
 *   try { await exporter.exportChart(fig, { format: "png", theme: "slides", file: "out/lag.png" }); }
 *   finally { await exporter.close(); }
 *
 * The page never touches the network: it is a local file that loads plotly.js from node_modules
 * (a third faster than pushing 4.8 MB through `addScriptTag`), and every request that is not a
 * local file is aborted. Each file carries its provenance in a visible corner note and in
 * its metadata (PNG tEXt chunks, SVG title and metadata elements).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pathToFileURL } from "url";
import type { Browser, Page } from "playwright-core";
import { addPngText, asciiJson } from "./png";
import { plotlyPath } from "./plotly-source";
import { provenanceText, withProvenance } from "./provenance";
import { addSvgMetadata } from "./svg";
import { applyTheme, THEMES } from "./theme";
import type { Figure, ThemeName } from "./types";

/** Debian's Chromium; Playwright's own browser downloads do not work offline. */
export const DEFAULT_CHROMIUM = "/usr/bin/chromium";

/** Flags that keep Chromium off the network and quiet in containers. */
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run",
];

export interface ExportOptions {
  format: "png" | "svg";
  /** Restyle before rendering (default: "slides"). */
  theme?: ThemeName;
  /** Pixels; default the theme's size (slides 1920x1080, notebook 1200x600). */
  width?: number;
  height?: number;
  /** PNG pixel density: 2 gives a 3840x2160 file for 1920x1080 (default 1). */
  scale?: number;
  /** Also write the bytes here (folders are created). */
  file?: string;
}

export interface ExportResult {
  bytes: Uint8Array;
  width: number;
  height: number;
  file?: string;
  /** Wall time of this export. */
  ms: number;
}

export interface ChartExporter {
  exportChart(fig: Figure, opts: ExportOptions): Promise<ExportResult>;
  close(): Promise<void>;
  /** Requests the page tried to make and was refused (expected: none). */
  blockedRequests(): string[];
}

export interface ExporterOptions {
  executablePath?: string;
}

/** Notebook-theme charts follow the page width; a file needs one. */
const NOTEBOOK_EXPORT_SIZE = { width: 1200, height: 600 };

/** Starts Chromium and loads plotly.js into a blank page. */
export async function createExporter(opts: ExporterOptions = {}): Promise<ChartExporter> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: opts.executablePath ?? DEFAULT_CHROMIUM, args: CHROMIUM_ARGS });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "replicalab-export-"));
  const close = async () => {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const blocked: string[] = [];
    const page = await openPlotlyPage(browser, dir, blocked);
    let queue: Promise<unknown> = Promise.resolve();
    return {
      // One page renders one chart at a time; concurrent calls wait their turn.
      exportChart(fig, exportOpts) {
        const run = queue.then(() => renderToFile(page, fig, exportOpts));
        queue = run.catch(() => undefined);
        return run;
      },
      close,
      blockedRequests: () => blocked.slice(),
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A blank local page (written to `dir`) that loads plotly.js from disk. */
async function openPlotlyPage(browser: Browser, dir: string, blocked: string[]): Promise<Page> {
  const page = await browser.newPage();
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const html = path.join(dir, "plotly.html");
  fs.writeFileSync(html, `<!doctype html><html><head><meta charset="utf-8">` +
    `<script src="${pathToFileURL(plotlyPath()).href}"></script></head><body></body></html>`);
  await page.goto(pathToFileURL(html).href);
  return page;
}

async function renderToFile(page: Page, fig: Figure, opts: ExportOptions): Promise<ExportResult> {
  const started = Date.now();
  const theme = opts.theme ?? "slides";
  const themed = applyTheme(fig.provenance ? withProvenance(fig, fig.provenance) : fig, theme);
  const fallback = theme === "slides" ? { width: THEMES.slides.width ?? 1920, height: THEMES.slides.height } : NOTEBOOK_EXPORT_SIZE;
  const width = opts.width ?? fallback.width;
  const height = opts.height ?? fallback.height;
  const scale = opts.format === "png" ? opts.scale ?? 1 : 1;
  const layout = { ...themed.layout, width, height, autosize: false };
  const dataUrl = await page.evaluate(renderInPage, {
    figure: { data: themed.data, layout, config: { ...themed.config, staticPlot: true, responsive: false } },
    format: opts.format, width, height, scale,
  });
  const bytes = withMetadata(decodeDataUrl(dataUrl), fig, opts.format);
  if (opts.file) {
    fs.mkdirSync(path.dirname(opts.file), { recursive: true });
    fs.writeFileSync(opts.file, bytes);
  }
  return { bytes, width: width * scale, height: height * scale, file: opts.file, ms: Date.now() - started };
}

interface RenderArgs {
  figure: unknown;
  format: "png" | "svg";
  width: number;
  height: number;
  scale: number;
}

/**
 * Runs inside the page (Playwright serialises it): plotly.js draws the figure off-screen and returns
 * a data URL. It may use only its argument and the page's globals.
 */
function renderInPage(args: RenderArgs): Promise<string> {
  const plotly = (globalThis as unknown as {
    Plotly: { toImage(fig: unknown, o: { format: string; width: number; height: number; scale: number }): Promise<string> };
  }).Plotly;
  return plotly.toImage(args.figure, { format: args.format, width: args.width, height: args.height, scale: args.scale });
}

function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(",");
  const header = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return header.endsWith(";base64") ? Buffer.from(body, "base64") : Buffer.from(decodeURIComponent(body), "utf8");
}

function withMetadata(bytes: Uint8Array, fig: Figure, format: "png" | "svg"): Uint8Array {
  const p = fig.provenance;
  if (p === undefined) return bytes;
  const title = fig.layout.title.text;
  if (format === "svg") return Buffer.from(addSvgMetadata(Buffer.from(bytes).toString("utf8"), title, p), "utf8");
  return addPngText(bytes, {
    Title: title,
    Description: provenanceText(p),
    Software: `replicalab ${p.version}`,
    "replicalab:provenance": asciiJson(p),
  });
}
