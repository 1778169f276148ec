/**
 * Experiments on real PostgreSQL streaming replication, measured from the client's side and from
 * the primary's `pg_stat_replication`, recorded as the kit's metric events (see recorder.ts):
 *
 * - `commitLatency`: async vs `synchronous_standby_names` FIRST 1 / ANY 1 with `synchronous_commit`
 *   on / remote_apply: commit latency per mode and replication lag, with and without a delayed link
 *   (a TCP delay proxy between s1 and the primary);
 * - `failover`: kill -9 the primary while clients write, `pg_promote()` a standby, and count
 *   acknowledged rows missing on it (and rows that are there although their client got an error);
 * - `standbyWrite`: a write sent to a standby is refused (SQLSTATE 25006).
 *
 * Loopback is noisy (other processes, one shared disk): every latency claim should come from
 * repeated runs, and the delay proxy makes the effects being taught large against that noise.
 */
import type { Client, ClientConfig } from "pg";
import type * as net from "net";
import { DelayProxy } from "./delay-proxy";
import { connect, PgLab, queryOnce, type PgLabOptions } from "./postgres";
import { LabRecorder, type RealRunData } from "./recorder";
import { sleep, startWatchdog } from "./process";
import { median, round, stats, type Stats } from "./stats";
import type { ErrorCode } from "../events";

export const TABLE = "replicalab_lab_writes";
export const PROBE_TABLE = "replicalab_lab_probe";

/** Where the experiments connect: a lab cluster (`lab` set) or servers the user runs. */
export interface PgTarget {
  primary: ClientConfig;
  standbys: { name: string; config: ClientConfig }[];
  /** The lab cluster, when it is one: only then may experiments change settings, kill or promote. */
  lab: PgLab | null;
}

export function labTarget(lab: PgLab): PgTarget {
  return {
    primary: lab.config("primary"),
    standbys: lab.nodes.filter((n) => n.role === "standby").map((n) => ({ name: n.name, config: lab.config(n.name) })),
    lab,
  };
}

/** Servers the user already runs, by connection string ("postgres://user@host:5432/db"). */
export function externalTarget(primaryUrl: string, standbyUrls: readonly string[] = []): PgTarget {
  return {
    primary: { connectionString: primaryUrl, connectionTimeoutMillis: 5000 },
    standbys: standbyUrls.map((url, i) => ({ name: `standby${i + 1}`, config: { connectionString: url, connectionTimeoutMillis: 5000 } })),
    lab: null,
  };
}

/** A replication mode: what the primary waits for before it answers a commit. */
export interface PgMode {
  id: string;
  label: string;
  /** `synchronous_standby_names` on the primary ("" = no synchronous standby: async). */
  standbyNames: string;
  /** `synchronous_commit` of the writing sessions. */
  synchronousCommit: "local" | "remote_write" | "on" | "remote_apply";
}

export const PG_MODES: Record<string, PgMode> = {
  async: { id: "async", label: "async", standbyNames: "", synchronousCommit: "on" },
  first1: { id: "first1", label: "FIRST 1 (s1), on", standbyNames: "FIRST 1 (s1)", synchronousCommit: "on" },
  "first1-apply": { id: "first1-apply", label: "FIRST 1 (s1), remote_apply", standbyNames: "FIRST 1 (s1)", synchronousCommit: "remote_apply" },
  any1: { id: "any1", label: "ANY 1 (s1, s2), on", standbyNames: "ANY 1 (s1, s2)", synchronousCommit: "on" },
  "any1-apply": { id: "any1-apply", label: "ANY 1 (s1, s2), remote_apply", standbyNames: "ANY 1 (s1, s2)", synchronousCommit: "remote_apply" },
};

/** Session-only modes for servers the user runs: nothing on the server is changed. */
export const SESSION_MODES: Record<string, PgMode> = {
  local: { id: "local", label: "synchronous_commit = local", standbyNames: "(unchanged)", synchronousCommit: "local" },
  on: { id: "on", label: "synchronous_commit = on", standbyNames: "(unchanged)", synchronousCommit: "on" },
  remote_apply: { id: "remote_apply", label: "synchronous_commit = remote_apply", standbyNames: "(unchanged)", synchronousCommit: "remote_apply" },
};

export function pgMode(id: string): PgMode {
  const m = PG_MODES[id] ?? SESSION_MODES[id];
  if (!m) throw new RangeError(`unknown mode "${id}" (expected ${[...Object.keys(PG_MODES), ...Object.keys(SESSION_MODES)].join(", ")})`);
  return m;
}

