import type { LogEntry } from "../cluster/command-log";
import type { Message } from "../cluster/network";

/** primary -> replica: entries after (prevIndex, prevTerm); no entries makes it a heartbeat. */
export interface AppendMessage extends Message {
  epoch: number;
  /** When the primary sent it: a reply proves the replica still followed this primary at that time (leases). */
  sentUs: number;
  prevIndex: number;
  prevTerm: number;
  entries: LogEntry[];
  /**
   * The primary's last log index when it sent this. Links are FIFO, so nothing this primary logged
   * later can arrive first: whatever a replica holds beyond it is an older primary's unreplicated tail.
   */
  leaderLastIndex: number;
}

/** Ask the primary to send a whole snapshot instead of log entries. */
export const NEED_SNAPSHOT = -1;

/** replica -> primary: how far its log reaches and how far it applied, or where to resend from. */
export interface AppendReplyMessage extends Message {
  epoch: number;
  ok: boolean;
  logged: number;
  applied: number;
  /** When not ok: the index to resend from, or NEED_SNAPSHOT. */
  resendFrom: number;
  /** The `sentUs` of the append this answers (-1 for a snapshot). */
  echoUs: number;
}

/** candidate -> voter: make me primary of `epoch`; my log ends at (lastIndex, lastTerm). */
export interface VoteRequestMessage extends Message {
  epoch: number;
  lastIndex: number;
  lastTerm: number;
}

/** voter -> candidate. */
export interface VoteMessage extends Message {
  epoch: number;
  granted: boolean;
}

/** primary -> replica: the whole store as of `lastIndex`, for a replica the log cannot catch up. */
export interface SnapshotMessage extends Message {
  epoch: number;
  lastIndex: number;
  termRuns: { term: number; startIndex: number }[];
  values: Float64Array;
  versions: Float64Array;
}
