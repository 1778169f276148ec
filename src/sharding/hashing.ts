import { deriveSeed } from "../sim/random";

/**
 * Hash functions for placing keys: fixed, well-mixed 32-bit values (MurmurHash3's finalizer), so
 * neighbouring user ids land far apart (that is what spreads a hot range) and every machine agrees.
 */

/** A key's position in [0, 2^32). */
export function hashKey(key: number): number {
  let h = (key ^ 0x9e3779b9) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A consistent-hash ring point of one virtual node: depends on the shard's name, the vnode and the ring's seed. */
export function ringPoint(ringSeed: number, shard: number, vnode: number): number {
  return deriveSeed(ringSeed, `s${shard + 1}#${vnode}`) >>> 0;
}
