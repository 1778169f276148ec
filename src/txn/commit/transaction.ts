import { ownerOfKey } from "./nodes";

/** A distributed transaction: the keys it writes and the participants that hold them. */
export interface Transaction {
  /** 1 for the first transaction to arrive, then 2, 3, ... */
  readonly id: number;
  readonly arrivalUs: number;
  readonly keys: readonly number[];
  /** Participant numbers, ascending. */
  readonly participants: readonly number[];
  /** The keys each participant holds for this transaction. */
  readonly keysAt: ReadonlyMap<number, readonly number[]>;
}

export function makeTransaction(id: number, arrivalUs: number, keys: readonly number[], participantCount: number): Transaction {
  const keysAt = new Map<number, number[]>();
  for (const key of keys) {
    const owner = ownerOfKey(key, participantCount);
    const held = keysAt.get(owner);
    if (held) held.push(key);
    else keysAt.set(owner, [key]);
  }
  const participants = [...keysAt.keys()].sort((a, b) => a - b);
  return { id, arrivalUs, keys, participants, keysAt };
}
