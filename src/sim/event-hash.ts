/**
 * A running 64-bit hash of the event log (two 32-bit lanes, MurmurHash3-style mixing).
 *
 * Canonical encoding of one event: its type code, then the IEEE-754 bits (little-endian 32-bit
 * words) of its time in µs and of its four numeric fields. Two runs with the same scenario and seed
 * produce the same hash exactly when they produce the same event sequence, bit for bit. Fields are
 * hashed as float64 bits, so a tiny floating-point difference (a different Math.log on another
 * JavaScript engine) changes the hash: golden hashes are tied to the Node major version they were
 * recorded on.
 */
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);

export class EventHash {
  private h1 = 0x2545f491;
  private h2 = 0x6c8e9cf5;

  /** Folds one event row into the hash. */
  add(type: number, timeUs: number, a: number, b: number, c: number, d: number): void {
    this.word(type);
    this.float(timeUs);
    this.float(a);
    this.float(b);
    this.float(c);
    this.float(d);
  }

  private float(x: number): void {
    scratch[0] = x;
    this.word(words[0]);
    this.word(words[1]);
  }

  private word(w: number): void {
    let k = Math.imul(w, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.h1 ^ k;
    h = (h << 13) | (h >>> 19);
    this.h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
    let g = this.h2 ^ Math.imul(k, 0x85ebca6b);
    g = (g << 17) | (g >>> 15);
    this.h2 = (Math.imul(g, 9) + 0x38495ab5) | 0;
  }

  /** The hash so far, as 16 hex digits. */
  digest(): string {
    const a = fmix(this.h1 ^ this.h2);
    const b = fmix(this.h2 + Math.imul(this.h1, 0x27d4eb2d));
    return hex(a) + hex(b);
  }
}

function fmix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hex(x: number): string {
  return x.toString(16).padStart(8, "0");
}
