import { describeHarnessMode } from "./helpers";

/** The reliability harness on three-phase commit under crash-stop with bounded delay: 1,000 seeded runs; atomicity and non-blocking on every run. */
describeHarnessMode("3pc", { failovers: false, milestones: { "in-doubt": 0.5, "coordinator-crash": 0.3, termination: 0.2 } });
