import { IntMap } from "./int-map";

/** Which client operations a metric counts. */
export type OpKindFilter = "read" | "write" | "all";

/** `finish` returns this for an operation that was not tracked (filtered out, or requested before subscribing). */
export const NOT_TRACKED = 0;

/**
 * Client operations between their `request` and their answer (`response` or `timeout`), keyed by op
 * id, with the invoke time and kind packed into one number in a typed-array map: no object per
 * operation, and an entry lives only while its operation is in flight, so memory follows the number
 * of outstanding operations, not the length of the run.
 *
 * Like a coat check: a ticket is handed out at the request and taken back at the answer; only coats
 * still in the room take space.
 *
 * @example
 * const ops = new InFlightOps("write");
 * ops.start(op, isWrite, timeUs);            // at a request row
 * const entry = ops.finish(op);              // at a response or timeout row
 * if (entry !== NOT_TRACKED) latencyUs = timeUs - InFlightOps.invokeUs(entry);
 */
export class InFlightOps {
  // Packing: |entry| = invokeUs + 1 (so it is never 0, which means "not tracked"); negative = write.
  private readonly ops = new IntMap();

  constructor(private readonly kind: OpKindFilter = "all") {}

  /** Records a request (`write` is the row's c column: 1 write, 0 read); kinds the filter leaves out take no memory. */
  start(op: number, write: number, invokeUs: number): void {
    if (this.kind === "read" ? write === 1 : this.kind === "write" ? write !== 1 : false) return;
    this.ops.set(op, write === 1 ? -(invokeUs + 1) : invokeUs + 1);
  }

  /** Forgets an operation at its answer; returns its packed entry, or NOT_TRACKED. */
  finish(op: number): number {
    return this.ops.take(op) ?? NOT_TRACKED;
  }

  /** Operations in flight right now. */
  get size(): number {
    return this.ops.size;
  }

  /** Slots allocated for them: follows the most operations ever in flight at once, not the run's length. */
  get capacity(): number {
    return this.ops.capacity;
  }

  static isWrite(entry: number): boolean {
    return entry < 0;
  }

  static invokeUs(entry: number): number {
    return Math.abs(entry) - 1;
  }
}
