import { ANOMALIES, ANOMALY_IDS, type AnomalyId } from "./anomalies";
import { runSchedule, type ScheduleRun } from "./scheduler";
import { ISOLATION_LEVELS, type IsolationLevel } from "./types";

/**
 * Every anomaly at every level: the table of Berenson et al. (1995, Table 4), reproduced by RUNNING
 * each schedule on each level's mechanism and asking each detector what happened. Nothing is looked up:
 * `BERENSON_TABLE` is only the expectation the tests compare against.
 */
export interface AnomalyCell {
  level: IsolationLevel;
  anomaly: AnomalyId;
  happened: boolean;
  /** One sentence: what happened, or what prevented it. */
  how: string;
  /** The schedule, in the literature's notation. */
  schedule: string;
}

export interface AnomalyMatrix {
  levels: IsolationLevel[];
  anomalies: AnomalyId[];
  cells: AnomalyCell[];
}

/** Berenson et al.'s table: true = possible ("A"), false = prevented ("-"). */
export const BERENSON_TABLE: Readonly<Record<IsolationLevel, Readonly<Record<AnomalyId, boolean>>>> = {
  RU: { P0: false, P1: true, P4: true, P2: true, A3: true, A5A: true, A5B: true },
  RC: { P0: false, P1: false, P4: true, P2: true, A3: true, A5A: true, A5B: true },
  RR: { P0: false, P1: false, P4: false, P2: false, A3: true, A5A: false, A5B: false },
  SI: { P0: false, P1: false, P4: false, P2: false, A3: false, A5A: false, A5B: true },
  SER: { P0: false, P1: false, P4: false, P2: false, A3: false, A5A: false, A5B: false },
};

/** Runs one anomaly's schedule at one level: the cell, and the whole run (trace, final state) behind it. */
export function runAnomaly(anomaly: AnomalyId, level: IsolationLevel): { cell: AnomalyCell; run: ScheduleRun } {
  const spec = ANOMALIES[anomaly];
  const run = runSchedule(spec.steps, { level, initial: spec.initial });
  const verdict = spec.detect(run);
  return { cell: { level, anomaly, happened: verdict.happened, how: verdict.how, schedule: run.schedule }, run };
}

/** The whole table, level by level. */
export function anomalyMatrix(): AnomalyMatrix {
  const cells: AnomalyCell[] = [];
  for (const level of ISOLATION_LEVELS) for (const anomaly of ANOMALY_IDS) cells.push(runAnomaly(anomaly, level).cell);
  return { levels: [...ISOLATION_LEVELS], anomalies: [...ANOMALY_IDS], cells };
}
