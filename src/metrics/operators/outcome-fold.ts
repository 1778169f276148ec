import { EV, type EventBatch } from "../../events";
import { InFlightOps, NOT_TRACKED, type OpKindFilter } from "./in-flight-ops";
import type { WindowFold, WindowSpan } from "./windows";

const REQUEST = EV.request;
const RESPONSE = EV.response;
const TIMEOUT = EV.timeout;
const OK = 0; // ERROR_CODES[0]
/** Rows with a higher type code are none of ours: most rows are dismissed with this one comparison. */
const LAST_OP_EVENT = Math.max(REQUEST, RESPONSE, TIMEOUT);
/** The entry handed to the hooks when operations are not tracked at all (`trackKinds: null`). */
const UNTRACKED = 1;

/**
 * The scan shared by the per-window metrics of client operations (availability, latency,
 * throughput): it follows each operation from its `request` to its answer and hands every outcome to
 * the metric, which only decides what to count. An operation counts at its answer (ok response, error
 * response or timeout), so an operation that spans windows is counted once, in the window where it ends.
 *
 * `trackKinds` says which operations to follow (their kind and invoke time come from the request row,
 * so operations requested before subscribing are left out). `null` follows none and reports every
 * answer with an entry that carries nothing: for a metric that needs neither kind nor latency, memory
 * stays zero.
 */
export abstract class OutcomeFold<W extends WindowSpan> implements WindowFold<W> {
  private readonly inFlight: InFlightOps | null;

  constructor(trackKinds: OpKindFilter | null) {
    this.inFlight = trackKinds === null ? null : new InFlightOps(trackKinds);
  }

  /** An operation was answered ok at `atUs`; `entry` is its InFlightOps entry (kind, invoke time). */
  protected abstract answeredOk(entry: number, atUs: number): void;
  /** An operation was answered with an error, or timed out. */
  protected abstract answeredFailed(entry: number): void;
  abstract close(startMs: number, endMs: number): W;

  add(batch: EventBatch, from: number, to: number): void {
    const { types, timesUs, b, c } = batch;
    const inFlight = this.inFlight;
    for (let i = from; i < to; i++) {
      const type = types[i];
      if (type > LAST_OP_EVENT) continue;
      if (type === REQUEST) {
        inFlight?.start(b[i], c[i], timesUs[i]);
        continue;
      }
      if (type !== RESPONSE && type !== TIMEOUT) continue;
      const entry = inFlight === null ? UNTRACKED : inFlight.finish(b[i]);
      if (entry === NOT_TRACKED) continue;
      if (type === RESPONSE && c[i] === OK) this.answeredOk(entry, timesUs[i]);
      else this.answeredFailed(entry);
    }
  }

  /** Sizes of the state kept between windows (for memory tests). */
  debugState(): { inFlight: number; slots: number } {
    return { inFlight: this.inFlight?.size ?? 0, slots: this.inFlight?.capacity ?? 0 };
  }
}
