/** The scenario format: its types, and the only ways to turn untrusted data into a validated `Scenario`. */
export type * from "./types";
export { ScenarioError } from "./errors";
export { parseScenario, loadScenarioFile, withSeed } from "./load";
