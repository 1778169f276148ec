import { describeHarnessMode } from "./helpers";

/** The reliability harness on sagas: 1,000 seeded runs of the food order and the phone call with faults. */
describeHarnessMode("saga", { failovers: false, milestones: { compensation: 0.5, "compensation-step": 0.2, "coordinator-crash": 0.5 } });
