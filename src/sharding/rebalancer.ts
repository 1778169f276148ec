import type { Simulation } from "../sim/simulation";
import { msToUs } from "../sim/time";
import type { Router } from "./router";
import type { ShardMap } from "./shard-map";
import type { RebalanceSpec } from "./types";

const DEFAULT_MOVE_MS_PER_KEY = 2;
const DEFAULT_PARALLEL_MOVES = 8;

/** One key on its way from one shard to another. */
interface Move {
  key: number;
  from: number;
  to: number;
  frozenAtUs: number;
  /** copy: waiting to read the value; installing: the migrator's write is in flight; installed: ready to flip. */
  state: "copy" | "installing" | "installed";
  value: number;
}

/** What rebalancing did, for the summary. */
export interface RebalanceRecord {
  keysMoved: number;
  /** Fraction of all keys that moved. */
  movedFraction: number;
  startedAtMs: number | null;
  finishedAtMs: number | null;
  /** Per key: from the freeze of its writes to the flip of its owner (ms). */
  blockedWindowsMs: number[];
  /** Copies that found the source shard with no primary to read from, and waited. */
  copyWaits: number;
}

/**
 * Moves keys to their new owners while the cluster serves traffic, a few at a time, in the way
 * MongoDB's balancer moves chunks: freeze writes to the key at the source (reads continue there),
 * copy its value from the source's primary, install it on the destination through its normal write
 * path (so the destination's replicas get it too), then flip the owner in the map. Writes to a key
 * are blocked only during its own move; that window is measured per key.
 *
 * It acts only at lockstep boundaries, like the router.
 */
export class Rebalancer {
  readonly record: RebalanceRecord = { keysMoved: 0, movedFraction: 0, startedAtMs: null, finishedAtMs: null, blockedWindowsMs: [], copyWaits: 0 };
  private readonly pending: { key: number; to: number }[] = [];
  private readonly active: Move[] = [];
  private readonly moveUs: number;
  private readonly parallel: number;

  constructor(
    private readonly map: ShardMap,
    private readonly engines: readonly Simulation[],
    private readonly router: Router,
    spec: RebalanceSpec,
  ) {
    this.moveUs = msToUs(spec.moveMsPerKey ?? DEFAULT_MOVE_MS_PER_KEY);
    this.parallel = spec.parallelMoves ?? DEFAULT_PARALLEL_MOVES;
  }

  /** Starts moving every key whose owner differs in the new assignment. */
  begin(newOwners: Int32Array, nowUs: number): void {
    for (let key = 0; key < newOwners.length; key++) if (newOwners[key] !== this.map.owner[key]) this.pending.push({ key, to: newOwners[key] });
    this.record.keysMoved = this.pending.length;
    this.record.movedFraction = this.pending.length / this.map.keys;
    this.record.startedAtMs = nowUs / 1000;
    if (this.pending.length === 0) this.record.finishedAtMs = nowUs / 1000;
  }

  get busy(): boolean {
    return this.pending.length > 0 || this.active.length > 0;
  }

  /** Advances every move one step at a boundary; `onStep` runs after each change of the map (for invariant checks). */
  step(nowUs: number, onStep: () => void): void {
    for (const move of [...this.active]) this.advance(move, nowUs, onStep);
    while (this.active.length < this.parallel && this.pending.length > 0) {
      const { key, to } = this.pending.shift()!;
      this.map.startMove(key, to, nowUs);
      this.active.push({ key, from: this.map.owner[key], to, frozenAtUs: nowUs, state: "copy", value: NaN });
      onStep();
    }
    if (!this.busy && this.record.startedAtMs !== null && this.record.finishedAtMs === null) this.record.finishedAtMs = nowUs / 1000;
  }

  private advance(move: Move, nowUs: number, onStep: () => void): void {
    if (move.state === "copy" && nowUs >= move.frozenAtUs + this.moveUs) this.copy(move, nowUs);
    else if (move.state === "installed") {
      this.map.finishMove(move.key);
      this.active.splice(this.active.indexOf(move), 1);
      this.record.blockedWindowsMs.push((nowUs - move.frozenAtUs) / 1000);
      onStep();
    }
  }

  /**
   * Reads the value from the source shard's primary (the one its clients would write to) and sends
   * it to the destination. No live primary: wait for a failover or a restart, and try again.
   */
  private copy(move: Move, nowUs: number): void {
    const source = this.engines[move.from];
    const primary = source.nodes[source.directoryPrimary()];
    if (!primary || !primary.up || primary.role !== "primary") {
      this.record.copyWaits++;
      return;
    }
    move.value = primary.store.get(move.key);
    move.state = "installing";
    this.install(move, nowUs);
  }

  /** The migrator's write on the destination; retried until acknowledged (a `set` is idempotent). */
  private install(move: Move, atUs: number): void {
    this.router.request(
      {
        command: "set",
        key: move.key,
        value: move.value,
        startUs: atUs,
        attempts: 0,
        maxRetries: 0,
        counted: false,
        shard: move.to,
        onFinal: (ok, _value, shard) => {
          if (ok) move.state = "installed";
          else this.install(move, this.engines[shard].now());
        },
      },
      atUs,
    );
  }
}
