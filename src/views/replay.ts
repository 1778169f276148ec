/**
 * The scrubbable replay: a pure builder from a `Recording` to one Plotly figure with animation frames,
 * a time slider and play/pause buttons. Top left, the cluster: nodes coloured by role and state,
 * links (cut or partitioned: dashed red), messages on the wire with their kinds; top right, the
 * latest events in words; below, lag, availability and conflicts over the replayed span with a cursor
 * that moves with the slider. Each frame only patches what changes, so 60 frames of a typical lesson
 * run weigh about 100 KB.
 */
import { mergeWith } from "lodash";
import { downsampleMinMax } from "../charts/downsample";
import { faultColour, seriesColour } from "../charts/palette";
import { provenanceText } from "../charts/provenance";
import type { FaultWindow, Figure, TimeSeries } from "../charts/types";
import type { LinkTraffic, Recording, StoryLine } from "./model";
import type { ReplayFigure, TracePatch, ViewAxis, ViewFrame, ViewLayout, ViewShape, ViewTrace } from "./plotly";
import {
  arrowhead, captionLines, circlePoints, diagramBounds, escapeHtml, FAMILY_COLOURS, linkLook, MESSAGE_FAMILIES, messageFamily,
  messagePoint, nodeLook, nodePositions, nodeRadius, primaryLogOf, timeFormatter, type MessageFamily, type Point,
} from "./style";

export interface ReplayFigureOptions {
  /** "notebook" (default: fits the notebook column) or "slides" (1920x1080, large type). */
  theme?: "notebook" | "slides";
  /** Replaces the default title ("<scenario>: replay"). */
  title?: string;
  /** Story lines listed in each frame (default 6). */
  eventLines?: number;
  /** Real time per frame when playing, ms (default 200; at least 100, so at most 10 frames per second). */
  frameMs?: number;
  /** Points per chart series (min/max downsampling keeps spikes; default 300). */
  maxPoints?: number;
}

interface Look {
  width: number | undefined;
  height: number;
  font: number;
  title: number;
  names: number;
  caption: number;
  events: number;
  header: number;
  message: number;
  marker: number;
  margin: { l: number; r: number; t: number; b: number };
}

const LOOKS: Record<"notebook" | "slides", Look> = {
  notebook: { width: undefined, height: 780, font: 12, title: 16, names: 13, caption: 11, events: 12, header: 15, message: 10, marker: 13, margin: { l: 60, r: 20, t: 50, b: 130 } },
  slides: { width: 1920, height: 1080, font: 20, title: 34, names: 26, caption: 20, events: 22, header: 28, message: 18, marker: 24, margin: { l: 110, r: 40, t: 90, b: 170 } },
};

const FAMILY = "Arial, Helvetica, sans-serif";
const TONE_COLOURS: Record<StoryLine["tone"], string> = { fault: "#D55E00", alarm: "#D55E00", heal: "#009E73", info: "#222222" };
const DIAGRAM = { x: [0, 0.57] as [number, number], y: [0.42, 1] as [number, number] };
const EVENTS = { x: [0.6, 1] as [number, number], y: [0.42, 1] as [number, number] };
const CHARTS_Y: [number, number] = [0, 0.3];
const CHARTS_X: [number, number][] = [[0, 0.29], [0.355, 0.645], [0.71, 1]];
const MAX_EVENT_CHARS = 64;

/**
 * The replay figure of a recording. Pure: the same recording gives the same figure.
 *
 * @example
 * const fig = replayFigure(recordRun("data/scenarios/nb02-primary-crash.json", { frames: 60 }));
 * showReplay(fig);
 */
