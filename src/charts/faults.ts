/**
 * Fault shading: each fault window becomes a translucent rectangle spanning the plot's height, one
 * colour per fault type, with one legend entry per type (clicking it hides all windows of that type),
 * and a small label per window while there are few enough windows to label without clutter.
 */
import { faultColour } from "./palette";
import type { TimeUnit } from "./time-axis";
import type { Annotation, FaultWindow, Shape } from "./types";

/** More windows than this (random crashes) are told apart by the legend only. */
export const MAX_LABELLED_WINDOWS = 8;

/** Rectangles for `windows`; an open window (endMs null) runs to `endOfRunMs`. */
export function faultShapes(windows: readonly FaultWindow[], endOfRunMs: number, u: TimeUnit): Shape[] {
  const legendShown = new Set<string>();
  return windows.map((w) => {
    const first = !legendShown.has(w.type);
    legendShown.add(w.type);
    return {
      type: "rect", xref: "x", yref: "paper", layer: "below", line: { width: 0 },
      x0: w.startMs / u.msPer, x1: windowEndMs(w, endOfRunMs) / u.msPer, y0: 0, y1: 1,
      fillcolor: faultColour(w.type), opacity: 0.18,
      name: w.type, legendgroup: `fault:${w.type}`, showlegend: first,
    };
  });
}

/** One label per window at its top-left corner, or none when there are too many to read. */
export function faultLabels(windows: readonly FaultWindow[], u: TimeUnit): Annotation[] {
  if (windows.length > MAX_LABELLED_WINDOWS) return [];
  return windows.map((w) => ({
    name: "fault-label", text: w.label, showarrow: false,
    xref: "x", yref: "paper", x: w.startMs / u.msPer, y: 1, xanchor: "left", yanchor: "top",
  }));
}

function windowEndMs(w: FaultWindow, endOfRunMs: number): number {
  return w.endMs === null ? Math.max(endOfRunMs, w.startMs) : w.endMs;
}
