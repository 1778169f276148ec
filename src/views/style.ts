/**
 * How the cluster diagram looks, shared by the live frames (SVG) and the replay (Plotly): where the
 * nodes sit, their colours by role and state, how links and messages are drawn. Okabe–Ito colours,
 * like every chart of the course.
 */
import { OKABE_ITO } from "../charts/palette";
import type { MessageKind } from "../events";
import type { ReplicationMode } from "../scenario/types";
import type { LinkView, NodeView } from "./model";
import { formatValue } from "./story";

export interface Point {
  x: number;
  y: number;
}

/** Diagram coordinates: nodes on a circle of radius 1 around the origin (2: a row, 3: a triangle, 4: a square). */
export function nodePositions(n: number): Point[] {
  if (n === 1) return [{ x: 0, y: 0 }];
  const radius = n <= 4 ? 1 : 1 + (n - 4) * 0.12;
  return Array.from({ length: n }, (_, i) => {
    const angle = Math.PI / 2 + Math.PI / n - (2 * Math.PI * i) / n;
    return { x: round3(radius * Math.cos(angle)), y: round3(radius * Math.sin(angle)) };
  });
}

/** Radius of a node's circle in diagram units (smaller for a witness, which holds no data). */
export function nodeRadius(n: number, role: NodeView["role"]): number {
  const r = n <= 4 ? 0.3 : Math.min(0.3, (1 + (n - 4) * 0.12) * Math.sin(Math.PI / n) * 0.55);
  return role === "witness" ? r * 0.8 : r;
}

/** The diagram's extent: every node with its caption below. */
export function diagramBounds(points: readonly Point[]): { x: [number, number]; y: [number, number] } {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  return {
    x: [Math.min(...xs) - 0.95, Math.max(...xs) + 0.95],
    y: [Math.min(...ys) - 0.95, Math.max(...ys) + 0.45],
  };
}

export interface NodeLook {
  fill: string;
  text: string;
  outline: string;
  outlineWidth: number;
  dashed: boolean;
}

/** Colours by role, grey when down, a red outline when it cannot reach a majority. */
export function nodeLook(node: NodeView): NodeLook {
  if (!node.up) return { fill: "#E6E6E6", text: "#777777", outline: "#777777", outlineWidth: 2, dashed: true };
  const fill = node.role === "primary" ? OKABE_ITO.blue : node.role === "witness" ? OKABE_ITO.reddishPurple : OKABE_ITO.skyBlue;
  const text = node.role === "replica" ? "#000000" : "#FFFFFF";
  if (node.majority === false) return { fill, text, outline: OKABE_ITO.vermillion, outlineWidth: 4, dashed: false };
  return { fill, text, outline: "#333333", outlineWidth: 1.5, dashed: false };
}

/** What the lessons call a role in each mode: masters in multi-master, data nodes in quorum mode. */
export function roleLabel(mode: ReplicationMode, node: NodeView): string {
  if (node.role === "witness") return "witness";
  if (mode === "multi-master") return "master";
  if (mode === "quorum") return "data node";
  return node.role;
}

/**
 * The lines under a node: role and term, then the shown key's value (or the log position), then
 * a warning. Plain text; renderers style it.
 */
export function captionLines(mode: ReplicationMode, node: NodeView, key: string | null, primaryLog: number | null): string[] {
  const lines: string[] = [];
  const role = roleLabel(mode, node);
  lines.push(node.up ? (node.term > 0 && mode !== "multi-master" && mode !== "quorum" ? `${role} · term ${node.term}` : role) : `${role} · DOWN`);
  if (key !== null) lines.push(node.value === null ? `${key}: –` : `${key} = ${formatValue(node.value)}`);
  else if (node.applied !== null) {
    const behind = primaryLog !== null && node.role !== "primary" ? primaryLog - node.applied : 0;
    lines.push(node.role === "primary" ? `log ${node.applied}` : behind > 0 ? `applied ${node.applied} (${behind} behind)` : `applied ${node.applied}`);
  }
  if (node.up && node.majority === false) lines.push("no majority");
  return lines;
}

/** The newest log index of the live primary (for "n behind"), or null. */
export function primaryLogOf(nodes: readonly NodeView[]): number | null {
  let best: number | null = null;
  for (const n of nodes) if (n.up && n.role === "primary" && n.applied !== null) best = Math.max(best ?? 0, n.applied);
  return best;
}

