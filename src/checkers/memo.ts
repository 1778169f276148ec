/**
 * The memo of configurations already explored: (set of linearized operations, model state).
 *
 * Lowe (2017, "Testing for linearizability") observed that two search paths which have linearized the SAME
 * set of operations and reached the SAME model state have the same future, so the second can be pruned.
 * Porcupine keeps exactly this cache, keyed by a hash of the bitset and compared exactly on collision.
 *
 * Two changes make it fit long histories in JavaScript:
 * - the set's hash is maintained incrementally (Zobrist hashing: XOR of one fixed word per operation);
 * - a set is stored compactly, not as a full bitset. With the acknowledged operations numbered in call
 *   order, the linearized ones are "all operations up to some point, plus a few of those still in flight",
 *   so a set is stored as that point plus the window of words after it (and, separately, the bits of the
 *   unknown-outcome operations, which may stay pending for ever). An entry then costs a few words whatever
 *   the history's length, where a full bitset costs n/32 (1.25 KB per entry at 10,000 operations).
 * Nothing here depends on a clock or a random generator.
 */
import { mix32 } from "./values";

/** The set of operations linearized so far: acknowledged ids first (in call order), then unknown-outcome ones. */
export class LinearizedSet {
  private readonly okWords: Uint32Array;
  private readonly infoWords: Uint32Array;
  /** Every acknowledged operation in a word below `okFull` is in the set. */
  private okFull = 0;
  /** No acknowledged operation in a word at or above `okEnd` is in the set. */
  private okEnd = 0;
  private hashValue = 0;

  constructor(
    private readonly okCount: number,
    infoCount: number,
  ) {
    this.okWords = new Uint32Array(Math.ceil(okCount / 32));
    this.infoWords = new Uint32Array(Math.ceil(infoCount / 32));
  }

  get hash(): number {
    return this.hashValue;
  }

  /** The longest `encode` can write. */
  get maxEncodedLength(): number {
    return 1 + this.okWords.length + this.infoWords.length;
  }

  add(id: number): void {
    this.hashValue = (this.hashValue ^ zobristKey(id)) >>> 0;
    if (id >= this.okCount) {
      setBit(this.infoWords, id - this.okCount);
      return;
    }
    const word = id >>> 5;
    setBit(this.okWords, id);
    if (word === this.okFull) while (this.okFull < this.okWords.length && this.isFullWord(this.okFull)) this.okFull++;
    if (word >= this.okEnd) this.okEnd = word + 1;
  }

  delete(id: number): void {
    this.hashValue = (this.hashValue ^ zobristKey(id)) >>> 0;
    if (id >= this.okCount) {
      clearBit(this.infoWords, id - this.okCount);
      return;
    }
    const word = id >>> 5;
    clearBit(this.okWords, id);
    if (word < this.okFull) this.okFull = word;
    while (this.okEnd > 0 && this.okWords[this.okEnd - 1] === 0) this.okEnd--;
  }

  /** Write a canonical encoding (equal sets, equal encodings) into `out`; returns its length. */
  encode(out: Uint32Array): number {
    let length = 0;
    out[length++] = this.okFull;
    for (let word = this.okFull; word < this.okEnd; word++) out[length++] = this.okWords[word];
    for (let word = 0; word < this.infoWords.length; word++) out[length++] = this.infoWords[word];
    return length;
  }

  private isFullWord(word: number): boolean {
    const bitsInWord = Math.min(32, this.okCount - word * 32);
    const mask = bitsInWord === 32 ? 0xffffffff : (1 << bitsInWord) - 1;
    return ((this.okWords[word] & mask) >>> 0) === (mask >>> 0);
  }
}

function setBit(words: Uint32Array, bit: number): void {
  words[bit >>> 5] |= 1 << (bit & 31);
}

function clearBit(words: Uint32Array, bit: number): void {
  words[bit >>> 5] &= ~(1 << (bit & 31));
}

/** A fixed, well-spread 32-bit key per operation id (deterministic: no unseeded randomness). */
function zobristKey(id: number): number {
  return mix32(Math.imul(id + 1, 0x9e3779b1));
}

/**
 * The memo stops growing past this many stored words (256 MB). Forgetting is safe, since the memo only
 * prunes repeated work; the step budget still bounds the search.
 */
export const MEMO_MAX_WORDS = 64 * 1024 * 1024;

/**
 * The set of configurations seen, as an open-addressing hash table over flat typed arrays.
 *
 * A search can record millions of configurations; one JavaScript object (and one typed array) per entry
 * would spend most of the time in the garbage collector, so the encoded sets live end to end in one growing
 * `Uint32Array` and only the model states are kept as values.
 */
export class ConfigurationMemo<State> {
  private words = new Uint32Array(16 * 1024);
  /** Entry e's encoded set is `words[starts[e] .. starts[e + 1])`. */
  private starts = new Int32Array(1025);
  private hashes = new Uint32Array(1024);
  private readonly states: State[] = [];
  /** Slots hold an entry index, or -1 when empty; the capacity is a power of two kept at most half full. */
  private slots = new Int32Array(2048).fill(-1);
  private readonly scratch: Uint32Array;

  constructor(
    maxEncodedLength: number,
    private readonly equalStates: (a: State, b: State) => boolean,
    private readonly hashState: (state: State) => number,
  ) {
    this.scratch = new Uint32Array(maxEncodedLength);
  }

  get size(): number {
    return this.states.length;
  }

  /**
   * Record the configuration (`linearized`, `state`). Returns false when it was recorded before, which means
   * this search path repeats one explored before and can be abandoned. Once full, the memo still answers
   * from what it holds but records nothing new (safe: it only saves repeated work).
   */
  addIfNew(linearized: LinearizedSet, state: State): boolean {
    const hash = mix32(linearized.hash ^ Math.imul(this.hashState(state), 0x85ebca6b));
    const length = linearized.encode(this.scratch);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]; entry !== -1; entry = this.slots[slot]) {
      if (this.hashes[entry] === hash && this.sameEncoding(entry, length) && this.equalStates(this.states[entry], state)) return false;
      slot = (slot + 1) & mask;
    }
    if (this.starts[this.states.length] + length > MEMO_MAX_WORDS) return true;
    this.slots[slot] = this.append(hash, length, state);
    if (this.states.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return true;
  }

  private sameEncoding(entry: number, length: number): boolean {
    const start = this.starts[entry];
    if (this.starts[entry + 1] - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.words[start + i] !== this.scratch[i]) return false;
    return true;
  }

  private append(hash: number, length: number, state: State): number {
    const entry = this.states.length;
    if (entry + 1 === this.hashes.length) this.growEntries();
    const start = this.starts[entry];
    while (start + length > this.words.length) this.words = grown(this.words, this.words.length * 2);
    for (let i = 0; i < length; i++) this.words[start + i] = this.scratch[i]; // faster than set() for a few words
    this.starts[entry + 1] = start + length;
    this.hashes[entry] = hash;
    this.states.push(state);
    return entry;
  }

  private growEntries(): void {
    this.hashes = grown(this.hashes, this.hashes.length * 2);
    this.starts = grown(this.starts, this.hashes.length + 1);
  }

  private rehash(capacity: number): void {
    const slots = new Int32Array(capacity).fill(-1);
    const mask = capacity - 1;
    for (let entry = 0; entry < this.states.length; entry++) {
      let slot = this.hashes[entry] & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = entry;
    }
    this.slots = slots;
  }
}

/** A copy of `array` with room for `length` elements. */
function grown<T extends Uint32Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  return bigger;
}
