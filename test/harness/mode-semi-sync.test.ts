import { describeHarnessMode } from "./helpers";

/** The reliability harness on the semi-sync mode: 1,000 seeded runs with faults, every invariant on every run. */
describeHarnessMode("semi-sync", { failovers: true });
