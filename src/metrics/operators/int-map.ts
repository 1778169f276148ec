/** Slot marker: no key here. Keys are operation ids, which are never negative. */
const EMPTY = -1;
const INITIAL_CAPACITY = 64; // a power of two

/**
 * A map from non-negative integer keys to numbers, in two typed arrays: open addressing with linear
 * probing in Robin Hood order. Operation ids are handed out in sequence, so `id & mask` spreads them
 * evenly and nearly every key sits in its own slot: a lookup is a couple of array reads instead of a
 * `Map`'s hashing (integer keys in typed arrays are what make per-event state cheap; see
 * platform-facts, "Simulation speed anchors").
 *
 * Like a row of numbered lockers where whoever has walked furthest from their own number gets the
 * locker: every key stays as close to its number as possible, so a search stops as soon as it meets
 * a key closer to home than the one it looks for. Deletion shifts the following displaced keys back
 * one slot (no tombstones), so the table only ever holds live keys; it doubles at half full.
 *
 * @example
 * const m = new IntMap();
 * m.set(7, 1500);
 * m.take(7); // 1500, and 7 is gone
 * m.take(7); // undefined
 */
export class IntMap {
  private keys = new Float64Array(INITIAL_CAPACITY).fill(EMPTY);
  private values = new Float64Array(INITIAL_CAPACITY);
  private mask = INITIAL_CAPACITY - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Slots allocated (for memory tests: it follows the most keys ever held at once). */
  get capacity(): number {
    return this.keys.length;
  }

  set(key: number, value: number): void {
    const found = this.find(key);
    if (found >= 0) {
      this.values[found] = value;
      return;
    }
    if (2 * (this.count + 1) > this.keys.length) this.grow();
    this.insert(key, value);
    this.count++;
  }

  /** Removes `key` and returns its value, or undefined if it is absent. */
  take(key: number): number | undefined {
    const i = this.find(key);
    if (i < 0) return undefined;
    const value = this.values[i];
    this.shiftBackInto(i);
    this.count--;
    return value;
  }

  /** Slot of `key`, or -1. Stops at the first slot whose key is closer to its home than `key` would be. */
  private find(key: number): number {
    const { keys, mask } = this;
    let i = key & mask;
    for (let distance = 0; ; distance++) {
      const k = keys[i];
      if (k === key) return i;
      if (k === EMPTY || ((i - (k & mask)) & mask) < distance) return -1;
      i = (i + 1) & mask;
    }
  }

  /** Places a key known to be absent, letting it take the slot of any key closer to its home. */
  private insert(key: number, value: number): void {
    const { keys, values, mask } = this;
    let i = key & mask;
    for (let distance = 0; ; distance++) {
      const k = keys[i];
      if (k === EMPTY) {
        keys[i] = key;
        values[i] = value;
        return;
      }
      const theirs = (i - (k & mask)) & mask;
      if (theirs < distance) {
        // Swap: the newcomer stays, the richer key moves on.
        const v = values[i];
        keys[i] = key;
        values[i] = value;
        key = k;
        value = v;
        distance = theirs;
      }
      i = (i + 1) & mask;
    }
  }

  /** Empties slot `hole` and moves each following displaced key back one slot, until one is at home. */
  private shiftBackInto(hole: number): void {
    const { keys, values, mask } = this;
    let next = (hole + 1) & mask;
    while (keys[next] !== EMPTY && (keys[next] & mask) !== next) {
      keys[hole] = keys[next];
      values[hole] = values[next];
      hole = next;
      next = (next + 1) & mask;
    }
    keys[hole] = EMPTY;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(oldKeys.length * 2).fill(EMPTY);
    this.values = new Float64Array(oldKeys.length * 2);
    this.mask = this.keys.length - 1;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i] !== EMPTY) this.insert(oldKeys[i], oldValues[i]);
  }
}
