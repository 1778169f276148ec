import { describeHarnessMode } from "./helpers";

/** The reliability harness on the sync mode: 1,000 seeded runs with faults, every invariant on every run. */
describeHarnessMode("sync", { failovers: true });
