import { Random } from "../sim/random";
import type { ExternalOutcome, Simulation } from "../sim/simulation";
import { msToUs } from "../sim/time";
import { keyChooser, type KeyChooser } from "./key-chooser";
import type { ShardCounters } from "./metrics";
import { CachedShardMap, type ShardMap } from "./shard-map";
import type { ShardedWorkloadSpec } from "./types";

/** The actor name the router uses inside every shard engine. */
export const ROUTER_CLIENT = "router";

const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_MAX_RETRIES = 5;
const DEFAULT_BACKOFF_MS = 5;

/** One operation as the router handles it, across its attempts. */
export interface RoutedRequest {
  command: "get" | "set" | "add";
  key: number;
  value?: number;
  /** When it first arrived (µs). */
  startUs: number;
  attempts: number;
  /** Retries allowed after "wrong-shard" (Infinity: until it lands; used by the migrator and transfers). */
  maxRetries: number;
  /** A client operation of the workload: counted in the per-shard metrics. */
  counted: boolean;
  /** Send to this shard whatever the map says (the migrator installing a copy on the destination). */
  shard?: number;
  onFinal?: (ok: boolean, value: number, shard: number) => void;
}

/**
 * The router in front of the shards (mongos, Vitess's vtgate): it owns the global workload (its own
 * random streams, so faults and moves never reshuffle it), finds each key's shard in its cached map,
 * and hands the operation to that shard's engine at its virtual time. A "wrong-shard" answer (the map
 * changed, or the key is moving) makes it refresh the map and retry after a short backoff.
 *
 * The router acts only at slice boundaries of the lockstep (see `cluster.ts`): work it decides during
 * a slice (a retry) is queued and sent at the next boundary, never into an engine's past.
 */
export class Router {
  readonly cached: CachedShardMap;
  /** Answers "wrong-shard" received (each one is a retry or, past the limit, a failure). */
  wrongShardAnswers = 0;
  /** Workload writes sent and not yet finished (they may or may not have taken effect). */
  writesInFlight = 0;
  private readonly deferred: { atUs: number; req: RoutedRequest }[] = [];
  private readonly arrivals: Random;
  private readonly chooseKey: KeyChooser;
  private nextArrivalUs = 0;
  private nextOpId = 1;
  private lastAnswerUs = 0;
  private readonly timeoutMs: number;
  private readonly stopUs: number;

  constructor(
    private readonly engines: readonly Simulation[],
    map: ShardMap,
    private readonly counters: readonly ShardCounters[],
    private readonly total: ShardCounters,
    private readonly spec: ShardedWorkloadSpec | undefined,
    seed: number,
    durationMs: number,
  ) {
    this.cached = new CachedShardMap(map);
    this.arrivals = new Random(seed, "sharding/router");
    this.chooseKey = keyChooser(spec?.distribution, map.keys);
    this.timeoutMs = spec?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.stopUs = msToUs(Math.min(spec?.stopAtMs ?? Infinity, durationMs));
    this.nextArrivalUs = spec ? this.gapUs() : Infinity;
  }

  /** Sends everything due in [fromUs, toUs): queued retries, and the workload's new arrivals. */
  sendDue(fromUs: number, toUs: number): void {
    this.sendDeferred(toUs);
    while (this.nextArrivalUs < toUs && this.nextArrivalUs <= this.stopUs) {
      const req = this.randomRequest(this.nextArrivalUs);
      if (req.command !== "get") this.writesInFlight++;
      this.send(req, Math.max(fromUs, this.nextArrivalUs));
      this.nextArrivalUs += this.gapUs();
    }
  }

  /** Queues an operation from inside the router tier (the migrator, transfers) for the next boundary. */
  request(req: RoutedRequest, atUs: number): void {
    this.deferred.push({ atUs, req });
  }

  /** Virtual time of the latest answer (µs): "now" for whoever reacts to it. */
  clockUs(): number {
    return this.lastAnswerUs;
  }

  /** Operations queued for a later boundary. */
  get queued(): number {
    return this.deferred.length;
  }

  private sendDeferred(toUs: number): void {
    if (this.deferred.length === 0) return;
    // Stable order: by time, then by queueing order (the sort is stable), so runs are reproducible.
    this.deferred.sort((a, b) => a.atUs - b.atUs);
    let i = 0;
    while (i < this.deferred.length && this.deferred[i].atUs < toUs) i++;
    for (const { atUs, req } of this.deferred.splice(0, i)) this.send(req, atUs);
  }

  private send(req: RoutedRequest, atUs: number): void {
    const shard = req.shard ?? this.cached.ownerOf(req.key);
    const engine = this.engines[shard];
    req.attempts++;
    engine.at(atUs, () =>
      engine.submit({ client: ROUTER_CLIENT, command: req.command, key: req.key, value: req.value, timeoutMs: this.timeoutMs, onDone: (o) => this.answered(req, shard, o) }),
    );
  }

  private answered(req: RoutedRequest, shard: number, o: ExternalOutcome): void {
    const nowUs = this.engines[shard].now();
    this.lastAnswerUs = nowUs;
    if (o.error === "wrong-shard") {
      this.wrongShardAnswers++;
      this.cached.refresh();
      if (req.attempts <= req.maxRetries) {
        this.deferred.push({ atUs: nowUs + msToUs(this.spec?.retryBackoffMs ?? DEFAULT_BACKOFF_MS), req });
        return;
      }
    }
    const ok = o.error === "ok";
    if (req.counted) {
      if (req.command !== "get") this.writesInFlight--;
      this.counters[shard].record(nowUs, req.command !== "get", ok, nowUs - req.startUs);
      this.total.record(nowUs, req.command !== "get", ok, nowUs - req.startUs);
    }
    req.onFinal?.(ok, o.value, shard);
  }

  private randomRequest(atUs: number): RoutedRequest {
    const spec = this.spec!;
    const key = this.chooseKey(this.arrivals);
    const read = this.arrivals.next() < spec.readRatio;
    const id = this.nextOpId++;
    const command = read ? "get" : spec.writeOp === "add" ? "add" : "set";
    // A `set` writes the operation's id, as in the cluster workload: unique values.
    return { command, key, value: command === "set" ? id : 1, startUs: atUs, attempts: 0, maxRetries: spec.maxRetries ?? DEFAULT_MAX_RETRIES, counted: true };
  }

  private gapUs(): number {
    const ratePerUs = this.spec!.opsPerSec / 1_000_000;
    return Math.max(1, Math.round(-Math.log(1 - this.arrivals.next()) / ratePerUs));
  }
}
