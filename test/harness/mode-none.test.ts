import { describeHarnessMode } from "./helpers";

/** The reliability harness on the none mode: 1,000 seeded runs with faults, every invariant on every run. */
describeHarnessMode("none", { failovers: false });