export function replayFigure(rec: Recording, options: ReplayFigureOptions = {}): ReplayFigure {
  const look = LOOKS[options.theme ?? "notebook"];
  const eventLines = Math.max(1, Math.round(options.eventLines ?? 6));
  const frameMs = Math.max(100, options.frameMs ?? 200);
  const times = rec.frames.map((f) => f.tMs);
  const clock = timeFormatter(rec.toMs - rec.fromMs);
  const toAxis = (tMs: number) => round6(clock.unit === "s" ? tMs / 1000 : tMs);

  const n = rec.scenario.nodes.length;
  const points = nodePositions(n);
  const radii = rec.scenario.nodes.map((spec) => nodeRadius(n, spec.role));
  const pairs = rec.frames[0].links;

  // ---- Static traces and the patches each frame applies to the dynamic ones ----
  const data: ViewTrace[] = [];
  const dynamic: number[] = [];
  const patchers: ((k: number) => TracePatch)[] = [];
  const add = (trace: ViewTrace, patch?: (k: number) => TracePatch) => {
    data.push(trace);
    if (patch) {
      dynamic.push(data.length - 1);
      patchers.push(patch);
    }
  };
  const diagram = { xaxis: "x", yaxis: "y", hoverinfo: "skip" as const, showlegend: false, cliponaxis: false };

  pairs.forEach((link, i) => {
    const a = points[link.a];
    const b = points[link.b];
    add({ type: "scatter", name: `link ${i}`, mode: "lines", x: [a.x, b.x], y: [a.y, b.y], ...diagram }, (k) => {
      const look = linkLook(rec.frames[k].links[i], rec.frames[k].nodes);
      return { line: { color: look.colour, dash: look.dash, width: look.width } };
    });
  });
  // Link states ("cut", "slow") on the inner side of each link; message labels go on the outer side.
  const mids = pairs.map((l) => innerPoint(points, l.a, l.b, 0.12));
  add({ type: "scatter", name: "link labels", mode: "text", x: mids.map((p) => p.x), y: mids.map((p) => p.y),
    textfont: { size: look.caption, color: "#D55E00", family: FAMILY }, ...diagram },
  (k) => ({ text: rec.frames[k].links.map((l) => linkLook(l, rec.frames[k].nodes).label) }));

  points.forEach((p, i) => {
    const circle = circlePoints(p, radii[i]);
    add({ type: "scatter", name: rec.scenario.nodes[i].id, mode: "lines", fill: "toself", x: circle.x, y: circle.y, ...diagram }, (k) => {
      const l = nodeLook(rec.frames[k].nodes[i]);
      return { fillcolor: l.fill, line: { color: l.outline, width: l.outlineWidth, dash: l.dashed ? "dash" : "solid" } };
    });
  });
  add({ type: "scatter", name: "node names", mode: "text", x: points.map((p) => p.x), y: points.map((p) => p.y),
    text: rec.scenario.nodes.map((s) => `<b>${escapeHtml(s.id)}</b>`), textposition: "middle center",
    textfont: { size: look.names, family: FAMILY }, ...diagram },
  (k) => ({ textfont: { color: rec.frames[k].nodes.map((node) => nodeLook(node).text) } }));
  add({ type: "scatter", name: "node captions", mode: "text", x: points.map((p) => p.x), y: points.map((p, i) => round6(p.y - radii[i] - 0.05)),
    textposition: "bottom center", textfont: { size: look.caption, color: "#222222", family: FAMILY }, ...diagram },
  (k) => ({ text: captions(rec, k) }));
  // Messages: arrowheads (one filled trace per colour), crosses for lost ones, and their kinds as labels.
  const layouts = new Map<number, MessageLayout>();
  const traffic = (k: number): MessageLayout => {
    let l = layouts.get(k);
    if (l === undefined) layouts.set(k, (l = messageLayout(rec.traffic[k] ?? [], points, radii, rec.scenario.nodes.map((n) => n.id))));
    return l;
  };
  for (const family of MESSAGE_FAMILIES) {
    add({ type: "scatter", name: `messages: ${family}`, mode: "lines", fill: "toself", x: [], y: [], fillcolor: FAMILY_COLOURS[family],
      line: { color: FAMILY_COLOURS[family], width: 1 }, ...diagram }, (k) => traffic(k).heads[family]);
  }
  add({ type: "scatter", name: "messages lost", mode: "markers", x: [], y: [], marker: { color: "#D55E00", symbol: "x", size: look.marker }, ...diagram },
    (k) => traffic(k).lost);
  add({ type: "scatter", name: "message kinds", mode: "text", x: [], y: [], textfont: { size: look.message, color: "#333333", family: FAMILY }, ...diagram, hoverinfo: "text" },
    (k) => traffic(k).labels);

  // The events panel: a header with the time, then the latest lines, newest last.
  const rows = eventLines + 1;
  const rowStep = Math.min(0.11, 0.94 / (rows - 1));
  const rowY = Array.from({ length: rows }, (_, i) => round6(0.97 - i * rowStep));
  add({ type: "scatter", name: "events", mode: "text", xaxis: "x2", yaxis: "y2", x: rowY.map(() => 0), y: rowY,
    textposition: "middle right", textfont: { size: look.events, color: "#222222", family: FAMILY }, hoverinfo: "skip", showlegend: false, cliponaxis: false },
  (k) => ({ text: eventTexts(rec, k, eventLines, clock) }));

  // ---- Charts with a cursor ----
  const inWindow = (s: TimeSeries) => clip(s, rec.fromMs - rec.windowMs, rec.toMs + rec.windowMs, options.maxPoints ?? 300);
  const lag = rec.series.lag.map(inWindow);
  const availability = inWindow(rec.series.availability);
  const conflicts = rec.series.conflicts.map(inWindow);
  const lagMax = Math.max(1, maxOf(lag)) * 1.12;
  const conflictMax = Math.max(1, maxOf(conflicts)) * 1.15;
  lag.forEach((s, i) => add(chartTrace(s, i, "3", toAxis, "linear", "%{y:.1f} ms", true)));
  add(chartTrace(availability, 0, "4", toAxis, "vh", "%{y:.1%}", false));
  conflicts.forEach((s, i) => add(chartTrace(s, i === 0 ? 5 : 3, "5", toAxis, "vh", "%{y:d}", conflicts.length > 1)));
  if (lag.length === 0) {
    // Multi-master without applies yet, or quorum mode: nothing is shipped behind a primary.
    add({ type: "scatter", name: "no lag", mode: "text", xaxis: "x3", yaxis: "y3", x: [toAxis((rec.fromMs + rec.toMs) / 2)], y: [0.5],
      text: ["no replication lag in this run"], textfont: { size: look.caption, color: "#777777", family: FAMILY }, hoverinfo: "skip", showlegend: false });
  }
  const ranges: [string, number][] = [["3", lagMax], ["4", 1.05], ["5", conflictMax]];
  for (const [axis, top] of ranges) {
    add({ type: "scatter", name: "now", mode: "lines", xaxis: `x${axis}`, yaxis: `y${axis}`, x: [], y: [0, top],
      line: { color: "#000000", width: 1.5 }, hoverinfo: "skip", showlegend: false },
    (k) => ({ x: [toAxis(times[k]), toAxis(times[k])] }));
  }

  // ---- Frames: patches of the dynamic traces ----
  const frames: ViewFrame[] = times.map((_, k) => ({ name: frameName(k), traces: dynamic, data: patchers.map((p) => p(k)) }));
  dynamic.forEach((index, j) => {
    data[index] = mergePatch(data[index], frames[0].data[j]);
  });

  const range = (): [number, number] => [toAxis(rec.fromMs), toAxis(rec.toMs)];
  const chartAxis = (title: string, top: number, extra: Partial<ViewAxis> = {}): ViewAxis => ({
    title: { text: title, font: { size: look.font } }, range: [0, top], fixedrange: true, tickfont: { size: look.font - 1 },
    gridcolor: "#E6E6E6", zeroline: false, automargin: true, ...extra,
  });
  const bounds = diagramBounds(points);
  const timeTitle = `virtual time (${clock.unit})`;
  const layout: ViewLayout = {
    title: { text: escapeHtml(options.title ?? `${rec.scenario.name}: replay`), font: { size: look.title }, x: 0, xanchor: "left" },
    xaxis: { domain: DIAGRAM.x, range: bounds.x, visible: false, fixedrange: true, constrain: "domain" },
    yaxis: { domain: DIAGRAM.y, range: bounds.y, visible: false, fixedrange: true, scaleanchor: "x", scaleratio: 1, constrain: "domain" },
    xaxis2: { domain: EVENTS.x, range: [0, 1], visible: false, fixedrange: true },
    yaxis2: { domain: EVENTS.y, range: [0, 1], visible: false, fixedrange: true },
    xaxis3: chartXAxis(CHARTS_X[0], "y3", range(), timeTitle, look),
    yaxis3: { ...chartAxis("lag (ms)", round6(lagMax)), domain: CHARTS_Y, anchor: "x3" },
    xaxis4: chartXAxis(CHARTS_X[1], "y4", range(), timeTitle, look),
    yaxis4: { ...chartAxis("answered ok", 1.05, { tickformat: ".0%" }), domain: CHARTS_Y, anchor: "x4" },
    xaxis5: chartXAxis(CHARTS_X[2], "y5", range(), timeTitle, look),
    yaxis5: { ...chartAxis(conflicts.length > 1 ? "conflicts, rollbacks" : "conflicts", round6(conflictMax)), domain: CHARTS_Y, anchor: "x5" },
    shapes: faultShapes(rec.faults, rec.fromMs, rec.toMs, toAxis),
    annotations: [{
      name: "provenance", text: escapeHtml(provenanceText(rec.provenance)), xref: "paper", yref: "paper", x: 1, y: 1,
      xanchor: "right", yanchor: "bottom", showarrow: false, font: { size: Math.max(9, look.font - 3), color: "#555555" },
    }],
    showlegend: lag.length > 0 || conflicts.length > 1,
    legend: { orientation: "h", x: 0, xanchor: "left", y: CHARTS_Y[1] + 0.02, yanchor: "bottom", font: { size: look.font - 1 } },
    font: { size: look.font, family: FAMILY, color: "#222222" },
    width: look.width,
    height: look.height,
    autosize: look.width === undefined,
    margin: look.margin,
    paper_bgcolor: "#FFFFFF",
    plot_bgcolor: "#FFFFFF",
    hovermode: "closest",
    sliders: [slider(times, clock, look)],
    updatemenus: [playButtons(frameMs, look)],
  };
  return {
    data, layout, frames,
    config: { responsive: look.width === undefined, displaylogo: false },
    provenance: rec.provenance,
    frameTimesMs: times,
  };
}

