/**
 * Messages between database nodes, folded into per-frame traffic for the replay: for each frame (the
 * interval since the previous frame) and directed link, which kinds were on the wire and where one
 * marker sits. Memory is bounded by frames x links x kinds, whatever the length of the run; pending
 * messages are matched to their delivery in FIFO order (links between servers are FIFO).
 */
import { DROP_REASONS, EV, MESSAGE_KINDS, type EventBatch, type MessageKind } from "../events";
import type { LinkTraffic } from "./model";

const SEND = EV.send;
const DELIVER = EV.deliver;
const DROP = EV.drop;
const DROP_CUT = DROP_REASONS.indexOf("cut");
const DROP_LOSS = DROP_REASONS.indexOf("loss");
/** Kinds listed per link and frame (the first seen). */
const MAX_KINDS = 3;

interface Pending {
  sentUs: number;
  kind: number;
}

interface Slot {
  kinds: Map<number, number>;
  /** The marker candidate: in flight at the frame's time wins, then the latest sent. */
  marker: { kind: number; sentUs: number; progress: number; dropped: boolean; inFlight: boolean } | null;
}

export class TrafficFold {
  private readonly pending: Pending[][];
  private readonly slots: Map<number, Slot>[];
  private readonly framesUs: number[];
  private readonly lowerUs: number[];
  private readonly shown: boolean[];

  /**
   * @param nodes database nodes (actors 0 .. nodes-1)
   * @param frameTimesMs the frames, increasing; frame k covers (previous frame, frame k]
   * @param kinds the message kinds to show
   */
  constructor(
    private readonly nodes: number,
    frameTimesMs: readonly number[],
    kinds: readonly MessageKind[],
  ) {
    this.pending = Array.from({ length: nodes * nodes }, () => []);
    this.framesUs = frameTimesMs.map((t) => t * 1000);
    const step = this.framesUs.length > 1 ? this.framesUs[1] - this.framesUs[0] : 0;
    this.lowerUs = this.framesUs.map((t, k) => (k === 0 ? t - step : this.framesUs[k - 1]));
    this.slots = this.framesUs.map(() => new Map<number, Slot>());
    this.shown = MESSAGE_KINDS.map((k) => kinds.includes(k));
  }

  add(batch: EventBatch): void {
    const { types, a, b, c, d, timesUs } = batch;
    const n = this.nodes;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type !== SEND && type !== DELIVER && type !== DROP) continue;
      const from = a[i];
      const to = b[i];
      if (from >= n || to >= n) continue; // clients and the front tier are not drawn
      const queue = this.pending[from * n + to];
      const kind = c[i];
      const t = timesUs[i];
      if (type === SEND) queue.push({ sentUs: t, kind });
      else if (type === DELIVER) this.end(from, to, queue.shift(), t, false);
      else if (d[i] === DROP_CUT) this.end(from, to, { sentUs: t, kind }, t, true); // refused at sending: never sent
      else if (d[i] === DROP_LOSS) this.end(from, to, queue.pop(), t, true); // lost right after its send event
      else this.end(from, to, queue.shift(), t, true); // died in a buffer on its way
    }
  }

  /** Messages still on the wire when the run ended stay in flight through the last frame. */
  finish(): void {
    const n = this.nodes;
    this.pending.forEach((queue, pair) => {
      for (const m of queue) this.end(Math.floor(pair / n), pair % n, m, Infinity, false);
      queue.length = 0;
    });
  }

  private end(from: number, to: number, m: Pending | undefined, endUs: number, dropped: boolean): void {
    if (m === undefined || !this.shown[m.kind]) return;
    const frames = this.framesUs;
    for (let k = lowerBound(frames, m.sentUs); k < frames.length; k++) {
      if (endUs <= this.lowerUs[k]) break; // over before this frame's interval began (only frame 0 can say so)
      const t = frames[k];
      const inFlight = m.sentUs <= t && t < endUs;
      const progress = inFlight ? (Number.isFinite(endUs) ? (t - m.sentUs) / (endUs - m.sentUs) : 0.5) : dropped && endUs === m.sentUs ? 0 : 1;
      this.note(k, from, to, m, { progress, dropped: dropped && !inFlight, inFlight });
      if (endUs <= t) break;
    }
  }

  private note(k: number, from: number, to: number, m: Pending, at: { progress: number; dropped: boolean; inFlight: boolean }): void {
    const key = from * this.nodes + to;
    let slot = this.slots[k].get(key);
    if (slot === undefined) {
      slot = { kinds: new Map(), marker: null };
      this.slots[k].set(key, slot);
    }
    slot.kinds.set(m.kind, (slot.kinds.get(m.kind) ?? 0) + 1);
    const best = slot.marker;
    const better = best === null || (at.inFlight && !best.inFlight) || (at.inFlight === best.inFlight && m.sentUs >= best.sentUs);
    if (better) slot.marker = { kind: m.kind, sentUs: m.sentUs, ...at };
  }

  /** Traffic per frame, links in (from, to) order. */
  traffic(): LinkTraffic[][] {
    const n = this.nodes;
    return this.slots.map((slots) =>
      [...slots.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([key, slot]): LinkTraffic => ({
          from: Math.floor(key / n),
          to: key % n,
          kinds: [...slot.kinds.entries()].slice(0, MAX_KINDS).map(([kind, count]) => ({ kind: MESSAGE_KINDS[kind], count })),
          marker: { kind: MESSAGE_KINDS[slot.marker!.kind], progress: round3(slot.marker!.progress), dropped: slot.marker!.dropped },
        })),
    );
  }
}

/** First index with xs[i] >= x (xs increasing), or xs.length. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
