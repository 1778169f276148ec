/**
 * MVCC with isolation levels: the public API for notebooks.
 *
 * - `Database`, `Transaction`: a multi-version store; `db.begin(level)` -> read / write / scan / commit / abort.
 * - `runSchedule` + the step builders `r`, `w`, `scan`, `c`, `a`: run an interleaving step by step.
 * - `ANOMALIES`, `anomalyMatrix`, `BERENSON_TABLE`: the seven anomalies at the five levels.
 * - `buildDsg`, `findDsgCycle`, `checkSerializability`: the randomized serializability check.
 * - `readerContention`, `versionsOverTime`: timed experiments for charts.
 */
export * from "./types";
export { Database, type DatabaseOptions } from "./database";
export { Transaction } from "./transaction";
export type { Version } from "./version-store";
export type { LockMode } from "./lock-table";
export { MECHANISMS } from "./levels";
export { a, c, r, scan, w, formatSchedule, formatStep, type Observed, type Op, type Step, type WrittenValue } from "./schedule";
export type { TraceEntry, TraceOutcome } from "./driver";
export { runSchedule, type ScheduleOptions, type ScheduleRun, type TxnOutcome } from "./scheduler";
export { ANOMALIES, ANOMALY_IDS, type Anomaly, type AnomalyId, type Verdict } from "./anomalies";
export { anomalyMatrix, runAnomaly, BERENSON_TABLE, type AnomalyCell, type AnomalyMatrix } from "./anomaly-matrix";
export type { CommittedTxn, ReadEvent, ScanEvent, TxnHistory } from "./history";
export { buildDsg, describeCycle, findDsgCycle, type Dependency, type DependencyKind, type Dsg } from "./dsg";
export { findCycle, type Arc } from "./cycles";
export { randomMix, HIGH_VALUE, HIGH_VALUE_LABEL, type Mix, type MixOptions, type TxnProgram } from "./random-mix";
export { runInterleaved, type InterleavedRun } from "./random-interleaving";
export { checkSeed, checkSerializability, type CycleExample, type SerializabilityOptions, type SerializabilityReport } from "./serializability-check";
export { simulateContention, type ContentionOptions, type ContentionRun, type ContentionWindow } from "./contention-sim";
export { readerContention, type ReaderContention, type ReaderPoint } from "./reader-contention";
export { versionsOverTime, type VersionGrowth, type VersionPoint } from "./version-growth";