/** Creates the experiments' table if needed (on the primary; standbys get it by replication). */
export async function ensureTable(primary: ClientConfig): Promise<void> {
  await queryOnce(primary, `CREATE TABLE IF NOT EXISTS ${TABLE} (id bigint PRIMARY KEY, client int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  await queryOnce(primary, `CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (id bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp())`);
}

/** The next free id in the table (ids are unique across runs, so runs never collide). */
async function nextFreeId(primary: ClientConfig): Promise<number> {
  const rows = await queryOnce<{ m: string | null }>(primary, `SELECT max(id) AS m FROM ${TABLE}`);
  return Number(rows[0]?.m ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------
// Client side: closed-loop writers, timed

export interface WritersOptions {
  clients: number;
  /** Stop after this long (ms), or when `stop()` is called. */
  durationMs: number;
  synchronousCommit?: PgMode["synchronousCommit"];
  recorder: LabRecorder;
  /** First id to insert; ids increase across all writers. */
  firstId: number;
  /** A commit slower than this counts as a timeout (the connection is dropped and reopened). Default 10 s. */
  timeoutMs?: number;
  /** Reconnect after an error (default true); false: a writer stops at its first connection error. */
  reconnect?: boolean;
}

export interface WritersResult {
  /** Ids whose INSERT was acknowledged (commit returned ok), in acknowledgement order. */
  acked: number[];
  /** When each of them was acknowledged (ms on the recorder's clock). */
  ackedAtMs: number[];
  /** Ids whose INSERT returned an error or no answer: their outcome is unknown to the client. */
  failed: number[];
  /** Commit latencies (ms) of the acknowledged writes. */
  latencies: number[];
  /** Error messages seen, with counts. */
  errors: Record<string, number>;
  elapsedMs: number;
}

export interface Writers {
  /** Resolves when every writer has stopped. */
  done: Promise<WritersResult>;
  /** Asks the writers to stop after their current commit. */
  stop(): void;
}

/**
 * `clients` closed-loop writers, each on its own connection: INSERT one row, wait for the answer,
 * repeat. Every attempt is a `request` row and every answer a `response` (or `timeout`) row.
 */
export function startWriters(target: ClientConfig, options: WritersOptions): Writers {
  const rec = options.recorder;
  let stopped = false;
  let nextId = options.firstId;
  const result: WritersResult = { acked: [], ackedAtMs: [], failed: [], latencies: [], errors: {}, elapsedMs: 0 };
  const t0 = performance.now();
  const deadline = t0 + options.durationMs;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sessionOptions = options.synchronousCommit ? `-c synchronous_commit=${options.synchronousCommit}` : undefined;

  const writer = async (w: number) => {
    const name = `client${w + 1}`;
    let client: Client | null = null;
    while (!stopped && performance.now() < deadline) {
      if (client === null) {
        try {
          client = await connect({ ...target, options: sessionOptions, connectionTimeoutMillis: 2000 });
        } catch (err) {
          count(result.errors, short(err));
          if (options.reconnect === false) return;
          await sleep(50);
          continue;
        }
      }
      const id = nextId++;
      const op = rec.request(name, "write");
      const outcome = await withTimeout(client.query(`INSERT INTO ${TABLE} (id, client) VALUES ($1, $2)`, [id, w + 1]), timeoutMs);
      if (outcome.ok) {
        result.latencies.push(rec.response(op, "ok"));
        result.acked.push(id);
        result.ackedAtMs.push(rec.nowMs());
        continue;
      }
      result.failed.push(id);
      if (outcome.timedOut) rec.timeout(op);
      else rec.response(op, errorCode(outcome.error));
      count(result.errors, outcome.timedOut ? `no answer within ${timeoutMs} ms` : short(outcome.error));
      hardClose(client);
      client = null;
      if (options.reconnect === false) return;
    }
    if (client) await endQuietly(client);
  };

  const done = Promise.all(Array.from({ length: options.clients }, (_, w) => writer(w))).then(() => {
    result.elapsedMs = performance.now() - t0;
    return result;
  });
  return { done, stop: () => { stopped = true; } };
}

/** The kit's error code for a PostgreSQL error (25006 = read-only transaction). */
export function errorCode(err: unknown): ErrorCode {
  const code = (err as { code?: string })?.code;
  if (code === "25006") return "read-only";
  return "timeout"; // connection refused or terminated, server shut down: no usable answer
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<{ ok: true; value: T } | { ok: false; timedOut: boolean; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ ok: false; timedOut: true }>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, timedOut: true }), ms);
  });
  try {
    return await Promise.race([p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, timedOut: false, error })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Drops a connection at once (a commit stuck waiting for a standby would make `end()` wait too). */
export function hardClose(client: Client): void {
  const stream = (client as unknown as { connection?: { stream?: net.Socket } }).connection?.stream;
  stream?.destroy();
}

async function endQuietly(client: Client): Promise<void> {
  await Promise.race([client.end().catch(() => undefined), sleep(1000)]);
  hardClose(client);
}

function short(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const message = (e?.message ?? String(err)).split("\n")[0];
  return e?.code && /^[0-9A-Z]{5}$/.test(e.code) ? `${e.code} ${message}` : message;
}

function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------
// Server side: pg_stat_replication sampled

export interface ReplicationSample {
  tMs: number;
  node: string;
  state: string;
  syncState: string;
  /** PostgreSQL's own lag measurements (ms): from the primary's local WAL flush to the standby's report. */
  writeLagMs: number | null;
  flushLagMs: number | null;
  replayLagMs: number | null;
  /** WAL bytes the standby has not replayed yet. */
  behindBytes: number | null;
}

/**
 * Polls `pg_stat_replication` on the primary every `intervalMs`: PostgreSQL's own lag measurements
 * per standby. They run from the primary's local WAL flush to the standby's REPLY saying it wrote,
 * flushed or replayed that WAL, so they include the way back and, for replay_lag, the wait for the
 * next reply (under async a standby reports replay progress only with its next write/flush reply).
 * That is what monitoring shows; the kit's "lag" (commit on the primary -> visible on the replica)
 * is measured by `VisibilityProbe`.
 */
export class ReplicationSampler {
  readonly samples: ReplicationSample[] = [];
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly primary: ClientConfig, private readonly recorder: LabRecorder, private readonly intervalMs = 20) {}

  async start(): Promise<void> {
    const client = await connect(this.primary);
    this.running = true;
    this.loop = (async () => {
      try {
        while (this.running) {
          await this.poll(client);
          await sleep(this.intervalMs);
        }
      } catch {
        // the primary went away (a failover experiment): stop sampling
      } finally {
        hardClose(client);
      }
    })();
  }

  private async poll(client: Client): Promise<void> {
    const rows = (await client.query(`SELECT application_name AS node, state, sync_state,
        extract(epoch FROM write_lag) * 1000 AS write_ms, extract(epoch FROM flush_lag) * 1000 AS flush_ms,
        extract(epoch FROM replay_lag) * 1000 AS replay_ms,
        pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS behind
      FROM pg_stat_replication`)).rows as { node: string; state: string; sync_state: string; write_ms: string | null; flush_ms: string | null; replay_ms: string | null; behind: number | null }[];
    const tUs = this.recorder.nowUs();
    for (const r of rows) {
      const s: ReplicationSample = {
        tMs: tUs / 1000, node: r.node, state: r.state, syncState: r.sync_state,
        writeLagMs: num(r.write_ms), flushLagMs: num(r.flush_ms), replayLagMs: num(r.replay_ms), behindBytes: r.behind,
      };
      this.samples.push(s);
    }
  }

  async stop(): Promise<ReplicationSample[]> {
    this.running = false;
    await this.loop;
    return this.samples;
  }

  /** Distinct measurements of one lag kind, per standby. */
  lags(kind: "writeLagMs" | "flushLagMs" | "replayLagMs"): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    const last = new Map<string, number | null>();
    for (const s of this.samples) {
      const v = s[kind];
      if (v !== null && last.get(s.node) !== v) (out[s.node] ??= []).push(v);
      last.set(s.node, v);
    }
    return out;
  }
}

/**
 * Replication lag as the kit defines it: from a commit on the primary to the moment a query on the
 * standby sees it. Every `intervalMs` the probe commits one row on the primary (synchronous_commit =
 * local, so the probe itself never waits for standbys), then asks each standby back to back
 * ("is row N there yet?") until it is. Lag = (midpoint of the last "no" and the first "yes" poll) -
 * (the commit's acknowledgement) + one client round trip; resolution about one round trip (0.1-0.3 ms
 * on loopback) for the first 5 ms, 1-2 ms beyond (polls are then spaced by a millisecond). Each
 * measurement is an `apply` row (lag in ms; behind = 0).
 */
export class VisibilityProbe {
  readonly samples: Record<string, number[]> = {};
  private running = false;
  private loop: Promise<void> | null = null;
  private rttMs = 0.3;

  constructor(
    private readonly primary: ClientConfig,
    private readonly standbys: { name: string; config: ClientConfig }[],
    private readonly recorder: LabRecorder,
    private readonly intervalMs = 25,
    /** The client round trip (ms), if already measured. */
    rttMs?: number,
  ) {
    if (rttMs !== undefined) this.rttMs = rttMs;
    this.measured = rttMs !== undefined;
  }

  private readonly measured: boolean;

  async start(): Promise<void> {
    if (!this.measured) this.rttMs = await roundTripMs(this.primary, 20);
    const writer = await connect({ ...this.primary, options: "-c synchronous_commit=local" });
    const readers = await Promise.all(this.standbys.map((s) => connect(s.config)));
    let id = (await writer.query(`SELECT coalesce(max(id), 0) AS m FROM ${PROBE_TABLE}`)).rows[0].m as string;
    let next = Number(id);
    this.running = true;
    this.loop = (async () => {
      try {
        while (this.running) {
          const started = performance.now();
          id = String(++next);
          await writer.query(`INSERT INTO ${PROBE_TABLE} (id) VALUES ($1)`, [id]);
          const ackedAt = performance.now();
          await Promise.all(readers.map((r, i) => this.poll(r, this.standbys[i].name, id, ackedAt)));
          await sleep(Math.max(0, this.intervalMs - (performance.now() - started)));
        }
      } catch {
        // the primary or a standby went away (failover): stop probing
      } finally {
        hardClose(writer);
        readers.forEach(hardClose);
      }
    })();
  }

  private async poll(reader: Client, name: string, id: string, ackedAt: number): Promise<void> {
    let lastNo = ackedAt;
    const deadline = ackedAt + 5000;
    while (this.running && performance.now() < deadline) {
      const sent = performance.now();
      const r = await reader.query(`SELECT 1 FROM ${PROBE_TABLE} WHERE id = $1`, [id]);
      if (r.rowCount === 0) {
        lastNo = sent;
        // Back to back for the first 5 ms (sub-millisecond resolution where lags usually are), then
        // about once a millisecond, so a standby that is far behind is not flooded with queries.
        if (performance.now() - ackedAt > 5) await sleep(1);
        continue;
      }
      const lag = Math.max(0, (lastNo + sent) / 2 - ackedAt + this.rttMs);
      (this.samples[name] ??= []).push(round(lag));
      this.recorder.apply(name, lag, 0, this.recorder.nowUs());
      return;
    }
  }

  async stop(): Promise<Record<string, number[]>> {
    this.running = false;
    await this.loop;
    return this.samples;
  }
}

function num(x: string | number | null): number | null {
  return x === null ? null : Number(x);
}

/** Round trip of `SELECT 1` from this client (ms), median of `n`: the client-server part of every commit. */
export async function roundTripMs(config: ClientConfig, n = 50): Promise<number> {
  const client = await connect(config);
  try {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await client.query("SELECT 1");
      times.push(performance.now() - t0);
    }
    return median(times) as number;
  } finally {
    await endQuietly(client);
  }
}

// ---------------------------------------------------------------------------------------------
// Experiment: commit latency and lag by mode, with and without a delayed link

export interface CommitLatencyOptions {
  /** Mode ids (PG_MODES on a lab cluster, SESSION_MODES on servers the user runs). */
  modes?: string[];
  /** One-way delays (ms) on s1's replication link to try; 0 = plain loopback (default [0]). */
  delaysMs?: number[];
  /** Which standbys get the delayed link (default ["s1"]). */
  delayed?: string[];
  /** Seconds of writing per mode and repeat (default 2). */
  seconds?: number;
  clients?: number;
  /** Every mode runs this many times, interleaved (loopback noise); medians are reported. */
  repeat?: number;
  log?: (line: string) => void;
}

export interface CommitRun {
  mode: PgMode;
  delayMs: number;
  repeat: number;
  commits: Stats;
  /** Acknowledged commits per second. */
  commitsPerSec: number;
  latencies: number[];
  /** The kit's lag per standby (ms): commit on the primary -> visible on the standby (`VisibilityProbe`). */
  visibilityLag: Record<string, number[]>;
  /** PostgreSQL's lag measurements per standby (ms, distinct samples; they include the reply's way back). */
  replayLag: Record<string, number[]>;
  flushLag: Record<string, number[]>;
  writeLag: Record<string, number[]>;
  run: RealRunData;
}

export interface CommitSummaryRow {
  mode: string;
  label: string;
  delayMs: number;
  /** Medians over the repeats. */
  p50: number | null;
  p99: number | null;
  commitsPerSec: number | null;
  /** Lag per standby over all repeats (ms): the kit's visibility lag, and PostgreSQL's replay_lag. */
  lag: Record<string, { p50: number | null; p99: number | null; max: number | null; replayP50: number | null; replayMax: number | null }>;
}

export interface CommitLatencyResult {
  version: string;
  /** Client-server round trip (SELECT 1), ms. */
  rttMs: number;
  clients: number;
  seconds: number;
  runs: CommitRun[];
  summary: CommitSummaryRow[];
}

/**
 * Commit latency and replication lag for each mode, each delay, `repeat` times (modes interleaved
 * so that drifting background load hits every mode alike). On a lab cluster the delayed standbys
 * stream through a `DelayProxy`; settings and upstreams are restored at the end.
 */
export async function commitLatency(target: PgTarget, options: CommitLatencyOptions = {}): Promise<CommitLatencyResult> {
  const lab = target.lab;
  const modes = (options.modes ?? (lab ? ["async", "first1", "first1-apply", "any1"] : ["local", "on", "remote_apply"])).map(pgMode);
  const delays = options.delaysMs ?? [0];
  const delayed = options.delayed ?? ["s1"];
  const seconds = options.seconds ?? 2;
  const clients = options.clients ?? 4;
  const repeat = options.repeat ?? 1;
  const log = options.log ?? (() => undefined);
  if (!lab && (delays.some((d) => d > 0) || modes.some((m) => !(m.id in SESSION_MODES)))) {
    throw new Error(`on servers the lab does not manage, only session-level modes (${Object.keys(SESSION_MODES).join(", ")}) and no delayed link: nothing on the server is changed`);
  }
  const version = String((await queryOnce<{ v: string }>(target.primary, "SELECT version() AS v"))[0].v).split(" on ")[0];
  await ensureTable(target.primary);
  await waitStandbysHaveTable(target);
  const rttMs = await roundTripMs(target.primary);
  const proxies = new Map<string, DelayProxy>();
  const runs: CommitRun[] = [];
  try {
    for (const delayMs of delays) {
      if (lab) await routeStandbys(lab, delayed, delayMs, proxies);
      for (let r = 0; r < repeat; r++) {
        for (const mode of modes) {
          if (lab) await lab.setSyncStandbys(mode.standbyNames);
          const run = await oneCommitRun(target, mode, delayMs, r, seconds, clients, rttMs);
          runs.push(run);
          log(`${mode.label.padEnd(30)} delay ${String(delayMs).padStart(3)} ms  #${r + 1}: ${run.commits.count} commits, p50 ${run.commits.p50} ms, p99 ${run.commits.p99} ms`);
        }
      }
    }
  } finally {
    if (lab) {
      await lab.setSyncStandbys("").catch(() => undefined);
      for (const name of proxies.keys()) await lab.setUpstream(name, null).catch(() => undefined);
    }
    for (const p of proxies.values()) await p.close();
  }
  return { version, rttMs: round(rttMs), clients, seconds, runs, summary: summarizeCommitRuns(runs) };
}

