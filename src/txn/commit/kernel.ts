import { EventQueue } from "../../sim/event-queue";

/** The only action kind here: run the closure in the payload. */
const CALL = 0;

/**
 * The virtual clock and agenda of an atomic-commit run, on the simulator's `EventQueue`: actions run
 * in (time, scheduling order), so same-time actions always run in the same order.
 */
export class Kernel {
  private readonly queue = new EventQueue();
  private clockUs = 0;

  now(): number {
    return this.clockUs;
  }

  /** Runs `action` at an absolute virtual time (never in the past). */
  at(timeUs: number, action: () => void): void {
    this.queue.push(Math.max(timeUs, this.clockUs), CALL, 0, 0, action);
  }

  /** Runs every action due up to `untilUs` while `canContinue()` holds, then sets the clock to `untilUs`. */
  runUntil(untilUs: number, canContinue: () => boolean): void {
    const q = this.queue;
    while (q.size > 0 && q.peekTime() <= untilUs && canContinue()) {
      const slot = q.pop();
      this.clockUs = q.time(slot);
      const action = q.payload(slot) as () => void;
      q.release(slot);
      action();
    }
    if (canContinue() && untilUs > this.clockUs) this.clockUs = untilUs;
  }
}
