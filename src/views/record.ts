/**
 * Recording a run for a replay: the simulation runs in slices that end at the frame times, and the
 * cluster is read after each slice. Slicing does not change a run (`runUntil` gives the event
 * sequence of one uninterrupted run), so the recording is of the very run `experiment()` gives.
 */
import { MESSAGE_KINDS, type MessageKind } from "../events";
import { defaultWindowMs } from "../notebook/experiment";
import { Simulation } from "../sim/simulation";
import { VERSION } from "../version";
import type { ClusterSnapshot, Recording } from "./model";
import { defaultKey, RunRecorder } from "./recorder";
import { checkReproduced, resolveSource, type RunSource, type SourceOptions } from "./source";
import type { StoryDetail } from "./story";

export const DEFAULT_FRAMES = 60;
export const MAX_FRAMES = 200;
/** Messages are drawn by default when frames are at most this far apart (short runs, zoomed windows). */
export const AUTO_MESSAGES_MAX_STEP_MS = 250;
/** Liveness pings (quorum mode) say nothing a lesson needs and crowd out the protocol messages. */
const DEFAULT_HIDDEN_KINDS: readonly MessageKind[] = ["ping"];

export interface RecordOptions extends SourceOptions {
  /** Number of frames (default 60, at most 200; at least 2). */
  frames?: number;
  /** Replay only this span of virtual time (ms); default the whole run. The run itself always runs whole. */
  fromMs?: number;
  toMs?: number;
  /** The store key each node shows (default: the first key the script names; null: none, then log positions). */
  key?: string | null;
  /**
   * Messages between nodes: "auto" (default) draws them when frames are at most 250 ms apart; true or
   * false forces; a list of kinds draws only those.
   */
  messages?: boolean | "auto" | readonly MessageKind[];
  /** Metric windows (ms); default as `experiment()`: about 200 over the run. */
  windowMs?: number;
  /** Which events become story lines (default "auto"). */
  story?: StoryDetail;
}

/** Frame times: `frames` evenly spaced instants from `fromMs` to `toMs` (µs precision). */
export function frameTimes(fromMs: number, toMs: number, frames: number): number[] {
  const step = (toMs - fromMs) / (frames - 1);
  return Array.from({ length: frames }, (_, k) => (k === frames - 1 ? toMs : Math.round((fromMs + k * step) * 1000) / 1000));
}

/** The frame count actually used: default 60, clamped to 2..200. */
export function frameCount(requested: number | undefined): number {
  const n = Math.round(requested ?? DEFAULT_FRAMES);
  if (!Number.isFinite(n)) return DEFAULT_FRAMES;
  return Math.min(MAX_FRAMES, Math.max(2, n));
}

/**
 * Runs a scenario (or re-runs an experiment) and records it for `replayFigure`.
 *
 * @example
 * const rec = recordRun("data/scenarios/nb02-primary-crash.json", { frames: 60 });
 * rec.frames[30].nodes[0]; // { name: "db1", role: "primary", up: false, term: 1, ... }
 */
export function recordRun(source: RunSource, options: RecordOptions = {}): Recording {
  const resolved = resolveSource(source, options);
  const { scenario } = resolved;
  const durationMs = scenario.durationMs;
  const fromMs = clamp(options.fromMs ?? 0, 0, durationMs);
  const toMs = clamp(options.toMs ?? durationMs, 0, durationMs);
  if (!(toMs > fromMs)) throw new RangeError(`views: the replay window must be a span of the run (0..${durationMs} ms), got ${fromMs}..${toMs}`);
  const frames = frameCount(options.frames);
  const times = frameTimes(fromMs, toMs, frames);
  const kinds = messageKinds(options.messages, (toMs - fromMs) / (frames - 1));

  const sim = new Simulation(scenario, { bugs: options.bugs });
  const key = options.key === undefined ? defaultKey(sim) : options.key;
  const windowMs = options.windowMs ?? defaultWindowMs(durationMs);
  const recorder = new RunRecorder(sim, { windowMs, key, story: options.story, traffic: kinds.length > 0 ? { frameTimesMs: times, kinds } : undefined });
  const snapshots: ClusterSnapshot[] = [];
  for (const t of times) {
    sim.runUntil(t);
    snapshots.push({ ...recorder.snapshot(), tMs: t });
  }
  sim.run();
  checkReproduced(resolved, sim.eventHash);
  return {
    scenario,
    provenance: { scenario: scenario.name, seed: scenario.seed, version: VERSION },
    mode: scenario.replication.mode,
    eventHash: sim.eventHash,
    durationMs,
    fromMs,
    toMs,
    key,
    windowMs,
    frames: snapshots,
    traffic: kinds.length > 0 ? recorder.linkTraffic() : snapshots.map(() => []),
    story: recorder.lines.filter((l) => l.tMs <= toMs),
    series: recorder.series(),
    faults: recorder.faults,
  };
}

function messageKinds(option: RecordOptions["messages"], stepMs: number): readonly MessageKind[] {
  if (Array.isArray(option)) return option as readonly MessageKind[];
  const on = option === true || ((option === undefined || option === "auto") && stepMs <= AUTO_MESSAGES_MAX_STEP_MS);
  return on ? MESSAGE_KINDS.filter((k) => !DEFAULT_HIDDEN_KINDS.includes(k)) : [];
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
