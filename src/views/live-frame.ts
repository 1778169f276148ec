/**
 * One frame of a live view as self-contained HTML with inline SVG: the cluster, the latest events in
 * words, and lag, availability and conflicts so far. No script and no plotly.js, so replacing the
 * display entry ten times a second costs a few kilobytes each time, and the last frame stays readable
 * in the executed notebook, its HTML export and on the course site. Pure: a function of its model.
 */
import { faultColour, seriesColour } from "../charts/palette";
import { provenanceText } from "../charts/provenance";
import type { FaultWindow, Provenance, TimeSeries } from "../charts/types";
import type { ReplicationMode } from "../scenario/types";
import type { ClusterSnapshot, StoryLine, ViewSeries } from "./model";
import {
  captionLines, diagramBounds, escapeHtml, linkLook, nodeLook, nodePositions, nodeRadius, primaryLogOf, timeFormatter,
} from "./style";

export interface LiveFrameModel {
  title: string;
  /** Virtual time shown (ms) and the run's end. */
  tMs: number;
  durationMs: number;
  /** "live · 5x" while running, "finished" at the end. */
  status: string;
  snapshot: ClusterSnapshot;
  mode: ReplicationMode;
  /** The witness nodes draw smaller: roles as the scenario declares them. */
  witnesses: readonly boolean[];
  key: string | null;
  /** The latest story lines, newest last. */
  story: readonly StoryLine[];
  series: ViewSeries;
  faults: readonly FaultWindow[];
  provenance: Provenance;
}

const FAMILY = "Arial, Helvetica, sans-serif";
const TONES: Record<StoryLine["tone"], string> = { fault: "#D55E00", alarm: "#D55E00", heal: "#009E73", info: "#222222" };
const SCALE = 92; // px per diagram unit

export function liveFrameHtml(m: LiveFrameModel): string {
  const clock = timeFormatter(m.durationMs);
  const time = `t = ${clock.format(m.tMs)} ${clock.unit} of ${clock.format(m.durationMs)} ${clock.unit}`;
  return `<div class="replicalab-live" style="font-family:${FAMILY};color:#222;max-width:1000px">
<div style="display:flex;gap:14px;align-items:baseline;flex-wrap:wrap"><b style="font-size:15px">${escapeHtml(m.title)}</b>` +
    `<span style="font-size:14px">${time}</span><span style="font-size:12px;color:#777">${escapeHtml(m.status)}</span></div>
<div style="display:flex;gap:18px;flex-wrap:wrap;align-items:flex-start">${diagramSvg(m)}${eventsHtml(m, clock)}</div>
<div style="display:flex;gap:12px;flex-wrap:wrap">${charts(m)}</div>
<div style="font-size:10px;color:#777">${escapeHtml(provenanceText(m.provenance))}</div>
</div>`;
}

