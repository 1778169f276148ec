import type { Random } from "../sim/random";
import type { KeyDistribution } from "./types";

/**
 * How clients pick keys from the global key space. Zipf's law (rank r drawn with weight 1/r^s) is
 * what real traffic looks like: a few celebrities get most of the reads. Key 0 is the hottest, key 1
 * the next, and so on, so under range partitioning the hot keys crowd onto the first shard, while a
 * hash spreads them.
 */
export type KeyChooser = (random: Random) => number;

export function keyChooser(distribution: KeyDistribution | undefined, keys: number): KeyChooser {
  if (!distribution || distribution.type === "uniform") return (random) => random.int(keys);
  const cdf = zipfCdf(keys, distribution.exponent);
  return (random) => searchCdf(cdf, random.next());
}

/** Cumulative weights 1/r^s, normalised to end at 1 (computed once per run: O(keys) memory). */
export function zipfCdf(keys: number, exponent: number): Float64Array {
  const cdf = new Float64Array(keys);
  let total = 0;
  for (let r = 1; r <= keys; r++) {
    total += 1 / Math.pow(r, exponent);
    cdf[r - 1] = total;
  }
  for (let i = 0; i < keys; i++) cdf[i] /= total;
  cdf[keys - 1] = 1;
  return cdf;
}

/** The first index whose cumulative weight exceeds u (binary search). */
function searchCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
