/**
 * The data a view draws: what the cluster looked like at one instant of virtual time (a snapshot),
 * what was said about it (story lines), which messages were on the wire, and the metric series. Plain
 * JSON, recorded from a run by `RunRecorder`; the renderers (live HTML frames, the Plotly replay) are
 * pure functions of it.
 */
import type { FaultWindow, Provenance, TimeSeries } from "../charts/types";
import type { MessageKind } from "../events";
import type { ReplicationMode, Scenario } from "../scenario/types";

/** How a node is drawn: its role, as the lessons name it. */
export type NodeRoleView = "primary" | "replica" | "witness";

/** One database node at an instant. */
export interface NodeView {
  name: string;
  role: NodeRoleView;
  up: boolean;
  /** The highest term (epoch) this node has seen. */
  term: number;
  /** Value of the shown key on this node (null: no key shown, or never written here). */
  value: number | null;
  /** Version of the shown key on this node (0 if none). */
  version: number;
  /** Log shipping modes: the last log index in this node's store (null in multi-master and quorum modes). */
  applied: number | null;
  /** Whether it can reach a majority of the voters (quorum and failover modes; null where majorities play no part). */
  majority: boolean | null;
}

/** The link between nodes a and b (indices into `nodes`), both directions. */
export interface LinkView {
  a: number;
  b: number;
  /** a -> b carries messages (not cut, not partitioned). */
  abUp: boolean;
  baUp: boolean;
  /** Either direction is slowed by a fault. */
  slow: boolean;
}

/** The cluster at one instant: after every event at or before `tMs` happened. */
export interface ClusterSnapshot {
  tMs: number;
  nodes: NodeView[];
  links: LinkView[];
}

/** One event in words, e.g. "db2 elected primary in term 3". */
export interface StoryLine {
  tMs: number;
  text: string;
  /** "fault" for crashes, cuts and partitions, "alarm" for conflicts and rollbacks, "info" otherwise. */
  tone: "fault" | "alarm" | "heal" | "info";
}

/**
 * Messages on one directed link during one replay frame (the interval since the previous frame):
 * the kinds sent, in order, with counts, and one marker for the message the frame shows.
 */
export interface LinkTraffic {
  from: number;
  to: number;
  /** Kinds in the order they were seen (at most 3), with how many of each. */
  kinds: { kind: MessageKind; count: number }[];
  /** The marker: a message in flight at the frame's time if any, else the latest one. */
  marker: { kind: MessageKind; progress: number; dropped: boolean };
}

/** The metric series every view charts: the same as `experiment()` gives, plus conflicts. */
export interface ViewSeries {
  /** Mean apply lag per replica and window (ms). */
  lag: TimeSeries[];
  /** Share of operations answered ok per window (0..1). */
  availability: TimeSeries;
  /** Conflicts (multi-master) and rollbacks (quorum) per window. */
  conflicts: TimeSeries[];
}

/** A run recorded for replay: snapshots at the frame times and everything the figure needs. */
export interface Recording {
  scenario: Scenario;
  provenance: Provenance;
  mode: ReplicationMode;
  eventHash: string;
  durationMs: number;
  /** The replayed span of virtual time (the whole run unless a window was chosen). */
  fromMs: number;
  toMs: number;
  /** The store key whose value is shown on each node (null: none). */
  key: string | null;
  /** Width of the metric windows (ms). */
  windowMs: number;
  /** One snapshot per frame, at increasing times from `fromMs` to `toMs`. */
  frames: ClusterSnapshot[];
  /** Per frame, traffic per directed link (empty lists when messages are not recorded). */
  traffic: LinkTraffic[][];
  /** Every story line of the run, in time order. */
  story: StoryLine[];
  series: ViewSeries;
  faults: FaultWindow[];
}