/**
 * One frame of a replay as a static figure (no slider, no buttons), for PNG/SVG export:
 * `exporter.exportChart(replayFrame(fig, 30), { format: "png" })`. `frame` is an index, or
 * `{ atMs }` for the frame nearest that virtual time.
 */
export function replayFrame(fig: ReplayFigure, frame: number | { atMs: number }): Figure {
  const k = frameIndex(fig, frame);
  const data = fig.data.slice();
  const f = fig.frames[k];
  f.traces.forEach((index, j) => {
    data[index] = mergePatch(fig.data[index], f.data[j]);
  });
  const layout: ViewLayout = { ...fig.layout, margin: { ...(fig.layout.margin ?? { l: 60, r: 20, t: 50, b: 60 }), b: 60 } };
  delete layout.sliders;
  delete layout.updatemenus;
  const title = `${fig.layout.title.text} · t = ${formatFrameTime(fig, k)}`;
  // The chart module's Figure types only the attributes its builders use; plotly.js takes the rest as is.
  return { data, layout: { ...layout, title: { ...layout.title, text: title } }, config: { ...fig.config }, provenance: fig.provenance } as unknown as Figure;
}

/** The frame index for an index (clamped) or the frame nearest a virtual time. */
export function frameIndex(fig: ReplayFigure, frame: number | { atMs: number }): number {
  const times = fig.frameTimesMs;
  if (typeof frame === "number") {
    if (!Number.isInteger(frame)) throw new RangeError(`views: a frame index is an integer, got ${frame}`);
    return Math.min(times.length - 1, Math.max(0, frame));
  }
  let best = 0;
  for (let k = 1; k < times.length; k++) if (Math.abs(times[k] - frame.atMs) < Math.abs(times[best] - frame.atMs)) best = k;
  return best;
}

