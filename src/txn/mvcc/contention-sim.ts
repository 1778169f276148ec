import { LatencyHistogram, type LatencySummary } from "../../metrics/latency-histogram";
import { sampler, type Sampler } from "../../sim/distributions";
import { EventQueue } from "../../sim/event-queue";
import { Random } from "../../sim/random";
import { msToUs, usToMs } from "../../sim/time";
import type { Distribution } from "../../scenario/types";
import { Database } from "./database";
import type { Transaction } from "./transaction";
import type { IsolationLevel, Key, OpResult } from "./types";

/**
 * A timed simulation of one database under concurrent readers and writers, on virtual time: each
 * client runs transactions in a closed loop (think, begin, a few operations each taking a service time
 * drawn from a distribution, commit). An operation that must wait for a lock waits, in virtual time,
 * until a transaction ends and frees it. Deadlock victims and first-committer-wins losers start over.
 *
 * Readers read `keysPerRead` rows; writers write `keysPerWrite` rows, holding their write locks for
 * the whole transaction, as every database does. Optionally a "report" client runs a long read-only
 * transaction now and then, to show that a long snapshot pins old versions.
 *
 * The same seed gives both stores the same random streams (one per client), so differences come from
 * the concurrency control, not from the workload.
 */
export interface ContentionOptions {
  seed?: number;
  /** Virtual run length (default 10 s) and chart window (default 500 ms). */
  durationMs?: number;
  windowMs?: number;
  keys?: number;
  readers?: number;
  writers?: number;
  keysPerRead?: number;
  keysPerWrite?: number;
  /** Time one read (default exponential, mean 1 ms) and one write (default exponential, mean 5 ms) takes. */
  readServiceMs?: Distribution;
  writeServiceMs?: Distribution;
  /** Pause between a client's transactions (default exponential, mean 10 ms). */
  thinkMs?: Distribution;
  /** A long read-only "report" every `reportEveryMs` (default never), lasting `reportMs`. */
  reportEveryMs?: number;
  reportMs?: number;
  /** Garbage-collect old versions (default true). */
  gc?: boolean;
}

export interface ContentionWindow {
  /** Window end, ms of virtual time. */
  time: number;
  readersPerSec: number;
  /** Mean reader transaction latency (begin to commit) in the window; NaN when none committed. */
  readerLatencyMs: number;
  /** Row versions the store keeps at the window's end. */
  versions: number;
}

export interface ContentionRun {
  level: IsolationLevel;
  windows: ContentionWindow[];
  readers: { committed: number; aborted: number; blockedOps: number; latencyMs: LatencySummary };
  writers: { committed: number; aborted: number; blockedOps: number };
  /** The long read-only reports (when `reportEveryMs` is set). */
  reports: { committed: number; aborted: number; blockedOps: number };
  maxVersions: number;
}

const Action = { Start: 0, OpDone: 1, Sample: 2 } as const;

interface Client {
  index: number;
  kind: "reader" | "writer" | "report";
  random: Random;
  tx: Transaction | null;
  ops: Key[];
  next: number;
  startUs: number;
}

export function simulateContention(level: IsolationLevel, options: ContentionOptions = {}): ContentionRun {
  return new ContentionWorld(level, options).run();
}

class ContentionWorld {
  private readonly queue = new EventQueue();
  private readonly db: Database;
  private readonly clients: Client[] = [];
  private readonly blocked = new Set<Client>();
  private readonly keys: Key[];
  private readonly endUs: number;
  private readonly windowUs: number;
  private readonly readService: Sampler;
  private readonly writeService: Sampler;
  private readonly think: Sampler;
  private readonly latency = new LatencyHistogram();
  private readonly windowCount: number[] = [];
  private readonly windowLatencyUs: number[] = [];
  private readonly windows: ContentionWindow[] = [];
  private readonly result: ContentionRun;
  private clock = 0;

  constructor(
    private readonly level: IsolationLevel,
    private readonly options: ContentionOptions,
  ) {
    const seed = options.seed ?? 1;
    this.keys = Array.from({ length: options.keys ?? 20 }, (_, i) => `k${i}`);
    this.db = new Database({ initial: Object.fromEntries(this.keys.map((k) => [k, 0])), gc: options.gc ?? true, recordHistory: false });
    this.endUs = msToUs(options.durationMs ?? 10_000);
    this.windowUs = msToUs(options.windowMs ?? 500);
    this.readService = sampler(options.readServiceMs ?? { dist: "exponential", mean: 1 });
    this.writeService = sampler(options.writeServiceMs ?? { dist: "exponential", mean: 5 });
    this.think = sampler(options.thinkMs ?? { dist: "exponential", mean: 10 });
    const add = (kind: Client["kind"], i: number) =>
      this.clients.push({ index: this.clients.length, kind, random: new Random(seed, `contention/${kind}-${i}`), tx: null, ops: [], next: 0, startUs: 0 });
    for (let i = 0; i < (options.readers ?? 8); i++) add("reader", i);
    for (let i = 0; i < (options.writers ?? 4); i++) add("writer", i);
    if ((options.reportEveryMs ?? 0) > 0) add("report", 0);
    this.result = {
      level,
      windows: this.windows,
      readers: { committed: 0, aborted: 0, blockedOps: 0, latencyMs: { mean: null, p50: null, p99: null } },
      writers: { committed: 0, aborted: 0, blockedOps: 0 },
      reports: { committed: 0, aborted: 0, blockedOps: 0 },
      maxVersions: this.db.versionCount,
    };
  }

