import { describeHarnessMode } from "./helpers";

/** The reliability harness on two-phase commit: 1,000 seeded runs with crashes, partitions and loss; atomicity on every run. */
describeHarnessMode("2pc", { failovers: false, milestones: { "in-doubt": 0.5, "in-doubt-blocked": 0.3, "coordinator-crash": 0.3, partition: 0.2 } });
