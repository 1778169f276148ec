/**
 * Real-time pacing for live views: the ONLY place in replicalab that waits on a wall clock. The engine
 * never sees it: a live view runs the simulation in slices (`runUntil`) and sleeps between them, so
 * the run's events, result and `eventHash` are those of a plain run. Tests pass a fake clock.
 */

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The wall clock (performance.now and setTimeout). */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * Frames at most every `intervalMs`: `next()` waits until `intervalMs` after the previous frame was
 * shown (marked by `shown()`), then says how much real time has passed since the start.
 */
export class Pacer {
  private readonly startMs: number;
  private lastShownMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {
    this.startMs = clock.now();
    this.lastShownMs = this.startMs;
  }

  async next(): Promise<number> {
    const wait = this.lastShownMs + this.intervalMs - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    return this.clock.now() - this.startMs;
  }

  /** Marks that a frame was just displayed. */
  shown(): void {
    this.lastShownMs = this.clock.now();
  }
}
