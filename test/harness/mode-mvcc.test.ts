import { describeHarnessMode } from "./helpers";

/** The reliability harness on MVCC: 1,000 seeded random mixes and interleavings at the five isolation levels. */
describeHarnessMode("mvcc", { failovers: false, milestones: { "dirty-read-at-ru": 0.1, "snapshot-read-of-overwritten": 0.05, deadlock: 0.1, "first-committer-wins": 0.1 } });