/** Routes `names` through delay proxies (delay > 0) or straight to the primary (delay 0). */
async function routeStandbys(lab: PgLab, names: string[], delayMs: number, proxies: Map<string, DelayProxy>): Promise<void> {
  for (const name of names) {
    let proxy = proxies.get(name);
    if (delayMs === 0) {
      if (proxy) {
        await lab.setUpstream(name, null);
        await proxy.close();
        proxies.delete(name);
      }
      continue;
    }
    if (!proxy) {
      proxy = await DelayProxy.start({ targetPort: lab.node("primary").port, delayMs });
      proxies.set(name, proxy);
      await lab.setUpstream(name, proxy.port);
    }
    proxy.setDelay(delayMs);
  }
}

async function oneCommitRun(target: PgTarget, mode: PgMode, delayMs: number, repeat: number, seconds: number, clients: number, rttMs: number): Promise<CommitRun> {
  const nodes = ["primary", ...target.standbys.map((s) => s.name)];
  const rec = new LabRecorder(nodes);
  const sampler = new ReplicationSampler(target.primary, rec);
  const probe = new VisibilityProbe(target.primary, target.standbys, rec, 25, rttMs);
  await sampler.start();
  await probe.start();
  const writers = startWriters(target.primary, {
    clients, durationMs: seconds * 1000, synchronousCommit: mode.synchronousCommit, recorder: rec, firstId: await nextFreeId(target.primary),
  });
  const w = await writers.done;
  await probe.stop();
  await sleep(100); // the last replies reach pg_stat_replication
  await sampler.stop();
  const name = `postgres ${mode.label}${delayMs > 0 ? `, s1 link +${delayMs} ms` : ""}`;
  return {
    mode, delayMs, repeat,
    commits: stats(w.latencies),
    commitsPerSec: round(w.acked.length / (w.elapsedMs / 1000), 1),
    latencies: w.latencies,
    visibilityLag: probe.samples,
    replayLag: sampler.lags("replayLagMs"),
    flushLag: sampler.lags("flushLagMs"),
    writeLag: sampler.lags("writeLagMs"),
    run: rec.chartData(name, 100),
  };
}

