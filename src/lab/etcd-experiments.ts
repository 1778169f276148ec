/**
 * Experiments on a real etcd cluster (Raft), recorded as the kit's metric events:
 *
 * - `leaderLoss`: clients write while the leader is killed (SIGKILL); how long until a new leader
 *   is elected, and until writes succeed again; then the old leader is restarted and rejoins;
 * - `partition`: one member is cut off from the other two (a minority of one): the majority keeps
 *   writing; on the minority, writes and linearizable reads fail, serializable reads answer with
 *   stale data, `status` says "no leader"; then the partition heals.
 */
import { EtcdGateway, EtcdLab, type EtcdLabOptions } from "./etcd";
import { sleep, startWatchdog } from "./process";
import { LabRecorder, type RealRunData } from "./recorder";
import { median, round, stats, type Stats } from "./stats";

interface EtcdWritersOptions {
  recorder: LabRecorder;
  /** Client names and the endpoints each may use, in order of preference. */
  clients: { name: string; endpoints: string[] }[];
  /** A put without an answer within this long is abandoned and retried elsewhere (ms). */
  timeoutMs: number;
  key?: string;
}

interface EtcdWriteLog {
  /** [issuedAtMs, completedAtMs, ok] per put. */
  puts: [number, number, boolean][];
  latencies: number[];
  errors: Record<string, number>;
}

/**
 * Closed-loop clients putting `key` over the JSON gateway; after an error or a timeout a client
 * moves on to its next endpoint, as etcd's own client balancer does.
 */
function startEtcdWriters(o: EtcdWritersOptions): { stop: () => void; done: Promise<EtcdWriteLog>; log: EtcdWriteLog } {
  let stopped = false;
  const log: EtcdWriteLog = { puts: [], latencies: [], errors: {} };
  let n = 0;
  const one = async (c: { name: string; endpoints: string[] }) => {
    let e = 0;
    while (!stopped) {
      const gw = new EtcdGateway(c.endpoints[e % c.endpoints.length]);
      const issued = o.recorder.nowMs();
      const op = o.recorder.request(c.name, "write");
      const r = await gw.put(o.key ?? "lab/key", `v${++n}`, o.timeoutMs);
      const done = o.recorder.nowMs();
      log.puts.push([issued, done, r.ok]);
      if (r.ok) {
        log.latencies.push(o.recorder.response(op, "ok"));
        continue;
      }
      if (r.error.startsWith("no answer")) o.recorder.timeout(op);
      else o.recorder.response(op, "timeout");
      log.errors[r.error] = (log.errors[r.error] ?? 0) + 1;
      e++;
      if (!r.error.startsWith("no answer")) await sleep(20); // a refused connection fails at once: do not spin
    }
  };
  const done = Promise.all(o.clients.map(one)).then(() => log);
  return { stop: () => { stopped = true; }, done, log };
}

export interface LeaderLossOptions {
  clients?: number;
  /** Writing before the kill (ms, default 1000). */
  beforeMs?: number;
  /** Writing after writes resumed (ms, default 1000). */
  afterMs?: number;
  /** Client-side timeout of a put (ms, default 1000). */
  timeoutMs?: number;
  /** Runs (the killed leader is restarted between runs). */
  repeat?: number;
  log?: (line: string) => void;
}

export interface LeaderLossRun {
  killed: string;
  newLeader: string | null;
  /** Kill -> a surviving member reports a new leader (ms). */
  electionMs: number | null;
  /** Kill -> first successful put among those issued after the kill (ms). */
  writesResumeMs: number | null;
  /** Puts that failed or timed out. */
  failedPuts: number;
  /** Put latency before the kill. */
  puts: Stats;
  latencies: number[];
  errors: Record<string, number>;
  run: RealRunData;
}

export interface LeaderLossResult {
  version: string;
  heartbeatMs: number;
  electionTimeoutMs: number;
  runs: LeaderLossRun[];
  electionMs: { median: number | null; all: (number | null)[] };
  writesResumeMs: { median: number | null; all: (number | null)[] };
}

/** Kills the leader while clients write, `repeat` times (restarting it in between). */
export async function leaderLoss(lab: EtcdLab, options: LeaderLossOptions = {}): Promise<LeaderLossResult> {
  const runs: LeaderLossRun[] = [];
  for (let r = 0; r < (options.repeat ?? 1); r++) {
    runs.push(await oneLeaderLoss(lab, options));
    const last = runs[runs.length - 1];
    options.log?.(`leader ${last.killed} killed: new leader ${last.newLeader} after ${last.electionMs?.toFixed(0)} ms, writes resumed after ${last.writesResumeMs?.toFixed(0)} ms (${last.failedPuts} puts failed)`);
  }
  return {
    version: lab.version, heartbeatMs: lab.heartbeatMs, electionTimeoutMs: lab.electionMs, runs,
    electionMs: { median: median(runs.map((x) => x.electionMs)), all: runs.map((x) => x.electionMs) },
    writesResumeMs: { median: median(runs.map((x) => x.writesResumeMs)), all: runs.map((x) => x.writesResumeMs) },
  };
}

