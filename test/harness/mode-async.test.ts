import { describeHarnessMode } from "./helpers";

/** The reliability harness on the async mode: 1,000 seeded runs with faults, every invariant on every run. */
describeHarnessMode("async", { failovers: true });
