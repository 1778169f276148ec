import { Subject } from "rxjs";
import { EventBatch, type EventNames } from "../events";
import { EventHash } from "./event-hash";

/** Rows per batch at most; a batch also ends at each virtual millisecond. */
const BATCH_CAPACITY = 4096;
const TICK_US = 1000;

/**
 * The event log of one run: counts every event, folds it into the running hash, and, only while
 * somebody listens, stages it in a columnar buffer that is flushed as one `EventBatch` per virtual
 * millisecond. Nothing is kept after a flush, so memory does not grow with the length of the run.
 */
export class EventLog {
  count = 0;
  private readonly hash = new EventHash();
  private readonly subject = new Subject<EventBatch>();
  private staged = 0;
  private batchEndUs = -1;
  private readonly types = new Uint8Array(BATCH_CAPACITY);
  private readonly times = new Float64Array(BATCH_CAPACITY);
  private readonly a = new Float64Array(BATCH_CAPACITY);
  private readonly b = new Float64Array(BATCH_CAPACITY);
  private readonly c = new Float64Array(BATCH_CAPACITY);
  private readonly d = new Float64Array(BATCH_CAPACITY);

  constructor(private readonly names: EventNames) {}

  /** Hot stream of batches; subscribe before the run starts. Completes when the run ends. */
  readonly batches$ = this.subject.asObservable();

  /** Records one event. Fields are numbers; see `decodeRow` for what they mean per type. */
  emit(type: number, timeUs: number, a: number, b: number, c: number, d: number): void {
    this.count++;
    this.hash.add(type, timeUs, a, b, c, d);
    if (!this.subject.observed) return;
    if (timeUs >= this.batchEndUs || this.staged === BATCH_CAPACITY) {
      this.flush();
      this.batchEndUs = (Math.floor(timeUs / TICK_US) + 1) * TICK_US;
    }
    const i = this.staged++;
    this.types[i] = type;
    this.times[i] = timeUs;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    this.d[i] = d;
  }

  /** Sends what is staged as one batch (the engine calls this at the end of every run slice). */
  flush(): void {
    const n = this.staged;
    if (n === 0) return;
    this.staged = 0;
    this.subject.next(
      new EventBatch(
        n,
        this.types.slice(0, n),
        this.times.slice(0, n),
        this.a.slice(0, n),
        this.b.slice(0, n),
        this.c.slice(0, n),
        this.d.slice(0, n),
        this.names,
      ),
    );
  }

  /** Flushes and completes the stream: every subscription is released. */
  complete(): void {
    this.flush();
    this.subject.complete();
  }

  get eventHash(): string {
    return this.hash.digest();
  }
}
