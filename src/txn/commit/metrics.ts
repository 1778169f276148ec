import { LatencyHistogram } from "../../metrics/latency-histogram";
import type { DecideReason, TxnEvent, TxnMessageKind } from "./events";
import { COORDINATOR_NAME } from "./nodes";

/**
 * A message that opens a round trip: its sender waits for answers (votes, acknowledgements, states,
 * a decision). A round is a "wave": such messages sent by one node, for one transaction, at one instant.
 * Decisions count only from the coordinator, which waits for acknowledgements; a 3PC terminator's
 * decision expects no answer.
 */
const REQUEST_KINDS: ReadonlySet<TxnMessageKind> = new Set<TxnMessageKind>(["prepare", "can-commit", "pre-commit", "decision-request", "state-request"]);
const DECISION_KINDS: ReadonlySet<TxnMessageKind> = new Set<TxnMessageKind>(["commit", "do-commit", "abort"]);

interface Progress {
  readonly startMs: number;
  readonly participants: readonly string[];
  readonly decided: Set<string>;
  commits: number;
  aborts: number;
}

interface Doubt {
  /** When the current in-doubt interval began (null while the node is down). */
  sinceMs: number | null;
  totalMs: number;
}

/**
 * The run's measurements, read from the event stream alone (so protocols know nothing of them): message
 * and round counts, time in doubt and blocked, and when each transaction's outcome was known by every
 * live participant.
 */
export class CommitMetrics {
  started = 0;
  refused = 0;
  messages = 0;
  rounds = 0;
  participantSlots = 0;
  inDoubtMs = 0;
  blockedMs = 0;
  readonly commitLatency = new LatencyHistogram();
  /** The reason of the first abort decision of each transaction. */
  readonly abortReason = new Map<number, DecideReason>();
  private readonly open = new Map<number, Progress>();
  private readonly doubts = new Map<string, Doubt>();
  private readonly down = new Set<string>();
  private lastWave = "";

  /** `decisionMs`: in-doubt time beyond it is "blocked". */
  constructor(private readonly decisionMs: number) {}

  observe(e: TxnEvent): void {
    switch (e.type) {
      case "txn-start":
        this.started++;
        this.participantSlots += e.participants.length;
        this.open.set(e.txn, { startMs: e.timeMs, participants: e.participants, decided: new Set(), commits: 0, aborts: 0 });
        break;
      case "txn-refused":
        this.refused++;
        break;
      case "send":
        this.messages++;
        this.countWave(e.from, e.kind, e.txn, e.timeMs);
        break;
      case "in-doubt":
        this.doubtOf(e.node, e.txn).sinceMs = e.timeMs;
        break;
      case "commit":
      case "abort":
        this.endDoubt(e.node, e.txn, e.timeMs);
        this.participantDecided(e.node, e.txn, e.type === "commit", e.timeMs);
        break;
      case "decide":
        if (!e.commit && !this.abortReason.has(e.txn)) this.abortReason.set(e.txn, e.reason);
        break;
      case "crash":
        this.nodeCrashed(e.node, e.timeMs);
        break;
      case "recover":
        this.down.delete(e.node);
        break;
    }
  }

  /** Closes what is still open at the end of the run. */
  finish(endMs: number): void {
    for (const key of [...this.doubts.keys()]) {
      const [node, txn] = key.split("#");
      this.endDoubt(node, Number(txn), endMs);
    }
  }

  private countWave(from: string, kind: TxnMessageKind, txn: number, timeMs: number): void {
    const request = REQUEST_KINDS.has(kind) || (DECISION_KINDS.has(kind) && from === COORDINATOR_NAME);
    if (!request) return;
    const wave = `${from}|${kind}|${txn}|${timeMs}`;
    if (wave !== this.lastWave) this.rounds++;
    this.lastWave = wave;
  }

  private doubtOf(node: string, txn: number): Doubt {
    const key = `${node}#${txn}`;
    let doubt = this.doubts.get(key);
    if (!doubt) {
      doubt = { sinceMs: null, totalMs: 0 };
      this.doubts.set(key, doubt);
    }
    return doubt;
  }

  /** The doubt is over (decided, or the run ended): count it, and what exceeded the timeout as blocked. */
  private endDoubt(node: string, txn: number, timeMs: number): void {
    const key = `${node}#${txn}`;
    const doubt = this.doubts.get(key);
    if (!doubt) return;
    if (doubt.sinceMs !== null) doubt.totalMs += timeMs - doubt.sinceMs;
    this.inDoubtMs += doubt.totalMs;
    this.blockedMs += Math.max(0, doubt.totalMs - this.decisionMs);
    this.doubts.delete(key);
  }

  /** A crashed participant is not waiting: its doubt pauses until it restarts (and says `in-doubt` again). */
  private nodeCrashed(node: string, timeMs: number): void {
    this.down.add(node);
    for (const [key, doubt] of this.doubts) {
      if (!key.startsWith(`${node}#`) || doubt.sinceMs === null) continue;
      doubt.totalMs += timeMs - doubt.sinceMs;
      doubt.sinceMs = null;
    }
    for (const txn of [...this.open.keys()]) this.checkKnown(txn, timeMs);
  }

  private participantDecided(node: string, txn: number, commit: boolean, timeMs: number): void {
    const progress = this.open.get(txn);
    if (!progress) return;
    progress.decided.add(node);
    if (commit) progress.commits++;
    else progress.aborts++;
    this.checkKnown(txn, timeMs);
  }

  /** Commit latency ends when every participant that is up has committed (a split outcome is no commit). */
  private checkKnown(txn: number, timeMs: number): void {
    const progress = this.open.get(txn);
    if (!progress || progress.decided.size === 0) return;
    if (!progress.participants.every((p) => progress.decided.has(p) || this.down.has(p))) return;
    if (progress.aborts === 0) this.commitLatency.recordUs((timeMs - progress.startMs) * 1000);
    this.open.delete(txn);
  }
}
