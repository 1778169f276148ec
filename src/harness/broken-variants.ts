import type { FaultOptions } from "./fault-mix";
import type { HarnessMode } from "./modes";

/**
 * The broken variants: a protocol with a deliberate bug (src/sim/bugs.ts, src/txn/commit/bugs.ts, the
 * saga engine's broken variants, a level that lies in mode-mvcc.ts) or a switched-off protocol option
 * (`no-fencing`, `no-leases`, `no-ballots`) must be caught within a bounded number of seeds, or the
 * invariants prove nothing. Each names the invariants expected to catch it; the default fault mix is
 * used unless `faults` targets the bug.
 */
export interface BrokenVariant {
  /** A deliberate bug or switched-off protocol option the mode accepts (registry.ts). */
  bug: string;
  mode: HarnessMode;
  /** Why this bug must be caught in this mode, and by what. */
  why: string;
  /** Invariants of which at least one must fire. */
  caughtBy: string[];
  faults?: Partial<FaultOptions>;
}

/**
 * Targeted faults for the failover variants: one or two partitions that cut the initial primary off
 * from the others (it keeps running, clients that still know it keep writing to it), long enough for
 * an election, then a heal in which the old primary meets the new one.
 */
const PRIMARY_ALONE: Partial<FaultOptions> = { enabled: ["partition"], faultsMin: 1, faultsMax: 2, primaryTargetRatio: 1, durationMsMin: 300, durationMsMax: 900 };

/**
 * Targeted faults for no-fencing: one-way cuts on the initial primary's links. When both directions
 * between it and one replica are cut, that replica elects itself with the third node's vote while the
 * old primary, still answered by that third node (which, unfenced, follows both), keeps its lease.
 */
const PRIMARY_LINKS_CUT: Partial<FaultOptions> = { enabled: ["one-way-cut"], faultsMin: 2, faultsMax: 4, primaryTargetRatio: 1, durationMsMin: 300, durationMsMax: 900 };

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
  {
    bug: "no-fencing",
    mode: "elections",
    why: "without fencing the deposed primary never steps down (it refuses the new primary's entries, and replicas follow both): with sync replication neither can acknowledge while the other holds a replica, but two primaries remain after healing and the logs never converge",
    caughtBy: ["convergence", "single-acking-primary", "fenced-node-accepts-nothing", "applied-within-primary-log"],
    faults: PRIMARY_ALONE,
  },
  {
    bug: "no-fencing",
    mode: "elections-async",
    why: "without fencing the old primary only raises its epoch on a vote request and goes on appending, now in the new primary's epoch, while a replica that follows both applies entries of one term from two primaries",
    caughtBy: ["applied-within-primary-log", "single-acking-primary", "fenced-node-accepts-nothing", "convergence"],
    faults: PRIMARY_LINKS_CUT,
  },
  {
    bug: "no-leases",
    mode: "elections-async",
    why: "without leases an async primary cut off from the majority keeps acknowledging until it hears of the new epoch, and the new primary serves at once: overlapping intervals",
    caughtBy: ["single-acking-primary", "fenced-node-accepts-nothing"],
    faults: PRIMARY_ALONE,
  },
  {
    bug: "no-ballots",
    mode: "quorum",
    why: "the naive version check: a slow proposer's rollback erases a committed version, which is then committed again with another write",
    caughtBy: ["quorum-one-value-per-version", "quorum-no-acknowledged-write-overwritten", "quorum-linearizable", "quorum-no-divergence"],
  },
  {
    bug: "commit-without-all-votes",
    mode: "2pc",
    why: "the coordinator commits on the first yes vote: a participant that voted no aborts while the others commit",
    caughtBy: ["all-commit-or-all-abort"],
  },
  {
    bug: "commit-without-all-votes",
    mode: "3pc",
    why: "the coordinator pre-commits and commits on the first yes vote: a participant that voted no aborts while the others commit",
    caughtBy: ["all-commit-or-all-abort"],
  },
  {
    bug: "in-doubt-abort",
    mode: "2pc",
    why: "an in-doubt participant aborts on its own when its decision timeout fires, while the coordinator decided commit",
    caughtBy: ["all-commit-or-all-abort"],
  },
  {
    bug: "skip-compensation",
    mode: "saga",
    why: "a failed saga is declared compensated without undoing its steps: money stays held or charged",
    caughtBy: ["sagas-end-completed-or-compensated", "money-conserved", "confirmed-orders-paid"],
  },
  {
    bug: "non-idempotent-compensation",
    mode: "saga",
    why: "the bank's release credits again when a lost reply makes the saga retry it: money is created",
    caughtBy: ["money-conserved", "sagas-end-completed-or-compensated"],
  },
  {
    bug: "shard-ignores-ownership",
    mode: "sharding",
    why: "a shard executes writes for keys it no longer owns: a router with a stale map keeps writing to the old owner during and after a move",
    caughtBy: ["one-writable-owner"],
  },
  {
    bug: "move-without-freeze",
    mode: "sharding",
    why: "the source of a moving key keeps taking writes while the key is copied: both shards accept writes for it",
    caughtBy: ["one-writable-owner"],
  },
  {
    bug: "rc-reads-uncommitted",
    mode: "mvcc",
    why: "transactions that claim read committed read the newest version, committed or not (read uncommitted's mechanism)",
    caughtBy: ["no-dirty-reads-above-ru"],
  },
  {
    bug: "si-without-snapshot",
    mode: "mvcc",
    why: "transactions that claim snapshot isolation read the newest committed version at each statement (read committed's mechanism): reads straddle commits",
    caughtBy: ["reads-see-one-snapshot"],
  },
];

export function variantName(v: Pick<BrokenVariant, "bug" | "mode">): string {
  return `${v.bug} with ${v.mode}`;
}
