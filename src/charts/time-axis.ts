/**
 * The x axis of time charts. The engine counts virtual milliseconds; a 60 s run reads better in
 * seconds, a 500 ms one in milliseconds. Every time chart and its fault shading share one unit.
 */

export interface TimeUnit {
  /** Axis label suffix: "s" or "ms". */
  unit: "s" | "ms";
  /** Divide milliseconds by this to get axis values. */
  msPer: number;
}

/** Seconds once the run spans 5 s or more, milliseconds below. */
export function timeUnitFor(spanMs: number): TimeUnit {
  return spanMs >= 5000 ? { unit: "s", msPer: 1000 } : { unit: "ms", msPer: 1 };
}

/** "Time (s)" / "Time (ms)": virtual time, which is what every chart of the course plots. */
export function timeAxisTitle(u: TimeUnit): string {
  return `Virtual time (${u.unit})`;
}
