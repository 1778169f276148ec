/**
 * A one-line progress bar for long soaks: seeds done of total, violations so far, seeds per second
 * and the time left, redrawn in place with `\r` on a terminal (a plain line every 10% otherwise).
 */
export class ProgressBar {
  private readonly startMs = Date.now();
  private lastDrawMs = 0;
  private lastDecile = -1;

  constructor(
    private readonly total: number,
    private readonly write: (text: string) => void,
    private readonly isTTY: boolean,
    private readonly width = 30,
  ) {}

  /** Redraws (at most every 100 ms on a terminal). */
  update(done: number, violations: number, force = false): void {
    const now = Date.now();
    if (this.isTTY) {
      if (!force && now - this.lastDrawMs < 100 && done < this.total) return;
      this.lastDrawMs = now;
      this.write(`\r${this.line(done, violations, now)}`);
    } else {
      const decile = Math.floor((10 * done) / this.total);
      if (decile === this.lastDecile && !force) return;
      this.lastDecile = decile;
      this.write(`${this.line(done, violations, now)}\n`);
    }
  }

  /** Ends the bar's line. */
  end(done: number, violations: number): void {
    this.update(done, violations, true);
    if (this.isTTY) this.write("\n");
  }

  /** Seeds per second so far. */
  rate(done: number, now = Date.now()): number {
    const seconds = Math.max(1e-3, (now - this.startMs) / 1000);
    return done / seconds;
  }

  line(done: number, violations: number, now = Date.now()): string {
    const share = this.total === 0 ? 1 : done / this.total;
    const filled = Math.round(share * this.width);
    const rate = this.rate(done, now);
    const eta = rate > 0 ? (this.total - done) / rate : Infinity;
    return `[${"#".repeat(filled)}${"-".repeat(this.width - filled)}] ${done}/${this.total} seeds | ${violations} failing | ${rate.toFixed(0)} seeds/s | ETA ${formatDuration(eta)}`;
  }
}

/** 75 -> "1m15s", 3700 -> "1h01m40s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m${String(rest).padStart(2, "0")}s`;
  if (m > 0) return `${m}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}
