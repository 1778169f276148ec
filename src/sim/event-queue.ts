/**
 * The agenda of a discrete-event simulation: a binary min-heap of scheduled actions, ordered by
 * (virtual time, sequence number). The sequence number is the order of scheduling, so two actions at
 * the same microsecond always run in the same order, on every run and machine (RxJS's virtual-time
 * scheduler breaks ties the same way).
 *
 * Actions live in "slots" (parallel typed arrays plus one array for an optional payload object); the
 * heap itself only moves 32-bit slot numbers. That keeps the hot loop free of per-action allocation.
 */
export class EventQueue {
  private capacity = 1024;
  private timeUs = new Float64Array(this.capacity);
  private seqNo = new Float64Array(this.capacity);
  private actionOf = new Uint8Array(this.capacity);
  private argA = new Float64Array(this.capacity);
  private argB = new Float64Array(this.capacity);
  private payloadOf: unknown[] = new Array(this.capacity);
  private heap = new Int32Array(this.capacity);
  private freeSlots = new Int32Array(this.capacity);
  private freeCount = 0;
  private nextSlot = 0;
  private nextSeq = 0;
  size = 0;

  /** Schedules an action (a small integer the kernel dispatches on) at an absolute time. */
  push(timeUs: number, action: number, a: number, b: number, payload: unknown): void {
    const slot = this.allocate();
    this.timeUs[slot] = timeUs;
    this.seqNo[slot] = this.nextSeq++;
    this.actionOf[slot] = action;
    this.argA[slot] = a;
    this.argB[slot] = b;
    this.payloadOf[slot] = payload;
    let i = this.size++;
    // Sift up.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(slot, this.heap[parent])) break;
      this.heap[i] = this.heap[parent];
      i = parent;
    }
    this.heap[i] = slot;
  }

  /** Time of the earliest action (Infinity when empty). */
  peekTime(): number {
    return this.size === 0 ? Infinity : this.timeUs[this.heap[0]];
  }

  /** Removes the earliest action and returns its slot; read it with the accessors, then `release`. */
  pop(): number {
    const top = this.heap[0];
    const last = this.heap[--this.size];
    let i = 0;
    // Sift down.
    for (;;) {
      let child = 2 * i + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.before(this.heap[child + 1], this.heap[child])) child++;
      if (!this.before(this.heap[child], last)) break;
      this.heap[i] = this.heap[child];
      i = child;
    }
    this.heap[i] = last;
    return top;
  }

  time(slot: number): number {
    return this.timeUs[slot];
  }
  action(slot: number): number {
    return this.actionOf[slot];
  }
  a(slot: number): number {
    return this.argA[slot];
  }
  b(slot: number): number {
    return this.argB[slot];
  }
  payload(slot: number): unknown {
    return this.payloadOf[slot];
  }

  /** Returns a slot to the free list (and lets its payload be collected). */
  release(slot: number): void {
    this.payloadOf[slot] = undefined;
    this.freeSlots[this.freeCount++] = slot;
  }

  private before(x: number, y: number): boolean {
    const tx = this.timeUs[x];
    const ty = this.timeUs[y];
    return tx < ty || (tx === ty && this.seqNo[x] < this.seqNo[y]);
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.nextSlot === this.capacity) this.grow();
    return this.nextSlot++;
  }

  private grow(): void {
    const n = this.capacity * 2;
    this.timeUs = copyInto(new Float64Array(n), this.timeUs);
    this.seqNo = copyInto(new Float64Array(n), this.seqNo);
    this.actionOf = copyInto(new Uint8Array(n), this.actionOf);
    this.argA = copyInto(new Float64Array(n), this.argA);
    this.argB = copyInto(new Float64Array(n), this.argB);
    this.heap = copyInto(new Int32Array(n), this.heap);
    this.freeSlots = copyInto(new Int32Array(n), this.freeSlots);
    this.payloadOf.length = n;
    this.capacity = n;
  }
}

function copyInto<T extends Float64Array | Int32Array | Uint8Array>(target: T, source: T): T {
  target.set(source as never);
  return target;
}
