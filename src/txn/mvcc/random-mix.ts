import { Random } from "../../sim/random";
import type { Op } from "./schedule";
import type { Key, Predicate, Value } from "./types";

/**
 * Random transaction mixes for the serializability check: a few short transactions over a few keys,
 * so that they collide often. Each is a program (a list of operations ending in commit); the
 * interleaving is chosen separately (random-interleaving.ts), from its own random stream, so the same
 * programs can be replayed in other orders.
 *
 * Write values are drawn when the program is made, so a program is fixed data. Scans use one shared
 * predicate, "value >= 50", over all keys; some keys start absent, so writes can insert phantoms.
 */
export interface MixOptions {
  /** Transactions per mix (default 4). */
  transactions?: number;
  /** Keys k0..k(n-1) (default 3); the last one starts absent. */
  keys?: number;
  /** Operations per transaction before its commit, at least and at most (default 2 and 4). */
  opsMin?: number;
  opsMax?: number;
  /** Share of operations that are predicate reads (default 0.15) and writes (default 0.35); the rest are reads. */
  scanRatio?: number;
  writeRatio?: number;
}

export interface TxnProgram {
  name: string;
  ops: Op[];
}

export interface Mix {
  initial: Record<Key, Value>;
  programs: TxnProgram[];
}

/** The predicate every random scan uses. */
export const HIGH_VALUE: Predicate = (_key, value) => value >= 50;
export const HIGH_VALUE_LABEL = "v>=50";

export function randomMix(seed: number, options: MixOptions = {}): Mix {
  const rnd = new Random(seed, "mvcc/mix");
  const keyCount = options.keys ?? 3;
  const keys = Array.from({ length: keyCount }, (_, i) => `k${i}`);
  const initial: Record<Key, Value> = {};
  for (const key of keys.slice(0, Math.max(1, keyCount - 1))) initial[key] = rnd.int(100);
  const programs: TxnProgram[] = [];
  for (let i = 1; i <= (options.transactions ?? 4); i++) programs.push({ name: `T${i}`, ops: randomProgram(rnd, keys, options) });
  return { initial, programs };
}

function randomProgram(rnd: Random, keys: readonly Key[], options: MixOptions): Op[] {
  const min = options.opsMin ?? 2;
  const max = Math.max(min, options.opsMax ?? 4);
  const scanRatio = options.scanRatio ?? 0.15;
  const writeRatio = options.writeRatio ?? 0.35;
  const ops: Op[] = [];
  const n = min + rnd.int(max - min + 1);
  for (let j = 0; j < n; j++) {
    const roll = rnd.next();
    const key = keys[rnd.int(keys.length)];
    if (roll < scanRatio) ops.push({ kind: "scan", label: HIGH_VALUE_LABEL, predicate: HIGH_VALUE });
    else if (roll < scanRatio + writeRatio) ops.push({ kind: "write", key, value: rnd.int(100) });
    else ops.push({ kind: "read", key });
  }
  ops.push({ kind: "commit" });
  return ops;
}
