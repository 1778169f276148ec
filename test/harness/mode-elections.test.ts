import { describeHarnessMode } from "./helpers";

/** The reliability harness on failover by election (sync replication): 1,000 seeded runs with faults, every invariant on every run. */
describeHarnessMode("elections", { failovers: true, milestones: { "election-failover": 0.2, "split-brain-attempt": 0.05 } });