function diagramSvg(m: LiveFrameModel): string {
  const nodes = m.snapshot.nodes;
  const n = nodes.length;
  const points = nodePositions(n);
  const bounds = diagramBounds(points);
  const width = Math.round((bounds.x[1] - bounds.x[0]) * SCALE);
  const height = Math.round((bounds.y[1] - bounds.y[0]) * SCALE);
  const px = (x: number) => round1((x - bounds.x[0]) * SCALE);
  const py = (y: number) => round1((bounds.y[1] - y) * SCALE);
  const parts: string[] = [];
  for (const link of m.snapshot.links) {
    const look = linkLook(link, nodes);
    const a = points[link.a];
    const b = points[link.b];
    const dash = look.dash === "dash" ? ' stroke-dasharray="8 5"' : look.dash === "dot" ? ' stroke-dasharray="2 4"' : look.dash === "dashdot" ? ' stroke-dasharray="8 4 2 4"' : "";
    parts.push(`<line x1="${px(a.x)}" y1="${py(a.y)}" x2="${px(b.x)}" y2="${py(b.y)}" stroke="${look.colour}" stroke-width="${look.width}"${dash}/>`);
    if (look.label) {
      parts.push(`<text x="${px((a.x + b.x) / 2)}" y="${py((a.y + b.y) / 2 + 0.12)}" text-anchor="middle" font-size="11" fill="#D55E00">${escapeHtml(look.label)}</text>`);
    }
  }
  const primaryLog = primaryLogOf(nodes);
  nodes.forEach((node, i) => {
    const p = points[i];
    const r = nodeRadius(n, m.witnesses[i] ? "witness" : node.role) * SCALE;
    const look = nodeLook(node);
    const dash = look.dashed ? ' stroke-dasharray="5 3"' : "";
    parts.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="${round1(r)}" fill="${look.fill}" stroke="${look.outline}" stroke-width="${look.outlineWidth}"${dash}/>`);
    parts.push(`<text x="${px(p.x)}" y="${py(p.y)}" dy="0.35em" text-anchor="middle" font-size="13" font-weight="bold" fill="${look.text}">${escapeHtml(node.name)}</text>`);
    const lines = captionLines(m.mode, node, m.key, primaryLog);
    const spans = lines.map((line, j) => {
      const warn = line === "no majority" || line.endsWith("DOWN");
      return `<tspan x="${px(p.x)}" dy="${j === 0 ? 0 : 13}"${warn ? ' fill="#D55E00"' : ""}>${escapeHtml(line)}</tspan>`;
    });
    parts.push(`<text x="${px(p.x)}" y="${round1(py(p.y) + r + 13)}" text-anchor="middle" font-size="11" fill="#222">${spans.join("")}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FAMILY}">${parts.join("")}</svg>`;
}

function eventsHtml(m: LiveFrameModel, clock: { format: (t: number) => string; unit: string }): string {
  const items = m.story.map((line, i) => {
    const newest = i === m.story.length - 1;
    const text = escapeHtml(line.text);
    return `<li style="margin:2px 0"><span style="color:#888">${clock.format(line.tMs)} ${clock.unit}</span> ` +
      `<span style="color:${TONES[line.tone]}">${newest ? `<b>${text}</b>` : text}</span></li>`;
  });
  const body = items.length > 0 ? `<ul style="list-style:none;padding:0;margin:0">${items.join("")}</ul>` : `<span style="color:#888">nothing has happened yet</span>`;
  return `<div style="min-width:280px;max-width:520px;font-size:13px"><div style="font-weight:bold;margin-bottom:4px">Latest events</div>${body}</div>`;
}

function charts(m: LiveFrameModel): string {
  const lagMax = Math.max(1, maxOf(m.series.lag));
  const conflictMax = Math.max(1, maxOf(m.series.conflicts));
  return [
    svgChart("Lag (ms)", m.series.lag, { top: lagMax * 1.1, tick: lagMax, label: (v) => v.toFixed(v >= 10 ? 0 : 1) }, false, m, [0, 1, 2, 3, 4, 5, 6, 7]),
    svgChart("Answered ok", [m.series.availability], { top: 1.05, tick: 1, label: (v) => `${Math.round(v * 100)}%` }, true, m, [0]),
    svgChart(m.series.conflicts.length > 1 ? "Conflicts, rollbacks" : "Conflicts", m.series.conflicts, { top: conflictMax * 1.15, tick: conflictMax, label: (v) => v.toFixed(0) }, true, m, [5, 3]),
  ].join("");
}

/**
 * A small time chart over the whole run's span (so it fills from the left as the run goes), with the
 * fault windows shaded and a line at the current time. `step`: per-window values drawn over their window.
 */
function svgChart(title: string, series: readonly TimeSeries[], axis: { top: number; tick: number; label: (v: number) => string }, step: boolean, m: LiveFrameModel, colours: readonly number[]): string {
  const yRange: [number, number] = [0, axis.top];
  const colour = (i: number) => seriesColour(colours[i % colours.length]);
  const W = 320;
  const H = 150;
  const pad = { l: 40, r: 8, t: 20, b: 22 };
  const plotW = W - pad.l - pad.r;
  const plotH = H - pad.t - pad.b;
  const span = Math.max(1, m.durationMs);
  const x = (t: number) => round1(pad.l + (Math.min(Math.max(t, 0), span) / span) * plotW);
  const y = (v: number) => round1(pad.t + plotH - ((Math.min(v, yRange[1]) - yRange[0]) / (yRange[1] - yRange[0])) * plotH);
  const parts: string[] = [];
  for (const f of m.faults) {
    const end = f.endMs ?? m.tMs;
    if (end < f.startMs) continue;
    parts.push(`<rect x="${x(f.startMs)}" y="${pad.t}" width="${round1(Math.max(1, x(end) - x(f.startMs)))}" height="${plotH}" fill="${faultColour(f.type)}" opacity="0.18"/>`);
  }
  parts.push(`<line x1="${pad.l - 2}" y1="${y(axis.tick)}" x2="${pad.l + plotW}" y2="${y(axis.tick)}" stroke="#E6E6E6"/>`);
  parts.push(`<line x1="${pad.l}" y1="${pad.t + plotH}" x2="${pad.l + plotW}" y2="${pad.t + plotH}" stroke="#999"/>`);
  parts.push(`<line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${pad.t + plotH}" stroke="#999"/>`);
  series.forEach((s, i) => {
    for (const d of pathsOf(s, step, x, y)) parts.push(`<path d="${d}" fill="none" stroke="${colour(i)}" stroke-width="1.6"/>`);
  });
  parts.push(`<line x1="${x(m.tMs)}" y1="${pad.t}" x2="${x(m.tMs)}" y2="${pad.t + plotH}" stroke="#000" stroke-width="1"/>`);
  const clock = timeFormatter(m.durationMs);
  const label = (tx: number, ty: number, text: string, anchor: string) => `<text x="${tx}" y="${ty}" font-size="10" fill="#555" text-anchor="${anchor}">${escapeHtml(text)}</text>`;
  parts.push(label(pad.l - 4, pad.t + plotH, axis.label(0), "end"), label(pad.l - 4, y(axis.tick) + 4, axis.label(axis.tick), "end"));
  parts.push(label(pad.l, H - 6, "0", "start"), label(pad.l + plotW, H - 6, `${clock.format(m.durationMs)} ${clock.unit}`, "end"));
  const legend = series.length > 1 || title.startsWith("Lag")
    ? series.map((s, i) => `<tspan fill="${colour(i)}"> ■ ${escapeHtml(s.name)}</tspan>`).join("")
    : "";
  parts.push(`<text x="${pad.l}" y="13" font-size="12" font-weight="bold" fill="#222">${escapeHtml(title)}<tspan font-weight="normal" font-size="10">${legend}</tspan></text>`);
  if (series.every((s) => s.values.every((v) => Number.isNaN(v)))) {
    parts.push(label(pad.l + plotW / 2, pad.t + plotH / 2, m.tMs >= m.durationMs ? "no data" : "no data yet", "middle"));
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${FAMILY}">${parts.join("")}</svg>`;
}

/** SVG path data for a series; NaN splits it into segments. Step series hold each value over its window. */
function pathsOf(s: TimeSeries, step: boolean, x: (t: number) => number, y: (v: number) => number): string[] {
  const paths: string[] = [];
  let d = "";
  let prevT = s.tMs.length > 1 ? Math.max(0, 2 * s.tMs[0] - s.tMs[1]) : 0;
  s.tMs.forEach((t, i) => {
    const v = s.values[i];
    if (Number.isNaN(v)) {
      if (d) paths.push(d);
      d = "";
    } else if (step) {
      d += `${d ? "L" : "M"}${x(prevT)},${y(v)}L${x(t)},${y(v)}`;
    } else {
      d += `${d ? "L" : "M"}${x(t)},${y(v)}`;
    }
    prevT = t;
  });
  if (d) paths.push(d);
  return paths;
}

function maxOf(series: readonly TimeSeries[]): number {
  let max = 0;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  return max;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