async function oneLeaderLoss(lab: EtcdLab, options: LeaderLossOptions): Promise<LeaderLossRun> {
  const names = lab.members.map((m) => m.name);
  await lab.waitLeader(15_000, names);
  const rec = new LabRecorder(names);
  const clients = Array.from({ length: options.clients ?? 4 }, (_, i) => ({
    name: `client${i + 1}`, endpoints: names.map((_, k) => lab.endpoint(names[(i + k) % names.length])),
  }));
  const writers = startEtcdWriters({ recorder: rec, clients, timeoutMs: options.timeoutMs ?? 1000 });
  await sleep(options.beforeMs ?? 1000);
  const killed = await lab.leader();
  if (killed === null) throw new Error("no leader to kill");
  const oldStatus = await lab.gateway(killed).status();
  const oldLeaderId = oldStatus.ok ? oldStatus.value.memberId : "";
  const survivors = names.filter((n) => n !== killed);
  const killAt = rec.nowMs();
  await lab.kill(killed);
  rec.crash(killed);
  const fault = rec.faultStart("crash", killed);
  // Watch the survivors for a new leader, every 10 ms.
  let electedAt: number | null = null;
  let newLeader: string | null = null;
  const deadline = killAt + 30_000;
  while (electedAt === null && rec.nowMs() < deadline) {
    const st = await Promise.all(survivors.map((n) => lab.gateway(n).status(300)));
    for (const s of st) {
      if (s.ok && s.value.leader !== "0" && s.value.leader !== oldLeaderId) {
        electedAt = rec.nowMs();
        newLeader = lab.nameOf(s.value.leader);
        rec.promote(newLeader, s.value.raftTerm);
        break;
      }
    }
    if (electedAt === null) await sleep(10);
  }
  // Writes resume: wait for the first ok put issued after the kill, then keep writing a little.
  const w0 = rec.nowMs();
  let resumedAt: number | null = null;
  while (resumedAt === null && rec.nowMs() - w0 < 20_000) {
    await sleep(20);
    const first = writers.log.puts.find(([issued, , ok]) => ok && issued >= killAt);
    if (first) resumedAt = first[1];
  }
  await sleep(options.afterMs ?? 1000);
  writers.stop();
  const log = await writers.done;
  rec.faultEnd(fault, "crash", killed);
  await lab.restart(killed);
  rec.recover(killed);
  const before = log.puts.filter(([, done, ok]) => ok && done < killAt).map(([i, d]) => d - i);
  return {
    killed, newLeader,
    electionMs: electedAt === null ? null : round(electedAt - killAt, 1),
    writesResumeMs: resumedAt === null ? null : round(resumedAt - killAt, 1),
    failedPuts: log.puts.filter(([, , ok]) => !ok).length,
    puts: stats(before), latencies: before, errors: log.errors,
    run: rec.chartData(`etcd ${lab.version}, leader ${killed} killed`, 100),
  };
}

export interface PartitionOptions extends Pick<EtcdLabOptions, "dir" | "log" | "heartbeatMs" | "electionMs"> {
  /** Client port of this experiment's own cluster (default 23830; peers +10, proxies +20). */
  port?: number;
  /** How long the minority stays cut off (ms, default 4000). */
  partitionMs?: number;
  /** Client-side timeout of each request (ms, default 2000). */
  timeoutMs?: number;
}

export interface PartitionResult {
  version: string;
  minority: string;
  majority: string[];
  leaderBefore: string;
  leaderAfter: string | null;
  /** The value acknowledged last (written on the majority during the partition). */
  acknowledged: string;
  /** Serializable read on the minority during the partition: answered locally, stale. */
  serializableRead: { ok: boolean; value: string | null; error?: string; ms: number };
  /** Linearizable read on the minority: needs the leader, so it fails. */
  linearizableRead: { ok: boolean; value: string | null; error?: string; ms: number };
  /** A write on the minority. */
  minorityWrite: { ok: boolean; error?: string; ms: number };
  /** What the minority's status says about the leader at the end of the partition ("" = no leader). */
  minorityLeader: string;
  /** Partition -> the minority's status first says "no leader" (ms; null if it never did). */
  noLeaderAfterMs: number | null;
  /** Puts acknowledged on the majority during the partition. */
  majorityPuts: number;
  /** Heal -> a linearizable read on the former minority returns the acknowledged value (ms). */
  healMs: number | null;
  /** Linearizable read on the former minority after the heal. */
  readAfterHeal: string | null;
  run: { majority: RealRunData; minority: RealRunData };
}

/**
 * A minority of one, on a cluster of its own (partitionable, removed after): the value written on
 * the majority during the partition is acknowledged, yet the minority's serializable read still
 * returns the old one.
 */
