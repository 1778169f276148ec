import type { OperatorFunction } from "rxjs";
import type { EventBatch } from "../../events";
import type { OpKindFilter } from "./in-flight-ops";
import { OutcomeFold } from "./outcome-fold";
import { perWindow, type WindowSpan } from "./windows";

/** Client operations completed in one window of virtual time, and the share answered ok. */
export interface AvailabilityWindow extends WindowSpan {
  /** Operations whose outcome arrived in this window (ok + failed): counted at completion, not at request. */
  attempted: number;
  /** Answered ok. */
  ok: number;
  /** Answered with an error, or timed out. */
  failed: number;
  /** ok / (ok + failed); null when no operation completed in the window (no data is not "down"). */
  ratio: number | null;
}

export interface AvailabilityOptions {
  /** Count reads, writes, or both (default "all"). */
  kind?: OpKindFilter;
}

/**
 * Availability per window of virtual time: how many client operations completed, and how many of
 * them were answered ok. An operation counts in the window where it completes (its response or its
 * timeout), so an operation that spans windows is counted once, at its end.
 *
 * Like a shop's till roll read hour by hour: every customer who left in that hour either paid or
 * walked out; an hour with no customers is a blank line, not a closed shop.
 *
 * With `kind: "read"` or `"write"`, an operation's kind comes from its `request` event, so operations
 * requested before subscribing are not counted (with "all", every completion counts).
 *
 * @example
 * sim.batches$.pipe(availabilityPerWindow(500)).subscribe((w) => rows.push(w));
 * // the primary down since 4000 ms, clients time out after 1000 ms:
 * // { startMs: 5000, endMs: 5500, attempted: 258, ok: 0, failed: 258, ratio: 0 }
 */
export function availabilityPerWindow(windowMs: number, options: AvailabilityOptions = {}): OperatorFunction<EventBatch, AvailabilityWindow> {
  return perWindow(windowMs, () => new AvailabilityFold(options.kind ?? "all"));
}

/** The counting behind `availabilityPerWindow` (exported for tests that inspect its memory). */
export class AvailabilityFold extends OutcomeFold<AvailabilityWindow> {
  private ok = 0;
  private failed = 0;

  constructor(kind: OpKindFilter) {
    // "all" needs no kinds, so it keeps no per-operation state at all.
    super(kind === "all" ? null : kind);
  }

  protected answeredOk(): void {
    this.ok++;
  }

  protected answeredFailed(): void {
    this.failed++;
  }

  close(startMs: number, endMs: number): AvailabilityWindow {
    const { ok, failed } = this;
    this.ok = 0;
    this.failed = 0;
    return { startMs, endMs, attempted: ok + failed, ok, failed, ratio: ok + failed === 0 ? null : ok / (ok + failed) };
  }
}
