import type { SagaRegistry } from "./saga-registry";

/**
 * Saga metrics for charts, per window of virtual time: how many sagas completed, were compensated or
 * failed in the window, how many were in flight at its end, and the rupees locked in holds at its
 * end. Plain arrays, one entry per window (x = the window's end), ready for a time chart.
 */
export interface OutcomeSeries {
  windowMs: number;
  /** Window ends, ms. */
  time: number[];
  completed: number[];
  compensated: number[];
  failed: number[];
  inFlight: number[];
  fundsLockedRupees: number[];
}

export class OutcomeWindows {
  readonly series: OutcomeSeries;
  private last = { completed: 0, compensated: 0, failed: 0 };

  constructor(windowMs: number) {
    this.series = { windowMs, time: [], completed: [], compensated: [], failed: [], inFlight: [], fundsLockedRupees: [] };
  }

  /** Closes the window ending at `timeMs`. */
  sample(timeMs: number, registry: SagaRegistry, fundsLockedRupees: number): void {
    const s = this.series;
    const now = registry.endedCount;
    s.time.push(timeMs);
    s.completed.push(now.completed - this.last.completed);
    s.compensated.push(now.compensated - this.last.compensated);
    s.failed.push(now.failed - this.last.failed);
    s.inFlight.push(registry.inFlight);
    s.fundsLockedRupees.push(fundsLockedRupees);
    this.last = { ...now };
  }
}
