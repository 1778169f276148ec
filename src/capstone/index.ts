/**
 * The design studio (lesson 11): requirement cards, the architecture a learner writes, a run of it
 * against the card's traffic and faults, and a grade per requirement with the reason for each
 * failure. `import { capstone } from "replicalab"`.
 *
 * - `CARDS`, `card(id)`: the bank ledger, the social feed, the analytics warehouse, the food-delivery app.
 * - `Architecture`, `validateArchitecture`, `buildScenario`: a design and the scenario it becomes.
 * - `runDesign(card, design)`: run, measure and grade; `grade` alone grades measurements.
 * - `gradeTable`, `explanations`, `requirementChart`: results for people.
 */
export { CARDS, card, cardText, boundText, formatValue, describeFaults, type RequirementCard, type Requirement, type Metric, type CardFault, type CardWorkload, type CardHardware } from "./cards";
export { validateArchitecture, buildScenario, designLabel, ArchitectureError, MAX_REPLICAS, type Architecture, type ReplicationChoice, type ReadChoice, type BuiltScenario } from "./architecture";
export { measureCluster, measureSharded, type Measurements, type RunFacts } from "./measure";
export { grade, gradeText, type Grade, type GradeInput, type RequirementResult } from "./grade";
export { runDesign, runDesigns, tryDesign, type DesignRun } from "./studio";
export { gradeTable, explanations, requirementChart } from "./report";
