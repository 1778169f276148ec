/** Notebook conventions: exercise checks, predict-then-run prompts, solution markers. */
export { check, approx, predict, type Expected, type CheckOptions, type Prediction } from "./exercise";
export { studentSource, studentEdition, solutionMarkerProblems, isSolutionCell, SOLUTION_CELL, type Notebook, type NotebookCell } from "./solutions";
export { experiment, defaultWindowMs, type Experiment, type ExperimentOptions } from "./experiment";
