/**
 * The history chart: what each client asked and when it was answered, the picture consistency checkers
 * reason about. One lane per client process, one horizontal bar per operation from its invocation to its
 * completion; operations with an unknown outcome ("info", a timeout) run open-ended to the end of the
 * history and are hatched; refused ("fail") ones are pale; operations to highlight (a checker's
 * `failure.cannotFollow`) are drawn in a strong colour. Fault windows are shaded as on every time chart.
 */
import type { History, HistoryOp } from "../history/types";
import { faultLabels, faultShapes } from "./faults";
import { finishFigure } from "./figure";
import { OKABE_ITO } from "./palette";
import { timeAxisTitle, timeUnitFor, type TimeUnit } from "./time-axis";
import type { Axis, ChartOptions, Figure, Layout, Trace } from "./types";

export interface HistoryChartOptions extends Omit<ChartOptions, "maxPoints"> {
  /** Operations to draw in a strong colour, e.g. a linearizability failure's `cannotFollow`. */
  highlight?: readonly HistoryOp[];
}

/** The Plotly attributes of a horizontal bar that the shared `Trace` type does not carry. */
type OpTrace = Trace & {
  type: "bar";
  orientation: "h";
  base: number[];
  offsetgroup: string;
  width: number;
  hovertext: string[];
  /** A short label inside each bar ("w 25", "r 25"); plotly hides it where it does not fit. */
  text: string[];
  insidetextanchor: "middle";
  textangle: number;
  /** Inside-bar text colour (the theme sets the size of `textfont`; this keeps labels legible on dark bars). */
  insidetextfont: { color: string };
  marker: { color: string; line: { color: string; width: number }; pattern?: { shape: string; fgcolor: string; solidity: number } };
};

/** Lane ticks need tickvals/ticktext, which the shared `Axis` type does not carry. */
type LaneAxis = Axis & { tickvals: number[]; ticktext: string[]; autorange: "reversed" };

/** The groups an operation can be drawn in, in legend order. */
const GROUPS = [
  { id: "write", name: "write / update (ok)", colour: OKABE_ITO.blue },
  { id: "read", name: "read (ok)", colour: OKABE_ITO.bluishGreen },
  { id: "fail", name: "failed (did not happen)", colour: "#BBBBBB" },
  { id: "info", name: "unknown outcome (timed out)", colour: OKABE_ITO.orange },
  { id: "highlight", name: "highlighted", colour: OKABE_ITO.vermillion },
] as const;
type GroupId = (typeof GROUPS)[number]["id"];

/** Builds the history chart; pure (no engine), like every builder. */
export function historyChart(history: History, opts: HistoryChartOptions = {}): Figure {
  const faults = opts.faults ?? [];
  const endUs = lastTimeUs(history);
  const faultEndMs = Math.max(0, ...faults.map((f) => f.endMs ?? f.startMs));
  const endMs = Math.max(endUs / 1000, faultEndMs);
  const u = timeUnitFor(endMs);
  const processes = [...new Set(history.map((op) => op.process))].sort((a, b) => a - b);
  const lane = new Map(processes.map((p, i) => [p, i]));
  const highlighted = new Set((opts.highlight ?? []).map(opKey));

  const byGroup = new Map<GroupId, HistoryOp[]>(GROUPS.map((g) => [g.id, []]));
  for (const op of history) byGroup.get(groupOf(op, highlighted))?.push(op);

  const data: Trace[] = [];
  for (const g of GROUPS) {
    const ops = byGroup.get(g.id) ?? [];
    if (ops.length === 0) continue;
    const trace: OpTrace = {
      type: "bar", orientation: "h", name: `${g.name} · ${ops.length}`, offsetgroup: "ops", width: 0.6,
      y: ops.map((op) => lane.get(op.process) ?? 0),
      base: ops.map((op) => op.invokeUs / 1000 / u.msPer),
      x: ops.map((op) => barLengthUs(op, endUs) / 1000 / u.msPer),
      hovertext: ops.map((op) => hoverText(op, u)),
      text: ops.map(barLabel), texttemplate: "%{text}", textposition: "inside", insidetextanchor: "middle", textangle: 0,
      insidetextfont: { color: g.id === "fail" ? "#222222" : "#FFFFFF" },
      hovertemplate: "%{hovertext}<extra></extra>",
      marker: {
        color: g.colour,
        line: { color: g.id === "highlight" ? OKABE_ITO.black : "#FFFFFF", width: g.id === "highlight" ? 1.5 : 0.5 },
        ...(g.id === "info" ? { pattern: { shape: "/", fgcolor: "#FFFFFF", solidity: 0.4 } } : {}),
      },
    };
    data.push(trace);
  }

  const yaxis: LaneAxis = {
    title: { text: "Client process" },
    tickvals: processes.map((_p, i) => i),
    ticktext: processes.map((p) => `p${p}`),
    autorange: "reversed",
    zeroline: false,
  };
  const layout: Layout & { uniformtext: { mode: "hide"; minsize: number } } = {
    title: { text: opts.title ?? `History: ${history.length} operations by ${processes.length} clients` },
    xaxis: { title: { text: timeAxisTitle(u) }, zeroline: false },
    yaxis,
    shapes: faultShapes(faults, endMs, u),
    annotations: faultLabels(faults, u),
    showlegend: true,
    hovermode: "closest",
    // Labels too small to read are hidden rather than shrunk.
    uniformtext: { mode: "hide", minsize: 9 },
  };
  const fig: Figure = { data, layout, config: {} };
  return finishFigure(fig, opts);
}

