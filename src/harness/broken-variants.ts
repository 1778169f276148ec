import type { Bug } from "../sim/bugs";
import type { FaultOptions } from "./fault-mix";
import type { HarnessMode } from "./modes";

/**
 * The broken variants: a protocol with a deliberate bug (src/sim/bugs.ts) must be caught within a
 * bounded number of seeds, or the invariants prove nothing. Each names the invariants expected to
 * catch it; the default fault mix is used unless `faults` targets the bug.
 */
export interface BrokenVariant {
  bug: Bug;
  mode: HarnessMode;
  /** Why this bug must be caught in this mode, and by what. */
  why: string;
  /** Invariants of which at least one must fire. */
  caughtBy: string[];
  faults?: Partial<FaultOptions>;
}

/** A broken variant must be caught within this many seeds. */
export const CATCH_WITHIN_SEEDS = 100;

export const BROKEN_VARIANTS: readonly BrokenVariant[] = [
  {
    bug: "ack-before-replicate",
    mode: "sync",
    why: "sync acknowledges before any replica applied: the ack rule breaks at once, and a failover loses acknowledged writes",
    caughtBy: ["ack-rule", "no-lost-acknowledged-writes"],
  },
  {
    bug: "ack-before-replicate",
    mode: "semi-sync",
    why: "semi-sync acknowledges before any replica logged the entry",
    caughtBy: ["ack-rule"],
  },
  {
    bug: "ack-before-replicate",
    mode: "semi-sync-safe",
    why: "semi-sync acknowledges before any replica logged the entry (the safe promotion rule then finds no complete replica)",
    caughtBy: ["ack-rule", "no-lost-acknowledged-writes"],
  },
  {
    bug: "zombie-node",
    mode: "none",
    why: "a crashed single database keeps acknowledging writes",
    caughtBy: ["no-ack-while-down", "crashed-node-silent"],
  },
  {
    bug: "uncounted-risk",
    mode: "async",
    why: "primary crashes stop adding to atRiskWrites, so a failover loses writes nobody was warned about",
    caughtBy: ["lost-writes-counted-at-risk"],
  },
  {
    bug: "double-apply",
    mode: "async",
    why: "replicas apply every second add twice: their stores diverge from the primary's at the same log position",
    caughtBy: ["no-divergence", "convergence"],
  },
];

export function variantName(v: Pick<BrokenVariant, "bug" | "mode">): string {
  return `${v.bug} with ${v.mode}`;
}
