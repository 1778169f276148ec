import { describeHarnessMode } from "./helpers";

/** The reliability harness on quorum writes with a witness: 1,000 seeded runs with faults, Paxos invariants and a linearizability check on every run. */
describeHarnessMode("quorum", { failovers: false, milestones: { "linearizability-checked": 0.9, "stale-rejection": 0.5, "no-quorum-refusal": 0.2 } });