/** Identifies an operation across copies (checkers may hand back copies of the history's objects). */
function opKey(op: HistoryOp): string {
  return `${op.id ?? ""}|${op.process}|${op.invokeUs}|${op.kind}|${op.key}`;
}

function groupOf(op: HistoryOp, highlighted: ReadonlySet<string>): GroupId {
  if (highlighted.has(opKey(op))) return "highlight";
  if (op.status === "fail") return "fail";
  if (op.status === "info") return "info";
  return op.kind === "read" ? "read" : "write";
}

/** Where the history ends: its last completion, or its last invocation if later. */
function lastTimeUs(history: History): number {
  let last = 0;
  for (const op of history) last = Math.max(last, op.invokeUs, op.completeUs ?? 0);
  return last;
}

/** Completed operations span invoke..complete; unfinished ones run to the end of the history. */
function barLengthUs(op: HistoryOp, endUs: number): number {
  const end = op.completeUs ?? endUs;
  return Math.max(0, end - op.invokeUs);
}

/** "w 25", "r 25", "cas 1→2", with "?" for an unknown outcome and "✗" for a failure. */
function barLabel(op: HistoryOp): string {
  const mark = op.status === "info" ? " ?" : op.status === "fail" ? " ✗" : "";
  const value = (v: unknown): string => (typeof v === "string" || typeof v === "number" ? String(v) : valueText(v));
  switch (op.kind) {
    case "read": return `r${op.status === "ok" ? ` ${value(op.output)}` : ""}${mark}`;
    case "write": return `w ${value(op.input)}${mark}`;
    case "cas": return Array.isArray(op.input) && op.input.length === 2 ? `cas ${value(op.input[0])}→${value(op.input[1])}${mark}` : `cas${mark}`;
    default: return `${op.kind} ${value(op.input)}${mark}`;
  }
}

function hoverText(op: HistoryOp, u: TimeUnit): string {
  const at = (us: number): string => `${(us / 1000 / u.msPer).toFixed(u.unit === "s" ? 3 : 1)} ${u.unit}`;
  const lines = [
    `<b>p${op.process} ${escapeHtml(op.kind)} ${escapeHtml(op.key)}</b>${op.id === undefined ? "" : ` (op ${op.id})`}`,
    op.kind === "read" ? "" : `input: ${escapeHtml(valueText(op.input))}`,
    op.status === "ok" && op.kind === "read" ? `output: ${escapeHtml(valueText(op.output))}` : "",
    `status: ${op.status}${op.error ? ` (${escapeHtml(op.error)})` : ""}`,
    `${at(op.invokeUs)} → ${op.completeUs === null ? "never answered" : at(op.completeUs)}`,
  ];
  return lines.filter((l) => l !== "").join("<br>");
}

function valueText(v: unknown): string {
  if (v === undefined) return "-";
  return (JSON.stringify(v) as string | undefined) ?? String(v);
}

/** Hover text is HTML, and %{...} would be read as a template field: keep values literal. */
function escapeHtml(s: string): string {
  return s.replace(/[<>&%{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}