function formatFrameTime(fig: ReplayFigure, k: number): string {
  const times = fig.frameTimesMs;
  const clock = timeFormatter(times[times.length - 1] - times[0]);
  return `${clock.format(times[k])} ${clock.unit}`;
}

export function frameName(k: number): string {
  return `f${k}`;
}

/** A trace with a frame's patch applied: nested objects merge, arrays are replaced. */
function mergePatch(trace: ViewTrace, patch: TracePatch): ViewTrace {
  return mergeWith({}, trace, patch, (_to: unknown, from: unknown) => (Array.isArray(from) ? from.slice() : undefined)) as ViewTrace;
}

function captions(rec: Recording, k: number): string[] {
  const nodes = rec.frames[k].nodes;
  const primaryLog = primaryLogOf(nodes);
  return nodes.map((node) =>
    captionLines(rec.mode, node, rec.key, primaryLog)
      .map((line) => (line === "no majority" || line.endsWith("DOWN") ? `<span style="color:#D55E00">${escapeHtml(line)}</span>` : escapeHtml(line)))
      .join("<br>"),
  );
}

interface MessageLayout {
  heads: Record<MessageFamily, TracePatch>;
  lost: TracePatch;
  labels: TracePatch;
}

/** Where each directed link's messages are drawn in one frame. */
function messageLayout(traffic: readonly LinkTraffic[], points: readonly Point[], radii: readonly number[], names: readonly string[]): MessageLayout {
  const heads = {} as Record<MessageFamily, { x: (number | null)[]; y: (number | null)[] }>;
  for (const family of MESSAGE_FAMILIES) heads[family] = { x: [], y: [] };
  const lost = { x: [] as number[], y: [] as number[] };
  const labels = { x: [] as number[], y: [] as number[], text: [] as string[], textposition: [] as string[], hovertext: [] as string[] };
  for (const t of traffic) {
    const p = messagePoint(points[t.from], points[t.to], radii[t.from], radii[t.to], t.marker.progress);
    if (t.marker.dropped) {
      lost.x.push(p.x);
      lost.y.push(p.y);
    } else {
      const head = arrowhead(p);
      const h = heads[messageFamily(t.marker.kind)];
      h.x.push(...head.x, null);
      h.y.push(...head.y, null);
    }
    const place = labelPlace(points, t.from, t.to);
    labels.x.push(place.x);
    labels.y.push(place.y);
    labels.textposition.push(place.position);
    const first = t.kinds.find((k) => k.kind === t.marker.kind) ?? t.kinds[0];
    const others = t.kinds.length - 1;
    labels.text.push(`${names[t.from]}→${names[t.to]} ${first.kind}${first.count > 1 ? ` ×${first.count}` : ""}${others > 0 ? ` +${others}` : ""}${t.marker.dropped ? " ✕" : ""}`);
    labels.hovertext.push(t.kinds.map((k) => (k.count > 1 ? `${k.kind} ×${k.count}` : k.kind)).join(", ") + (t.marker.dropped ? " (lost)" : ""));
  }
  return { heads, lost, labels };
}