export function summarizeCommitRuns(runs: readonly CommitRun[]): CommitSummaryRow[] {
  const rows: CommitSummaryRow[] = [];
  const keys = [...new Set(runs.map((r) => `${r.mode.id}|${r.delayMs}`))];
  for (const key of keys) {
    const group = runs.filter((r) => `${r.mode.id}|${r.delayMs}` === key);
    const lag: CommitSummaryRow["lag"] = {};
    for (const node of [...new Set(group.flatMap((r) => [...Object.keys(r.visibilityLag), ...Object.keys(r.replayLag)]))].sort()) {
      const v = stats(group.flatMap((r) => r.visibilityLag[node] ?? []));
      const p = stats(group.flatMap((r) => r.replayLag[node] ?? []));
      lag[node] = { p50: v.p50, p99: v.p99, max: v.max, replayP50: p.p50, replayMax: p.max };
    }
    rows.push({
      mode: group[0].mode.id, label: group[0].mode.label, delayMs: group[0].delayMs,
      p50: median(group.map((r) => r.commits.p50)), p99: median(group.map((r) => r.commits.p99)),
      commitsPerSec: median(group.map((r) => r.commitsPerSec)), lag,
    });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Experiment: failover data loss

export interface FailoverOptions extends Pick<PgLabOptions, "dir" | "log"> {
  /** Mode id from PG_MODES (default "async"). */
  mode?: string;
  /** One-way delay (ms) on the delayed standbys' links (default 100). */
  delayMs?: number;
  /** Standbys behind the delay proxy (default ["s1"]). */
  delayed?: string[];
  /** Cut the delayed links (nothing gets through) this long before the kill (default: never cut). */
  cutMs?: number;
  /** The standby to promote (default "s1"). */
  promote?: string;
  clients?: number;
  /** How long clients write before the primary is killed (ms, default 2000). */
  writeMs?: number;
  /** Port of this experiment's own primary (default 25442; standbys +1, +2). */
  port?: number;
  /** Keep the cluster running after the experiment (default: stop it and remove its data). */
  keep?: boolean;
  /**
   * WAL already "on the delayed link" when the primary dies: "lost" (default: the delay stands for
   * queues inside the dying host, as in the simulator, where a message in flight when its sender
   * crashes is dropped) or "delivered" (bytes on the wire still arrive; then what is lost depends
   * on whether the standby is promoted before they do).
   */
  inFlight?: "lost" | "delivered";
  /** How the experiment's standbys are seeded (default "copy": a cold copy, faster; see PgLabOptions.seed). */
  seed?: PgLabOptions["seed"];
}

export interface FailoverResult {
  mode: PgMode;
  delayMs: number;
  cutMs: number | null;
  delayed: string[];
  promoted: string;
  /** Writing clients (closed loop). */
  clients: number;
  /** Writes acknowledged to their client before the crash. */
  acknowledged: number;
  /** Writes whose client got an error or no answer. */
  failed: number;
  /** Acknowledged writes missing on the promoted standby: lost for good. */
  lost: number;
  lostIds: number[];
  /** Rows present on the promoted standby although their client got an error: committed, never acknowledged. */
  committedUnacknowledged: number;
  committedUnacknowledgedIds: number[];
  /** For every standby: acknowledged writes it did not have (what promoting it would have lost). */
  missingByStandby: Record<string, number>;
  /** The raw material: ids the clients were told were committed, ids that got an error, ids each standby holds. */
  ackedIds: number[];
  failedIds: number[];
  presentOn: Record<string, number[]>;
  /** Acknowledged writes per second in the last second before the crash. */
  writesPerSec: number;
  /** Time from the kill to pg_promote() returning (ms). */
  promoteMs: number;
  /** Time (ms since start) of the kill. */
  killAtMs: number;
  /** Each standby's lag (ms, median of its last probes) just before the kill. */
  lagBeforeKill: Record<string, number | null>;
  run: RealRunData;
  /** Lines describing what happened. */
  notes: string[];
}

/**
 * The failover experiment, on a cluster of its own (created fresh, removed after): clients write
 * through the chosen mode while the delayed standbys stream through a delay proxy; the primary is
 * killed with SIGKILL; the chosen standby is promoted at once (as an automatic failover would);
 * then every standby's rows are compared with what the clients were told.
 */
export async function failover(options: FailoverOptions = {}): Promise<FailoverResult> {
  const mode = pgMode(options.mode ?? "async");
  if (!(mode.id in PG_MODES)) throw new RangeError(`failover needs a lab mode (${Object.keys(PG_MODES).join(", ")})`);
  const delayMs = options.delayMs ?? 100;
  const delayed = options.delayed ?? ["s1"];
  const promoteName = options.promote ?? "s1";
  const clients = options.clients ?? 8;
  const writeMs = options.writeMs ?? 2000;
  const log = options.log ?? (() => undefined);
  const inFlight = options.inFlight ?? "lost";
  const lab = await PgLab.fresh({ dir: options.dir, name: "postgres-failover", port: options.port ?? 25442, seed: options.seed ?? "copy", log });
  const stopWatchdog = startWatchdog(lab.clusterDir);
  const proxies: DelayProxy[] = [];
  const notes: string[] = [];
  try {
    lab.node(promoteName);
    await ensureTable(lab.config("primary"));
    for (const name of delayed) {
      const p = await DelayProxy.start({ targetPort: lab.node("primary").port, delayMs });
      proxies.push(p);
      await lab.setUpstream(name, p.port);
    }
    await lab.setSyncStandbys(mode.standbyNames);
    const standbys = lab.nodes.filter((n) => n.role === "standby").map((n) => n.name);
    const rec = new LabRecorder(["primary", ...standbys]);
    const sampler = new ReplicationSampler(lab.config("primary"), rec);
    const probe = new VisibilityProbe(lab.config("primary"), standbys.map((n) => ({ name: n, config: lab.config(n) })), rec);
    await waitStandbysHaveTable(labTarget(lab));
    await sampler.start();
    await probe.start();
    const delayFault = delayed.map((name) => ({ name, id: rec.faultStart("slow", name) }));
    const writers = startWriters(lab.config("primary"), {
      clients, durationMs: writeMs + 60_000, synchronousCommit: mode.synchronousCommit, recorder: rec, firstId: 1, reconnect: false, timeoutMs: 60_000,
    });
    let cutFault: { id: number }[] = [];
    if (options.cutMs !== undefined) {
      await sleep(Math.max(0, writeMs - options.cutMs));
      for (const p of proxies) p.hold();
      cutFault = delayed.map((name) => ({ id: rec.faultStart("cut", name) }));
      await sleep(Math.min(writeMs, options.cutMs));
    } else {
      await sleep(writeMs);
    }
    const lagBeforeKill = Object.fromEntries(Object.entries(probe.samples).map(([n, v]) => [n, stats(v.slice(-10)).p50]));
    const killAtMs = rec.nowMs();
    let discarded: { up: number; down: number }[] = [];
    await lab.kill("primary", () => {
      if (inFlight === "lost") discarded = proxies.map((p) => p.discardQueued());
    });
    rec.crash("primary");
    const crashFault = rec.faultStart("crash", "primary");
    const promoteMs = await lab.promote(promoteName);
    rec.promote(promoteName, 2);
    writers.stop();
    const w = await writers.done;
    await probe.stop();
    await sampler.stop();
    rec.faultEnd(crashFault, "crash", "primary");
    for (const f of delayFault) rec.faultEnd(f.id, "slow", f.name);
    cutFault.forEach((f, i) => rec.faultEnd(f.id, "cut", delayed[i]));
    for (const p of proxies) p.release();

    // What each standby has: the promoted one as the new primary, the others once they replayed all they received.
    const present: Record<string, Set<number>> = {};
    for (const name of standbys) {
      if (name !== promoteName) await waitReplayed(lab.config(name));
      const rows = await queryOnce<{ id: string }>(lab.config(name), `SELECT id FROM ${TABLE}`);
      present[name] = new Set(rows.map((r) => Number(r.id)));
    }
    const acked = w.acked;
    const missingByStandby = Object.fromEntries(standbys.map((s) => [s, acked.filter((id) => !present[s].has(id)).length]));
    const lostIds = acked.filter((id) => !present[promoteName].has(id));
    const unacked = w.failed.filter((id) => present[promoteName].has(id));
    const ackedBeforeKill = acked.length;
    notes.push(`${ackedBeforeKill} writes acknowledged in ${(killAtMs / 1000).toFixed(2)} s, ${w.failed.length} got an error at the crash (${Object.keys(w.errors).slice(0, 2).join("; ")})`);
    notes.push(`primary killed (SIGKILL) at ${(killAtMs / 1000).toFixed(2)} s; ${promoteName} promoted ${promoteMs.toFixed(0)} ms later`);
    notes.push(`lag just before the kill (median of the last probes): ${Object.entries(lagBeforeKill).map(([n, v]) => `${n} ${v} ms`).join(", ")}`);
    if (discarded.length > 0) notes.push(`in flight on the delayed link${delayed.length > 1 ? "s" : ""} and lost with the primary: ${discarded.map((d) => `${d.down} bytes of WAL`).join(", ")}`);
    else if (inFlight === "delivered") notes.push("bytes already on the delayed link were still delivered after the kill");
    return {
      mode, delayMs, cutMs: options.cutMs ?? null, delayed, promoted: promoteName, clients,
      acknowledged: ackedBeforeKill, failed: w.failed.length,
      lost: lostIds.length, lostIds: lostIds.slice(0, 1000),
      committedUnacknowledged: unacked.length, committedUnacknowledgedIds: unacked,
      missingByStandby,
      ackedIds: acked, failedIds: w.failed,
      presentOn: Object.fromEntries(Object.entries(present).map(([n, set]) => [n, [...set].sort((a, b) => a - b)])),
      writesPerSec: w.ackedAtMs.filter((t) => t >= killAtMs - 1000 && t < killAtMs).length,
      promoteMs: round(promoteMs, 1), killAtMs: round(killAtMs, 1), lagBeforeKill,
      run: rec.chartData(`postgres failover, ${mode.label}, ${options.cutMs !== undefined ? `link cut ${options.cutMs} ms before` : `+${delayMs} ms`} on ${delayed.join(", ")}, promote ${promoteName}`, 100),
      notes,
    };
  } finally {
    for (const p of proxies) await p.close();
    if (!options.keep) await lab.down();
    stopWatchdog();
  }
}

/** Waits until every standby sees the experiments' tables (created on the primary just before). */
async function waitStandbysHaveTable(target: PgTarget): Promise<void> {
  for (const s of target.standbys) {
    await waitFor(async () => (await queryOnce<{ ok: boolean }>(s.config, `SELECT to_regclass('${PROBE_TABLE}') IS NOT NULL AS ok`))[0].ok, 10_000);
  }
}

/** Waits until a standby has replayed everything it received (and nothing more arrives for 200 ms). */
async function waitReplayed(config: ClientConfig, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  let stableSince = Date.now();
  for (;;) {
    const r = (await queryOnce<{ rcv: string | null; rpl: string | null }>(config, "SELECT pg_last_wal_receive_lsn()::text AS rcv, pg_last_wal_replay_lsn()::text AS rpl"))[0];
    const now = `${r.rcv}/${r.rpl}`;
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
    if ((r.rcv === null || r.rcv === r.rpl) && Date.now() - stableSince >= 200) return;
    if (Date.now() > deadline) return;
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------
// Experiment: a write sent to a standby

export interface StandbyWriteResult {
  standby: string;
  /** SQLSTATE of the refusal ("25006"), or null if the write went through (it was no standby). */
  sqlstate: string | null;
  message: string;
  /** The same standby still answers reads. */
  readOk: boolean;
  /** Rows of the experiments' table the standby shows. */
  rowsVisible: number;
  run: RealRunData;
}

/** Sends one INSERT to a standby (refused: read-only) and one read (answered). */
export async function standbyWrite(target: PgTarget, standby?: string): Promise<StandbyWriteResult> {
  const s = standby === undefined ? target.standbys[0] : target.standbys.find((x) => x.name === standby);
  if (!s) throw new Error(standby === undefined ? "no standby given" : `no standby "${standby}"`);
  await ensureTable(target.primary);
  const rec = new LabRecorder(["primary", s.name]);
  const client = await connectEventually(s.config, 5000);
  try {
    await waitFor(async () => ((await client.query(`SELECT to_regclass('${TABLE}') IS NOT NULL AS ok`)).rows[0] as { ok: boolean }).ok, 10_000);
    const op = rec.request("client1", "write");
    let sqlstate: string | null = null;
    let message = "INSERT succeeded: this server is not a standby";
    try {
      await client.query(`INSERT INTO ${TABLE} (id, client) VALUES ($1, 0)`, [-Date.now()]);
      rec.response(op, "ok");
    } catch (err) {
      sqlstate = (err as { code?: string }).code ?? null;
      message = (err as Error).message;
      rec.reject(s.name, op, errorCode(err));
      rec.response(op, errorCode(err));
    }
    const rop = rec.request("client1", "read");
    let readOk = false;
    let rowsVisible = 0;
    try {
      rowsVisible = Number(((await client.query(`SELECT count(*) AS n FROM ${TABLE}`)).rows[0] as { n: string }).n);
      readOk = true;
      rec.response(rop, "ok");
    } catch (err) {
      rec.response(rop, errorCode(err));
    }
    return { standby: s.name, sqlstate, message, readOk, rowsVisible, run: rec.chartData(`postgres write to standby ${s.name}`, 10) };
  } finally {
    await endQuietly(client);
  }
}

async function waitFor(test: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await sleep(20);
  }
}

async function connectEventually(config: ClientConfig, timeoutMs: number): Promise<Client> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await connect(config);
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}
