import type { IsolationLevel } from "../types";
import type { IsolationMechanism } from "./mechanism";
import { readCommitted } from "./read-committed";
import { readUncommitted } from "./read-uncommitted";
import { repeatableRead } from "./repeatable-read";
import { serializable } from "./serializable";
import { snapshotIsolation } from "./snapshot-isolation";

/** The mechanism behind each level. */
export const MECHANISMS: Readonly<Record<IsolationLevel, IsolationMechanism>> = {
  RU: readUncommitted,
  RC: readCommitted,
  RR: repeatableRead,
  SI: snapshotIsolation,
  SER: serializable,
};