export async function partition(options: PartitionOptions = {}): Promise<PartitionResult> {
  const lab = await EtcdLab.fresh({ dir: options.dir, name: "etcd-partition", port: options.port ?? 23830, partitionable: true, log: options.log, heartbeatMs: options.heartbeatMs, electionMs: options.electionMs });
  const timeoutMs = options.timeoutMs ?? 2000;
  const stopWatchdog = startWatchdog(lab.clusterDir);
  try {
    const names = lab.members.map((m) => m.name);
    const leaderBefore = await lab.waitLeader(15_000, names);
    const minority = names.filter((n) => n !== leaderBefore)[1];
    const majority = names.filter((n) => n !== minority);
    const key = "lab/partition";
    const recMaj = new LabRecorder(names);
    const recMin = new LabRecorder(names, (recMaj as unknown as { t0: number }).t0);
    const first = await lab.gateway(leaderBefore).put(key, "before");
    if (!first.ok) throw new Error(`put before the partition failed: ${first.error}`);
    const g = lab.gateway(minority);
    for (let i = 0; i < 100; i++) {
      const r = await g.get(key, { serializable: true });
      if (r.ok && r.value.value === "before") break;
      await sleep(20);
    }
    const majW = startEtcdWriters({ recorder: recMaj, clients: majority.map((n, i) => ({ name: `majority-client${i + 1}`, endpoints: [lab.endpoint(n)] })), timeoutMs, key: "lab/majority" });
    const minW = startEtcdWriters({ recorder: recMin, clients: [{ name: "minority-client", endpoints: [lab.endpoint(minority)] }], timeoutMs, key: "lab/minority" });
    await sleep(500);
    await lab.partition([[minority]]);
    const fMaj = recMaj.faultStart("partition", minority);
    const fMin = recMin.faultStart("partition", minority);
    const t0 = recMaj.nowMs();
    // Watch what the minority believes about the leader, until it says "none".
    let noLeaderAtMs: number | null = null;
    let watching = true;
    const watcher = (async () => {
      while (watching && noLeaderAtMs === null) {
        const st = await g.status(500);
        if (st.ok && st.value.leader === "0") noLeaderAtMs = recMaj.nowMs();
        else await sleep(25);
      }
    })();
    const ack = await lab.gateway(majority[0]).put(key, "during", timeoutMs * 2);
    const acknowledged = ack.ok ? "during" : "before";
    const sr = await g.get(key, { serializable: true, timeoutMs });
    const lr = await g.get(key, { timeoutMs });
    const mw = await g.put(key, "minority", timeoutMs);
    await sleep(Math.max(0, (options.partitionMs ?? 4000) - (recMaj.nowMs() - t0)));
    watching = false;
    await watcher;
    const st = await g.status(timeoutMs);
    const minorityLeader = st.ok ? lab.nameOf(st.value.leader) : `? (${st.error})`;
    lab.heal();
    const healAt = recMaj.nowMs();
    recMaj.faultEnd(fMaj, "partition", minority);
    recMin.faultEnd(fMin, "partition", minority);
    let healMs: number | null = null;
    let readAfterHeal: string | null = null;
    while (recMaj.nowMs() - healAt < 20_000) {
      const r = await g.get(key, { timeoutMs: 1000 });
      if (r.ok && r.value.value === acknowledged) {
        healMs = round(recMaj.nowMs() - healAt, 1);
        readAfterHeal = r.value.value;
        break;
      }
      await sleep(20);
    }
    await sleep(500);
    majW.stop();
    minW.stop();
    const majLog = await majW.done;
    await minW.done;
    const leaderAfter = await lab.leader();
    return {
      version: lab.version, minority, majority, leaderBefore, leaderAfter, acknowledged,
      serializableRead: { ok: sr.ok, value: sr.ok ? sr.value.value : null, error: sr.ok ? undefined : sr.error, ms: round(sr.ms, 1) },
      linearizableRead: { ok: lr.ok, value: lr.ok ? lr.value.value : null, error: lr.ok ? undefined : lr.error, ms: round(lr.ms, 1) },
      minorityWrite: { ok: mw.ok, error: mw.ok ? undefined : mw.error, ms: round(mw.ms, 1) },
      minorityLeader, noLeaderAfterMs: noLeaderAtMs === null ? null : round((noLeaderAtMs as number) - t0, 1),
      majorityPuts: majLog.puts.filter(([issued, , ok]) => ok && issued >= t0 && issued < healAt).length,
      healMs, readAfterHeal,
      run: { majority: recMaj.chartData(`etcd partition: clients of the majority (${majority.join(", ")})`, 100), minority: recMin.chartData(`etcd partition: client of the minority (${minority})`, 100) },
    };
  } finally {
    await lab.down();
    stopWatchdog();
  }
}
