import { xoroshiro128plus, type RandomGenerator } from "pure-rand";

/**
 * Seeded randomness. One scenario seed drives everything, but each subsystem (network, workload,
 * faults, each node's service times, each link) draws from its OWN stream, derived from the seed and
 * the subsystem's name. So adding a fault does not reshuffle the workload: the workload stream never
 * sees the draws the fault made. (TigerBeetle's simulator and FoundationDB do the same.)
 *
 * The generator is xoroshiro128+ from pure-rand (the PRNG fast-check uses): fast, well tested, and
 * identical on every machine. Nothing in the engine may use unseeded randomness.
 */
export class Random {
  private readonly generator: RandomGenerator;

  constructor(seed: number, stream: string) {
    this.generator = xoroshiro128plus(deriveSeed(seed, stream));
  }

  /** A float uniformly distributed in [0, 1), with 53 random bits. */
  next(): number {
    const high = this.generator.unsafeNext() >>> 5; // 27 bits
    const low = this.generator.unsafeNext() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** An integer uniformly distributed in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }
}

/**
 * A 32-bit seed for one stream: the scenario seed (any safe integer) and the stream name mixed with
 * MurmurHash3's finalizer, so nearby seeds and similar names give unrelated streams.
 */
export function deriveSeed(seed: number, stream: string): number {
  let h = mix32(Math.floor(seed / 4294967296) ^ 0x9e3779b9);
  h = mix32(h ^ (seed >>> 0));
  for (let i = 0; i < stream.length; i++) h = mix32(h ^ stream.charCodeAt(i));
  return h | 0;
}

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