export interface LinkLook {
  colour: string;
  dash: "solid" | "dash" | "dot" | "dashdot";
  width: number;
  /** Shown at the link's middle ("cut", "A → B cut", "slow"), or "". */
  label: string;
}

export function linkLook(link: LinkView, nodes: readonly NodeView[]): LinkLook {
  const a = nodes[link.a];
  const b = nodes[link.b];
  if (!link.abUp && !link.baUp) return { colour: OKABE_ITO.vermillion, dash: "dash", width: 3, label: "cut" };
  if (!link.abUp || !link.baUp) {
    const [from, to] = link.abUp ? [b.name, a.name] : [a.name, b.name];
    return { colour: OKABE_ITO.vermillion, dash: "dot", width: 3, label: `${from} → ${to} cut` };
  }
  if (!a.up || !b.up) return { colour: "#CCCCCC", dash: "dot", width: 2, label: "" };
  if (link.slow) return { colour: OKABE_ITO.orange, dash: "dashdot", width: 3, label: "slow" };
  return { colour: "#9E9E9E", dash: "solid", width: 2, label: "" };
}

/** Message families, one colour each: phase 1 (ask), phase 2 (accept), learning a decision, the rest. */
export const MESSAGE_FAMILIES = ["ask", "accept", "learn", "other"] as const;
export type MessageFamily = (typeof MESSAGE_FAMILIES)[number];

export function messageFamily(kind: MessageKind): MessageFamily {
  switch (kind) {
    case "prepare":
    case "promise":
    case "vote-request":
    case "vote":
      return "ask";
    case "accept":
    case "accepted":
      return "accept";
    case "decide":
    case "write-back":
    case "write-back-ack":
    case "rollback":
      return "learn";
    default:
      return "other";
  }
}

export const FAMILY_COLOURS: Record<MessageFamily, string> = {
  ask: OKABE_ITO.orange,
  accept: OKABE_ITO.bluishGreen,
  learn: OKABE_ITO.blue,
  other: "#555555",
};

export function messageColour(kind: MessageKind): string {
  return FAMILY_COLOURS[messageFamily(kind)];
}

/** A message on the link from a to b, `progress` of the way: its position, on its own side of the line, and direction. */
export function messagePoint(from: Point, to: Point, rFrom: number, rTo: number, progress: number): Point & { ux: number; uy: number } {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const along = rFrom + progress * Math.max(0, len - rFrom - rTo);
  // Each direction keeps to its own side of the line (its right), so A -> B and B -> A never overlap.
  const side = 0.07;
  return { x: round3(from.x + ux * along + uy * side), y: round3(from.y + uy * along - ux * side), ux, uy };
}

/**
 * An arrowhead in diagram units (a closed triangle pointing along (ux, uy)). Drawn as a polygon, not
 * a rotated marker: plotly.js 4.1 rotates markers wrongly at angles that are not multiples of 90°.
 */
export function arrowhead(p: Point & { ux: number; uy: number }, size = 0.075): { x: number[]; y: number[] } {
  const { ux, uy } = p;
  const tip = { x: p.x + ux * size * 1.3, y: p.y + uy * size * 1.3 };
  const back = { x: p.x - ux * size * 0.7, y: p.y - uy * size * 0.7 };
  const left = { x: back.x - uy * size * 0.75, y: back.y + ux * size * 0.75 };
  const right = { x: back.x + uy * size * 0.75, y: back.y - ux * size * 0.75 };
  return { x: [tip.x, left.x, right.x, tip.x].map(round3), y: [tip.y, left.y, right.y, tip.y].map(round3) };
}

/** Points of a circle (closed), for a filled polygon. */
export function circlePoints(c: Point, r: number, segments = 36): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i <= segments; i++) {
    const t = (2 * Math.PI * i) / segments;
    x.push(round3(c.x + r * Math.cos(t)));
    y.push(round3(c.y + r * Math.sin(t)));
  }
  return { x, y };
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A time on the views' clock: seconds once the span reaches 5 s, else milliseconds. */
export function timeFormatter(spanMs: number): { unit: "s" | "ms"; format: (tMs: number) => string } {
  if (spanMs >= 5000) return { unit: "s", format: (t) => (t / 1000).toFixed(spanMs >= 100_000 ? 1 : 2) };
  return { unit: "ms", format: (t) => (spanMs <= 200 ? t.toFixed(1) : t.toFixed(0)) };
}

/** Text safe inside HTML or SVG. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
