import { Subject, concatMap, from, type Observable } from "rxjs";
import { EventHash } from "../../sim/event-hash";
import { encodeEvent, type TxnEvent, type TxnEventInput } from "./events";

/** The events of one virtual millisecond, in the order they happened. */
export interface TxnEventBatch {
  /** Start of the millisecond the batch covers. */
  readonly startMs: number;
  readonly events: readonly TxnEvent[];
}

const TICK_US = 1000;

/**
 * The event log of one atomic-commit run: counts every event, folds it into the running hash (the
 * same `EventHash` as the replication engine, so same seed means same hash), keeps it when asked to,
 * and, only while somebody listens, hands it out in batches of one virtual millisecond.
 */
export class TxnEventLog {
  count = 0;
  private readonly hash = new EventHash();
  private readonly subject = new Subject<TxnEventBatch>();
  private staged: TxnEvent[] = [];
  private batchEndUs = -1;

  /** Hot stream of batches; subscribe before the run starts. Completes when the run ends. */
  readonly batches$: Observable<TxnEventBatch> = this.subject.asObservable();
  /** The same events one by one. */
  readonly events$: Observable<TxnEvent> = this.batches$.pipe(concatMap((b) => from(b.events)));

  /** `recorded` keeps every event in memory (for checkers and timelines); null keeps nothing. */
  constructor(readonly recorded: TxnEvent[] | null) {}

  /** Records an event at a time and returns it with its time stamped. */
  emit(input: TxnEventInput, timeUs: number): TxnEvent {
    // `type` first, then the time, then the fields: the key order is part of the canonical encoding.
    const { type, ...fields } = input;
    const event = { type, timeMs: timeUs / 1000, ...fields } as TxnEvent;
    this.count++;
    this.fold(event, timeUs);
    this.recorded?.push(event);
    if (this.subject.observed) this.stage(event, timeUs);
    return event;
  }

  private stage(event: TxnEvent, timeUs: number): void {
    if (timeUs >= this.batchEndUs) {
      this.flush();
      this.batchEndUs = (Math.floor(timeUs / TICK_US) + 1) * TICK_US;
    }
    this.staged.push(event);
  }

  /** Sends what is staged as one batch (the engine calls this at the end of every run slice). */
  flush(): void {
    if (this.staged.length === 0) return;
    const events = this.staged;
    this.staged = [];
    this.subject.next({ startMs: this.batchEndUs / 1000 - 1, events });
  }

  complete(): void {
    this.flush();
    this.subject.complete();
  }

  get eventHash(): string {
    return this.hash.digest();
  }

  /** Folds the canonical encoding in rows of (type, time in µs, four numbers), the hash's row shape. */
  private fold(event: TxnEvent, timeUs: number): void {
    const row = encodeEvent(event);
    for (let i = 1; i < row.length; i += 4) this.hash.add(row[0], timeUs, row[i], row[i + 1] ?? 0, row[i + 2] ?? 0, row[i + 3] ?? 0);
  }
}
