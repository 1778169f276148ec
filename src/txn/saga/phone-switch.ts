import { msToUs, usToMs } from "../../sim/time";
import type { Answer } from "./bank";

/**
 * The telephone switch of the lecture's phone-call saga. A call is billed minute by minute: before
 * each minute the bank holds 10 rupees; when the minute is over it is charged (captured); when the call
 * drops, the hold of the unfinished minute is released. So a dropped call costs exactly its completed
 * minutes, and at no moment is more than one minute's money at stake.
 *
 * The switch knows when each call really ends (the caller hangs up, the line drops, or billing cuts it
 * off because the money ran out), and answers "how did minute k go?" when minute k is over.
 */
export const MINUTE_MS = 60_000;

export interface Call {
  id: string;
  account: string;
  startUs: number;
  /** When the line drops by itself. */
  dropAtUs: number;
  /** When billing hung up (null if it did not). */
  hungUpAtUs: number | null;
}

export class PhoneSwitch {
  readonly calls = new Map<string, Call>();

  constructor(private readonly nowUs: () => number) {}

  startCall(id: string, account: string, durationMs: number): Call {
    const call: Call = { id, account, startUs: this.nowUs(), dropAtUs: this.nowUs() + msToUs(durationMs), hungUpAtUs: null };
    this.calls.set(id, call);
    return call;
  }

  /** When the call ends (or will end, if nobody hangs up first). */
  endUs(call: Call): number {
    return call.hungUpAtUs === null ? call.dropAtUs : Math.min(call.dropAtUs, call.hungUpAtUs);
  }

  /** The answer about minute `k` (1-based), and when it can be given: at the minute's end, or at the call's end. */
  minute(callId: string, k: number): { atUs: number; answer: Answer } {
    const call = this.calls.get(callId);
    if (call === undefined) return { atUs: this.nowUs(), answer: { ok: false, outcome: "no-call" } };
    const minuteEndUs = call.startUs + msToUs(k * MINUTE_MS);
    const endUs = this.endUs(call);
    if (endUs >= minuteEndUs) return { atUs: minuteEndUs, answer: { ok: true, outcome: "completed" } };
    return { atUs: endUs, answer: { ok: false, outcome: "dropped" } };
  }

  /** Billing ends the call (the money ran out, or billing lost track of it). Idempotent. */
  hangUp(callId: string): Answer {
    const call = this.calls.get(callId);
    if (call === undefined) return { ok: true, outcome: "no-call" };
    if (call.hungUpAtUs === null && this.nowUs() < call.dropAtUs) call.hungUpAtUs = this.nowUs();
    return { ok: true, outcome: "ended" };
  }

  /** Whole minutes the call lasted, once it has ended (null while it goes on). */
  completedMinutes(callId: string): number | null {
    const call = this.calls.get(callId);
    if (call === undefined) return 0;
    const endUs = this.endUs(call);
    if (endUs > this.nowUs()) return null;
    return Math.floor(usToMs(endUs - call.startUs) / MINUTE_MS);
  }
}
