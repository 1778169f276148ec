import { simulateContention, type ContentionOptions } from "./contention-sim";

/**
 * Versions kept over time, with and without garbage collection, on the same workload and seed.
 * Without GC every committed write stays forever: the count grows with the number of writes. With GC
 * a version goes once no running snapshot can see it, so the count stays near one per row, except
 * while a long report holds an old snapshot open: then the versions written since its snapshot pile
 * up, and drop as soon as it commits (PostgreSQL's VACUUM behaves the same way, which is why a
 * forgotten open transaction makes tables bloat).
 */
export interface VersionPoint {
  /** Window end, ms of virtual time. */
  time: number;
  versions: number;
}

export interface VersionGrowth {
  seed: number;
  withGc: VersionPoint[];
  withoutGc: VersionPoint[];
}

/** Defaults add a 1 s report every 3 s, so the chart shows what a long snapshot pins. */
export function versionsOverTime(options: ContentionOptions = {}): VersionGrowth {
  const base: ContentionOptions = { reportEveryMs: 3000, reportMs: 1000, ...options };
  const series = (gc: boolean) => simulateContention("SI", { ...base, gc }).windows.map((w) => ({ time: w.time, versions: w.versions }));
  return { seed: options.seed ?? 1, withGc: series(true), withoutGc: series(false) };
}