  run(): ContentionRun {
    for (const c of this.clients) this.queue.push(c.kind === "report" ? msToUs(this.options.reportEveryMs ?? 0) : this.thinkTime(c), Action.Start, c.index, 0, null);
    for (let t = this.windowUs; t <= this.endUs; t += this.windowUs) this.queue.push(t, Action.Sample, 0, 0, null);
    while (this.queue.size > 0 && this.queue.peekTime() <= this.endUs) {
      const slot = this.queue.pop();
      this.clock = this.queue.time(slot);
      const action = this.queue.action(slot);
      const client = this.clients[this.queue.a(slot)];
      this.queue.release(slot);
      if (action === Action.Start) this.start(client);
      else if (action === Action.OpDone) this.advance(client);
      else this.sample();
    }
    this.result.readers.latencyMs = this.latency.summary();
    return this.result;
  }

  private start(c: Client): void {
    c.tx = this.db.begin(this.level);
    c.startUs = this.clock;
    c.next = 0;
    c.ops = c.kind === "report" ? [...this.keys] : pickKeys(c.random, this.keys, c.kind === "reader" ? (this.options.keysPerRead ?? 4) : (this.options.keysPerWrite ?? 2));
    this.attempt(c);
  }

  /** Tries the client's next operation now: runs it for a service time, waits for a lock, or starts over. */
  private attempt(c: Client): void {
    const tx = c.tx as Transaction;
    const key = c.ops[c.next];
    const res: OpResult<unknown> = c.kind === "writer" ? tx.write(key, c.random.int(1000)) : tx.read(key);
    if (res.status === "ok") {
      this.blocked.delete(c);
      this.queue.push(this.clock + this.serviceTime(c), Action.OpDone, c.index, 0, null);
    } else if (res.status === "blocked") {
      if (!this.blocked.has(c)) this.stats(c).blockedOps++;
      this.blocked.add(c);
      // This request may have closed a deadlock whose victim is another waiting client: its locks are free now.
      if ([...this.blocked].some((b) => b.tx?.status === "aborted")) this.ended();
    } else this.restart(c);
  }

  /** An operation finished: the next one, or commit. */
  private advance(c: Client): void {
    const tx = c.tx as Transaction;
    if (tx.status === "aborted") return this.restart(c);
    if (++c.next < c.ops.length) return this.attempt(c);
    const res = tx.commit();
    if (res.status !== "committed") return this.restart(c);
    this.stats(c).committed++;
    if (c.kind === "reader") this.readerCommitted(this.clock - c.startUs);
    this.ended();
    this.queue.push(this.nextStart(c), Action.Start, c.index, 0, null);
  }

  private restart(c: Client): void {
    this.blocked.delete(c);
    this.stats(c).aborted++;
    this.ended();
    this.queue.push(this.clock + this.thinkTime(c), Action.Start, c.index, 0, null);
  }

  /** A transaction ended and freed its locks: every waiting client tries again, in client order. */
  private ended(): void {
    for (const c of [...this.blocked].sort((x, y) => x.index - y.index)) {
      if (!this.blocked.has(c)) continue;
      if (c.tx?.status === "aborted") this.restart(c); // a deadlock victim
      else this.attempt(c);
    }
    this.result.maxVersions = Math.max(this.result.maxVersions, this.db.versionCount);
  }

  private readerCommitted(latencyUs: number): void {
    const w = Math.floor(this.clock / this.windowUs);
    this.windowCount[w] = (this.windowCount[w] ?? 0) + 1;
    this.windowLatencyUs[w] = (this.windowLatencyUs[w] ?? 0) + latencyUs;
    this.latency.recordUs(latencyUs);
  }

  /** Closes the window that ends now. */
  private sample(): void {
    const w = Math.round(this.clock / this.windowUs) - 1;
    const count = this.windowCount[w] ?? 0;
    this.windows.push({
      time: usToMs(this.clock),
      readersPerSec: count / (this.windowUs / 1e6),
      readerLatencyMs: count === 0 ? NaN : usToMs(this.windowLatencyUs[w] / count),
      versions: this.db.versionCount,
    });
  }

  private stats(c: Client) {
    return c.kind === "writer" ? this.result.writers : c.kind === "reader" ? this.result.readers : this.result.reports;
  }

  private serviceTime(c: Client): number {
    if (c.kind === "report") return msToUs((this.options.reportMs ?? 1000) / this.keys.length);
    return msToUs(c.kind === "writer" ? this.writeService(c.random) : this.readService(c.random));
  }

  private thinkTime(c: Client): number {
    return msToUs(this.think(c.random));
  }

  private nextStart(c: Client): number {
    return c.kind === "report" ? this.clock + msToUs(this.options.reportEveryMs ?? 0) : this.clock + this.thinkTime(c);
  }
}

/** `n` distinct keys, in key order (writers that lock in one order cannot deadlock with each other). */
function pickKeys(random: Random, keys: readonly Key[], n: number): Key[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(n, keys.length)) chosen.add(random.int(keys.length));
  return [...chosen].sort((a, b) => a - b).map((i) => keys[i]);
}