/** The middle of the link a-b, its direction (lower index to higher) and its normal pointing out of the diagram. */
function outward(points: readonly Point[], a: number, b: number): { mid: Point; u: Point; n: Point } {
  const [p, q] = a < b ? [points[a], points[b]] : [points[b], points[a]];
  const centre = { x: points.reduce((s, pt) => s + pt.x, 0) / points.length, y: points.reduce((s, pt) => s + pt.y, 0) / points.length };
  const mid = { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 };
  const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
  const u = { x: (q.x - p.x) / len, y: (q.y - p.y) / len };
  let n = { x: -u.y, y: u.x };
  const side = (mid.x - centre.x) * n.x + (mid.y - centre.y) * n.y;
  // Outwards; for nodes in a row (the centre on the line), upwards.
  if (side < -1e-9 || (Math.abs(side) <= 1e-9 && n.y < 0)) n = { x: -n.x, y: -n.y };
  return { mid, u, n };
}

/**
 * Where a directed link's label goes: off the link's middle on the OUTER side of the diagram, the text
 * running away from it, the link's two directions side by side, so labels of different links never
 * meet in the middle.
 */
function labelPlace(points: readonly Point[], from: number, to: number): { x: number; y: number; position: string } {
  const { mid, u, n } = outward(points, from, to);
  const second = from > to ? 1 : 0;
  if (Math.abs(n.y) >= Math.abs(n.x)) {
    // Above or below the link: the two directions stacked outwards.
    const d = 0.1 + 0.17 * second;
    return { x: round6(mid.x + n.x * d), y: round6(mid.y + n.y * d), position: n.y > 0 ? "top center" : "bottom center" };
  }
  // Left or right of the link: the two directions one above the other.
  const along = (second === 0 ? 0.16 : -0.16) * (u.y >= 0 ? 1 : -1);
  return { x: round6(mid.x + n.x * 0.1 + u.x * along), y: round6(mid.y + n.y * 0.1 + u.y * along), position: n.x > 0 ? "middle right" : "middle left" };
}

/** A point `d` off the middle of the link a-b, towards the inside of the diagram (below, for a row). */
function innerPoint(points: readonly Point[], a: number, b: number, d: number): Point {
  const { mid, n } = outward(points, a, b);
  return { x: round6(mid.x - n.x * d), y: round6(mid.y - n.y * d) };
}

function eventTexts(rec: Recording, k: number, count: number, clock: { unit: string; format: (t: number) => string }): string[] {
  const now = rec.frames[k].tMs;
  const previous = k > 0 ? rec.frames[k - 1].tMs : -Infinity;
  const upTo = upperBound(rec.story, now);
  const shown = rec.story.slice(Math.max(0, upTo - count), upTo);
  const out = [`<b>t = ${clock.format(now)} ${clock.unit}</b>`];
  for (const line of shown) {
    const text = escapeHtml(line.text.length > MAX_EVENT_CHARS ? `${line.text.slice(0, MAX_EVENT_CHARS - 1)}…` : line.text);
    const body = line.tMs > previous ? `<b>${text}</b>` : text;
    out.push(`<span style="color:#888888">${clock.format(line.tMs)}</span>  <span style="color:${TONE_COLOURS[line.tone]}">${body}</span>`);
  }
  while (out.length < count + 1) out.push(out.length === 1 && shown.length === 0 ? '<span style="color:#888888">nothing has happened yet</span>' : "");
  return out;
}

/** Index just past the last line at or before `tMs` (lines are in time order). */
function upperBound(lines: readonly StoryLine[], tMs: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid].tMs <= tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function chartTrace(s: TimeSeries, colour: number, axis: string, toAxis: (t: number) => number, shape: "linear" | "vh", hover: string, legend: boolean): ViewTrace {
  return {
    type: "scatter", mode: "lines", name: s.name, xaxis: `x${axis}`, yaxis: `y${axis}`,
    x: s.tMs.map(toAxis), y: s.values.map((v) => (Number.isNaN(v) ? null : round6(v))),
    line: { color: seriesColour(colour), width: 1.8, shape }, connectgaps: false, showlegend: legend, legendgroup: s.name,
    hovertemplate: `${hover}<extra>${escapeHtml(s.name)}</extra>`,
  };
}

function chartXAxis(domain: [number, number], anchor: string, range: [number, number], title: string, look: Look): ViewAxis {
  return { domain, range, anchor, fixedrange: true, title: { text: title, font: { size: look.font }, standoff: 4 }, tickfont: { size: look.font - 1 }, nticks: 6, gridcolor: "#E6E6E6", zeroline: false, automargin: true };
}

/** A series clipped to [fromMs, toMs] and downsampled. */
function clip(s: TimeSeries, fromMs: number, toMs: number, maxPoints: number): TimeSeries {
  const t: number[] = [];
  const v: number[] = [];
  s.tMs.forEach((time, i) => {
    if (time >= fromMs && time <= toMs) {
      t.push(time);
      v.push(s.values[i]);
    }
  });
  const points = downsampleMinMax(t, v, Math.max(2, maxPoints));
  return { name: s.name, tMs: points.t, values: points.v };
}

function maxOf(series: readonly TimeSeries[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  return max;
}

function faultShapes(faults: readonly FaultWindow[], fromMs: number, toMs: number, toAxis: (t: number) => number): ViewShape[] {
  const shapes: ViewShape[] = [];
  for (const f of faults) {
    const start = Math.max(fromMs, f.startMs);
    const end = Math.min(toMs, f.endMs ?? toMs);
    if (end <= start && !(f.endMs === null && start <= toMs)) continue;
    for (const axis of ["3", "4", "5"]) {
      shapes.push({
        type: "rect", xref: `x${axis}`, yref: `y${axis} domain`, x0: toAxis(start), x1: toAxis(Math.max(end, start)), y0: 0, y1: 1,
        fillcolor: faultColour(f.type), opacity: 0.18, layer: "below", line: { width: 0 }, name: f.label,
      });
    }
  }
  return shapes;
}

function slider(times: readonly number[], clock: { unit: string; format: (t: number) => string }, look: Look): unknown {
  return {
    active: 0,
    x: 0.12, len: 0.88, y: 0, yanchor: "top", xanchor: "left", pad: { t: 58, b: 0 },
    currentvalue: { prefix: "t = ", suffix: ` ${clock.unit}`, visible: true, xanchor: "left", font: { size: look.font + 1, color: "#222222" } },
    // Step labels would overlap with dozens of steps: they are hidden; the current value says the time.
    font: { size: 1, color: "rgba(0,0,0,0)" },
    ticklen: 3, minorticklen: 0,
    transition: { duration: 0 },
    steps: times.map((t, k) => ({
      label: clock.format(t), method: "animate",
      args: [[frameName(k)], { mode: "immediate", frame: { duration: 0, redraw: false }, transition: { duration: 0 } }],
    })),
  };
}

function playButtons(frameMs: number, look: Look): unknown {
  return {
    type: "buttons", direction: "left", showactive: false,
    x: 0, y: 0, xanchor: "left", yanchor: "top", pad: { t: 72, r: 10 },
    font: { size: look.font },
    buttons: [
      { label: "▶ play", method: "animate", args: [null, { mode: "immediate", fromcurrent: true, frame: { duration: frameMs, redraw: false }, transition: { duration: 0 } }] },
      { label: "❚❚", method: "animate", args: [[null], { mode: "immediate", frame: { duration: 0, redraw: false }, transition: { duration: 0 } }] },
    ],
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
