/**
 * `replicalab lab ...`: the real-systems lab from a terminal.
 *
 * Exit codes: 0 done, 1 an experiment or a server failed, 2 bad arguments (one line on stderr),
 * 4 the lab's binaries are not installed (the line says exactly what to install).
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { chartHtml, plotlyScriptHtml } from "../charts/display";
import { availabilityChart } from "../charts/availability";
import { lagChart } from "../charts/lag";
import { latencyCdfComparisonChart } from "../charts/latency-comparison";
import type { Figure } from "../charts/types";
import { Exit, UsageError, type CommandIO } from "../cli/io";
import { LabUnavailableError } from "./common";
import { EtcdGateway, EtcdLab } from "./etcd";
import { leaderLoss, partition } from "./etcd-experiments";
import {
  commitLatency, externalTarget, failover, labTarget, PG_MODES, SESSION_MODES, standbyWrite, type PgTarget,
} from "./pg-experiments";
import { nodeStatus, PgLab } from "./postgres";
import { realTimeAxis } from "./recorder";
import { compareCommitLatency, compareFailover, compareLeaderLoss, comparisonTable, type ComparisonRow } from "./sim-compare";
import { ms } from "./stats";
import { findEtcd, findPostgres, unavailableMessage } from "./tools";

export const LAB_UNAVAILABLE = 4;

export const LAB_USAGE = `usage:
  replicalab lab check                         which lab binaries are installed (and what to install)
  replicalab lab postgres up [--port 25432] [--standbys 2] [--seed basebackup|copy]
  replicalab lab postgres down [--keep-data]
  replicalab lab postgres status [--json] [--primary URL] [--standby URL]...
  replicalab lab postgres commit-latency [--modes async,first1,first1-apply,any1,any1-apply] [--delay-ms 0,10]
                                         [--seconds 2] [--clients 4] [--repeat 1] [--primary URL --standby URL...]
  replicalab lab postgres failover [--mode async|first1|first1-apply|any1|any1-apply] [--delay-ms 100] [--cut-ms N]
                                   [--promote s1] [--clients 8] [--write-ms 2000] [--in-flight lost|delivered]
  replicalab lab postgres standby-write [--standby-name s1] [--primary URL --standby URL]
  replicalab lab etcd up [--port 23790] [--heartbeat-ms 100] [--election-ms 1000]
  replicalab lab etcd down [--keep-data]
  replicalab lab etcd status [--json] [--endpoints URL,URL,...]
  replicalab lab etcd leader-loss [--repeat 1] [--clients 4] [--timeout-ms 1000]
  replicalab lab etcd partition [--partition-ms 4000]
  replicalab lab compare [--seconds 2] [--repeat 1]      simulator vs PostgreSQL and etcd, measured now
common options: --dir DIR (lab folder, default .lab), --json (machine-readable result), --html FILE (charts)
`;

const OPTIONS = {
  dir: { type: "string" }, json: { type: "boolean" }, html: { type: "string" }, help: { type: "boolean", short: "h" },
  port: { type: "string" }, standbys: { type: "string" }, seed: { type: "string" }, "keep-data": { type: "boolean" },
  primary: { type: "string" }, standby: { type: "string", multiple: true }, "standby-name": { type: "string" },
  modes: { type: "string" }, "delay-ms": { type: "string" }, seconds: { type: "string" }, clients: { type: "string" },
  repeat: { type: "string" }, mode: { type: "string" }, "cut-ms": { type: "string" }, promote: { type: "string" },
  "write-ms": { type: "string" }, "in-flight": { type: "string" },
  "heartbeat-ms": { type: "string" }, "election-ms": { type: "string" }, endpoints: { type: "string" },
  "timeout-ms": { type: "string" }, "partition-ms": { type: "string" },
} as const;

type Values = ReturnType<typeof parse>["values"];

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (see replicalab lab --help)`);
  }
}

/** Entry point of `replicalab lab`. */
export async function labCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parse(argv);
  if (values.help || positionals.length === 0) {
    io.stdout(LAB_USAGE);
    return positionals.length === 0 && !values.help ? Exit.BadInput : Exit.Ok;
  }
  const [system, action, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}" (see replicalab lab --help)`);
  const out = new Output(io, values.json === true);
  try {
    if (system === "check" && action === undefined) return check(out);
    if (system === "postgres") return await postgres(action, values, out);
    if (system === "etcd") return await etcd(action, values, out);
    if (system === "compare" && action === undefined) return await compare(values, out);
    throw new UsageError(`unknown lab command "${positionals.join(" ")}" (expected check, postgres, etcd or compare; see replicalab lab --help)`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof LabUnavailableError) {
      io.stderr(`replicalab lab: ${error.message}\n`);
      return LAB_UNAVAILABLE;
    }
    io.stderr(`replicalab lab: ${(error as Error).message.split("\n")[0]}\n`);
    return Exit.Invalid;
  }
}

class Output {
  constructor(private readonly io: CommandIO, readonly json: boolean) {}

  line(text: string): void {
    if (!this.json) this.io.stdout(text + "\n");
  }

  result(value: unknown): void {
    if (this.json) this.io.stdout(JSON.stringify(value, dropBulk, 2) + "\n");
  }

  table(rows: readonly ComparisonRow[]): void {
    this.line(comparisonTable(rows));
  }
}

/** JSON output keeps the numbers a person or a script reads, not every sample and chart series. */
function dropBulk(key: string, value: unknown): unknown {
  if (["run", "latencies", "samples", "simRuns", "pairs", "lostIds", "committedUnacknowledgedIds", "ackedIds", "failedIds", "presentOn", "visibilityLag", "replayLag", "flushLag", "writeLag"].includes(key)) return undefined;
  return value;
}

function check(out: Output): number {
  const pg = findPostgres();
  const etcd = findEtcd();
  out.line(pg.ok ? `postgres: ${pg.tools.version} (${pg.tools.bindir})` : `postgres: missing: ${unavailableMessage(pg)}`);
  out.line(etcd.ok ? `etcd:     ${etcd.tools.version} (${etcd.tools.etcd})` : `etcd:     missing: ${unavailableMessage(etcd)}`);
  out.result({ postgres: pg, etcd });
  return pg.ok && etcd.ok ? Exit.Ok : LAB_UNAVAILABLE;
}

function int(values: Values, name: keyof Values, fallback: number, min = 0): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || String(raw).trim() === "") throw new UsageError(`--${name} must be a number >= ${min}, got "${String(raw)}"`);
  return n;
}

function list(values: Values, name: keyof Values): string[] | undefined {
  const raw = values[name];
  return raw === undefined ? undefined : String(raw).split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function numbers(values: Values, name: keyof Values): number[] | undefined {
  const l = list(values, name);
  if (l === undefined) return undefined;
  return l.map((x) => {
    const n = Number(x);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} takes non-negative numbers, got "${x}"`);
    return n;
  });
}

function oneOf<T extends string>(values: Values, name: keyof Values, allowed: readonly T[], fallback: T): T {
  const raw = values[name];
  if (raw === undefined) return fallback;
  if (!allowed.includes(raw as T)) throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got "${String(raw)}"`);
  return raw as T;
}

const log = (out: Output) => (line: string) => out.line(`  ${line}`);

async function writeHtml(values: Values, title: string, figures: Figure[], out: Output): Promise<void> {
  if (values.html === undefined) return;
  const file = path.resolve(values.html);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const body = figures.map((f) => chartHtml(f)).join("\n");
  fs.writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${plotlyScriptHtml()}</head><body><h1>${title}</h1>\n${body}\n</body></html>\n`);
  out.line(`charts: ${file}`);
}

// ---------------------------------------------------------------------------------------------
// postgres

async function postgres(action: string | undefined, values: Values, out: Output): Promise<number> {
  const dir = values.dir;
  switch (action) {
    case "up": {
      const existing = PgLab.load({ dir });
      if (existing && existing.runningNodes().length > 0) {
        out.line(`already up: ${existing.nodes.map((n) => `${n.name} 127.0.0.1:${n.port}`).join(", ")}`);
        out.result({ alreadyUp: true, nodes: existing.nodes });
        return Exit.Ok;
      }
      const seed = oneOf(values, "seed", ["basebackup", "copy"] as const, "basebackup");
      const lab = await PgLab.up({ dir, port: int(values, "port", 25432, 1024), standbys: int(values, "standbys", 2, 1), seed, log: log(out) });
      for (const n of lab.nodes) out.line(`${n.name.padEnd(8)} ${lab.url(n.name)}   pid ${n.pid}   data ${path.relative(process.cwd(), n.dataDir)}`);
      out.line(`stop with: replicalab lab postgres down`);
      out.result({ version: lab.version, nodes: lab.nodes.map((n) => ({ ...n, url: lab.url(n.name) })) });
      return Exit.Ok;
    }
    case "down": {
      const lab = PgLab.load({ dir });
      if (!lab) {
        out.line("no lab PostgreSQL cluster here (nothing to stop)");
        out.result({ stopped: [] });
        return Exit.Ok;
      }
      const r = await lab.down({ keepData: values["keep-data"] === true });
      out.line(r.stopped.length === 0 ? "nothing was running" : `stopped ${r.stopped.map((s) => `${s.name} (pid ${s.pid}, ${s.how})`).join(", ")}`);
      if (r.leftoversKilled > 0) out.line(`killed ${r.leftoversKilled} leftover server process(es) of this lab`);
      if (r.busyPorts.length > 0) out.line(`warning: port(s) ${r.busyPorts.join(", ")} still in use`);
      out.line(r.removed ? "data removed" : `data kept in ${lab.clusterDir}`);
      out.result(r);
      return r.busyPorts.length > 0 ? Exit.Invalid : Exit.Ok;
    }
    case "status": {
      if (values.primary !== undefined || values.standby !== undefined) {
        const urls = [...(values.primary ? [["primary", values.primary]] : []), ...(values.standby ?? []).map((u, i) => [`standby${i + 1}`, u])];
        const st = await Promise.all(urls.map(([name, url]) => nodeStatus(name, { connectionString: url, connectionTimeoutMillis: 3000 }, null, true)));
        printPgStatus(st, out);
        out.result(st);
        return st.every((s) => s.role !== null) ? Exit.Ok : Exit.Invalid;
      }
      const lab = PgLab.load({ dir });
      if (!lab) {
        out.line("no lab PostgreSQL cluster here (start one with: replicalab lab postgres up)");
        out.result({ running: false, nodes: [] });
        return Exit.Ok;
      }
      const st = await lab.status();
      out.line(`PostgreSQL lab cluster in ${path.relative(process.cwd(), lab.clusterDir) || "."} (${lab.version})`);
      printPgStatus(st, out);
      out.result({ running: st.some((s) => s.running), nodes: st });
      return Exit.Ok;
    }
    case "commit-latency":
      return pgCommitLatency(values, out);
    case "failover":
      return pgFailover(values, out);
    case "standby-write":
      return pgStandbyWrite(values, out);
    default:
      throw new UsageError(`unknown postgres action "${action ?? ""}" (expected up, down, status, commit-latency, failover, standby-write)`);
  }
}

function printPgStatus(st: Awaited<ReturnType<PgLab["status"]>>, out: Output): void {
  for (const s of st) {
    const state = s.role ?? (s.running ? `running, not answering (${s.error ?? "?"})` : s.error ? `unreachable (${s.error})` : "stopped");
    out.line(`${s.name.padEnd(9)} :${String(s.port).padEnd(6)} ${s.pid === null ? "" : `pid ${s.pid} `}${state}`);
    for (const r of s.replication) out.line(`    -> ${r.application.padEnd(6)} ${r.state}, ${r.syncState}, replay lag ${ms(r.replayLagMs)}, ${r.behindBytes ?? "?"} bytes behind`);
  }
}

/** The lab cluster if it runs, else a temporary one (stopped at the end); or the user's servers. */
async function pgTarget(values: Values, out: Output): Promise<{ target: PgTarget; done: () => Promise<void> }> {
  if (values.primary !== undefined) return { target: externalTarget(values.primary, values.standby ?? []), done: async () => undefined };
  if (values.standby !== undefined) throw new UsageError("--standby needs --primary");
  const existing = PgLab.load({ dir: values.dir });
  if (existing && existing.runningNodes().length === existing.nodes.length) return { target: labTarget(existing), done: async () => undefined };
  if (existing && existing.runningNodes().length > 0) throw new Error("the lab cluster is only partly running (a failover?): `replicalab lab postgres down`, then up again");
  out.line("no lab cluster running: starting a temporary one (stopped at the end)");
  const lab = await PgLab.up({ dir: values.dir, log: log(out) });
  return { target: labTarget(lab), done: async () => void (await lab.down()) };
}

async function pgCommitLatency(values: Values, out: Output): Promise<number> {
  const modes = list(values, "modes");
  for (const m of modes ?? []) if (!(m in PG_MODES) && !(m in SESSION_MODES)) throw new UsageError(`unknown mode "${m}" (expected ${[...Object.keys(PG_MODES), ...Object.keys(SESSION_MODES)].join(", ")})`);
  const delaysMs = numbers(values, "delay-ms");
  const seconds = int(values, "seconds", 2, 0.2);
  const clients = int(values, "clients", 4, 1);
  const repeat = int(values, "repeat", 1, 1);
  const { target, done } = await pgTarget(values, out);
  try {
    const r = await commitLatency(target, { modes, delaysMs, seconds, clients, repeat, log: log(out) });
    out.line(`${r.version}; client round trip ${ms(r.rttMs)}; ${clients} clients, ${seconds} s per run, ${repeat} repeat(s); medians over repeats`);
    out.line(`${"mode".padEnd(30)} ${"s1 delay".padStart(8)} ${"p50".padStart(10)} ${"p99".padStart(10)} ${"commits/s".padStart(10)}   lag p50 / max per standby (commit -> visible)`);
    for (const s of r.summary) {
      const lag = Object.entries(s.lag).map(([n, l]) => `${n} ${ms(l.p50, 1)} / ${ms(l.max, 1)}`).join(", ");
      out.line(`${s.label.padEnd(30)} ${`${s.delayMs} ms`.padStart(8)} ${ms(s.p50).padStart(10)} ${ms(s.p99).padStart(10)} ${String(s.commitsPerSec).padStart(10)}   ${lag}`);
    }
    out.result(r);
    await writeHtml(values, "PostgreSQL commit latency by mode", [
      latencyCdfComparisonChart(r.summary.map((s) => ({ name: `${s.label}${s.delayMs ? ` +${s.delayMs} ms` : ""}`, values: r.runs.filter((x) => x.mode.id === s.mode && x.delayMs === s.delayMs).flatMap((x) => x.latencies) })), { title: "Commit latency by mode (real PostgreSQL)", logX: true }),
      ...r.runs.filter((x) => x.repeat === 0).map((x) => realTimeAxis(lagChart(x.run.data.lag, { provenance: x.run.data.provenance, title: `Lag: ${x.mode.label}${x.delayMs ? `, s1 +${x.delayMs} ms` : ""}` }))),
    ], out);
    return Exit.Ok;
  } finally {
    await done();
  }
}

async function pgFailover(values: Values, out: Output): Promise<number> {
  const mode = oneOf(values, "mode", Object.keys(PG_MODES), "async");
  const inFlight = oneOf(values, "in-flight", ["lost", "delivered"] as const, "lost");
  const r = await failover({
    dir: values.dir, mode, delayMs: int(values, "delay-ms", 100), cutMs: values["cut-ms"] === undefined ? undefined : int(values, "cut-ms", 0),
    promote: oneOf(values, "promote", ["s1", "s2"] as const, "s1"), clients: int(values, "clients", 8, 1), writeMs: int(values, "write-ms", 2000, 100),
    inFlight, log: log(out),
  });
  out.line(`failover under ${r.mode.label}, ${r.delayed.join(", ")} ${r.cutMs !== null ? `cut ${r.cutMs} ms before the crash` : `+${r.delayMs} ms`}, promoted ${r.promoted}:`);
  for (const n of r.notes) out.line(`  ${n}`);
  out.line(`  acknowledged writes LOST: ${r.lost} of ${r.acknowledged}`);
  out.line(`  committed although the client got an error: ${r.committedUnacknowledged}${r.committedUnacknowledged > 0 ? ` (ids ${r.committedUnacknowledgedIds.slice(0, 8).join(", ")})` : ""}`);
  out.line(`  acknowledged writes each standby lacked: ${Object.entries(r.missingByStandby).map(([n, c]) => `${n} ${c}`).join(", ")}`);
  out.result(r);
  await writeHtml(values, `PostgreSQL failover (${r.mode.label})`, [
    realTimeAxis(availabilityChart(r.run.data.availability, { faults: r.run.data.faults, provenance: r.run.data.provenance })),
    realTimeAxis(lagChart(r.run.data.lag, { faults: r.run.data.faults, provenance: r.run.data.provenance })),
  ], out);
  return Exit.Ok;
}

async function pgStandbyWrite(values: Values, out: Output): Promise<number> {
  const { target, done } = await pgTarget(values, out);
  try {
    const r = await standbyWrite(target, values["standby-name"]);
    out.line(`INSERT on ${r.standby}: ${r.sqlstate === null ? "accepted (it is not a standby!)" : `refused, SQLSTATE ${r.sqlstate}: ${r.message}`}`);
    out.line(`SELECT on ${r.standby}: ${r.readOk ? `answered (${r.rowsVisible} rows)` : "failed"}`);
    out.result(r);
    return Exit.Ok;
  } finally {
    await done();
  }
}

// ---------------------------------------------------------------------------------------------
// etcd

async function etcd(action: string | undefined, values: Values, out: Output): Promise<number> {
  const dir = values.dir;
  switch (action) {
    case "up": {
      const existing = EtcdLab.load({ dir });
      if (existing && existing.runningMembers().length > 0) {
        out.line(`already up: ${existing.members.map((m) => `${m.name} http://127.0.0.1:${m.clientPort}`).join(", ")}`);
        out.result({ alreadyUp: true, members: existing.members });
        return Exit.Ok;
      }
      const lab = await EtcdLab.up({ dir, port: int(values, "port", 23790, 1024), heartbeatMs: int(values, "heartbeat-ms", 100, 1), electionMs: int(values, "election-ms", 1000, 10), log: log(out) });
      for (const m of lab.members) out.line(`${m.name}  ${lab.endpoint(m.name)}   pid ${m.pid}   data ${path.relative(process.cwd(), m.dir)}`);
      out.line(`try: ETCDCTL_API=3 etcdctl --endpoints=${lab.members.map((m) => lab.endpoint(m.name)).join(",")} endpoint status -w table`);
      out.line("stop with: replicalab lab etcd down");
      out.result({ version: lab.version, members: lab.members.map((m) => ({ ...m, endpoint: lab.endpoint(m.name) })) });
      return Exit.Ok;
    }
    case "down": {
      const lab = EtcdLab.load({ dir });
      if (!lab) {
        out.line("no lab etcd cluster here (nothing to stop)");
        out.result({ stopped: [] });
        return Exit.Ok;
      }
      const r = await lab.down({ keepData: values["keep-data"] === true });
      out.line(r.stopped.length === 0 ? "nothing was running" : `stopped ${r.stopped.map((s) => `${s.name} (pid ${s.pid}, ${s.how})`).join(", ")}`);
      if (r.busyPorts.length > 0) out.line(`warning: port(s) ${r.busyPorts.join(", ")} still in use`);
      out.result(r);
      return r.busyPorts.length > 0 ? Exit.Invalid : Exit.Ok;
    }
    case "status": {
      if (values.endpoints !== undefined) {
        const eps = list(values, "endpoints") ?? [];
        const st = await Promise.all(eps.map(async (e) => ({ endpoint: e, ...(await new EtcdGateway(e).status(2000)) })));
        for (const s of st) out.line(`${s.endpoint}  ${s.ok ? `member ${s.value.memberId}, leader ${s.value.leader === "0" ? "NONE" : s.value.leader}, term ${s.value.raftTerm}, index ${s.value.raftIndex}` : `unreachable (${s.error})`}`);
        out.result(st);
        return st.every((s) => s.ok) ? Exit.Ok : Exit.Invalid;
      }
      const lab = EtcdLab.load({ dir });
      if (!lab) {
        out.line("no lab etcd cluster here (start one with: replicalab lab etcd up)");
        out.result({ running: false, members: [] });
        return Exit.Ok;
      }
      const st = await lab.status();
      out.line(`etcd lab cluster in ${path.relative(process.cwd(), lab.clusterDir) || "."} (${lab.version})`);
      for (const s of st) {
        out.line(`${s.name}  :${s.clientPort}  ${s.running ? `pid ${s.pid}  ${s.status ? `${s.isLeader ? "LEADER" : "follower"}, leader ${s.leaderName || "NONE"}, term ${s.status.raftTerm}, index ${s.status.raftIndex}` : `not answering (${s.error})`}` : "stopped"}`);
      }
      out.result({ running: st.some((s) => s.running), members: st });
      return Exit.Ok;
    }
    case "leader-loss": {
      const { lab, done } = await etcdTarget(values, out);
      try {
        const r = await leaderLoss(lab, { repeat: int(values, "repeat", 1, 1), clients: int(values, "clients", 4, 1), timeoutMs: int(values, "timeout-ms", 1000, 10), log: log(out) });
        out.line(`etcd ${r.version}, heartbeat ${r.heartbeatMs} ms, election timeout ${r.electionTimeoutMs} ms:`);
        out.line(`  new leader after (median) ${ms(r.electionMs.median, 0)}   [${r.electionMs.all.map((x) => ms(x, 0)).join(", ")}]`);
        out.line(`  writes resumed after (median) ${ms(r.writesResumeMs.median, 0)}   [${r.writesResumeMs.all.map((x) => ms(x, 0)).join(", ")}]`);
        out.line(`  put latency before the kill: p50 ${ms(r.runs[0].puts.p50)}, p99 ${ms(r.runs[0].puts.p99)}`);
        out.result(r);
        await writeHtml(values, "etcd leader loss", r.runs.map((x) => realTimeAxis(availabilityChart(x.run.data.availability, { faults: x.run.data.faults, provenance: x.run.data.provenance, title: `Write availability, leader ${x.killed} killed` }))), out);
        return Exit.Ok;
      } finally {
        await done();
      }
    }
    case "partition": {
      const r = await partition({ dir, partitionMs: int(values, "partition-ms", 4000, 500), log: log(out) });
      out.line(`${r.minority} cut off from ${r.majority.join(" + ")} (leader ${r.leaderBefore}):`);
      out.line(`  majority: write "${r.acknowledged}" acknowledged; ${r.majorityPuts} more puts acknowledged during the partition`);
      out.line(`  minority, serializable read: ${r.serializableRead.ok ? `"${r.serializableRead.value}"${r.serializableRead.value !== r.acknowledged ? "  <- STALE" : ""}` : r.serializableRead.error}`);
      out.line(`  minority, linearizable read: ${r.linearizableRead.ok ? `"${r.linearizableRead.value}"` : `failed: ${r.linearizableRead.error}`}`);
      out.line(`  minority, write: ${r.minorityWrite.ok ? "ok" : `failed: ${r.minorityWrite.error}`}`);
      out.line(`  minority status: ${r.noLeaderAfterMs === null ? `leader ${r.minorityLeader}` : `"no leader" after ${ms(r.noLeaderAfterMs, 0)}`}`);
      out.line(`  healed: minority reads "${r.readAfterHeal}" ${ms(r.healMs, 0)} after the heal; leader ${r.leaderBefore} -> ${r.leaderAfter}`);
      out.result(r);
      await writeHtml(values, "etcd partition", [
        realTimeAxis(availabilityChart([{ ...r.run.majority.data.availability, name: "majority clients" }, { ...r.run.minority.data.availability, name: "minority client" }], { faults: r.run.majority.data.faults, provenance: r.run.majority.data.provenance, title: "Write availability on each side of the partition" })),
      ], out);
      return Exit.Ok;
    }
    default:
      throw new UsageError(`unknown etcd action "${action ?? ""}" (expected up, down, status, leader-loss, partition)`);
  }
}

async function etcdTarget(values: Values, out: Output): Promise<{ lab: EtcdLab; done: () => Promise<void> }> {
  const existing = EtcdLab.load({ dir: values.dir });
  if (existing && existing.runningMembers().length === existing.members.length) return { lab: existing, done: async () => undefined };
  if (existing && existing.runningMembers().length > 0) throw new Error("the lab etcd cluster is only partly running: `replicalab lab etcd down`, then up again");
  out.line("no lab etcd cluster running: starting a temporary one (stopped at the end)");
  const lab = await EtcdLab.up({ dir: values.dir, log: log(out) });
  return { lab, done: async () => void (await lab.down()) };
}

// ---------------------------------------------------------------------------------------------
// compare

async function compare(values: Values, out: Output): Promise<number> {
  PgLab.tools();
  EtcdLab.tools();
  const seconds = int(values, "seconds", 2, 0.2);
  const repeat = int(values, "repeat", 1, 1);
  out.line("1/4 PostgreSQL commit latency by mode, plain loopback and s1 +10 ms");
  const lab = await PgLab.fresh({ dir: values.dir, name: "postgres-compare", port: 25452, log: log(out) });
  let commits;
  try {
    commits = await commitLatency(labTarget(lab), { modes: ["async", "first1", "first1-apply", "any1"], delaysMs: [0, 10], seconds, repeat, log: log(out) });
  } finally {
    await lab.down();
  }
  const pgCmp = compareCommitLatency(commits);
  out.line(`  fitted: client one way ${pgCmp.params.clientOneWayMs} ms, commit lognormal(mu ${pgCmp.params.commit.mu}, sigma ${pgCmp.params.commit.sigma}), link one way ${pgCmp.params.linkOneWayMs} ms`);
  out.line("2/4 PostgreSQL failover: async, s1 +100 ms, promote s1");
  const fo = await failover({ dir: values.dir, mode: "async", delayMs: 100, log: log(out) });
  const foCmp = compareFailover(fo, pgCmp.params);
  out.line("3/4 PostgreSQL failover: ANY 1 (s1, s2), s1 +100 ms, promote s1 (the lagging one)");
  const fo2 = await failover({ dir: values.dir, mode: "any1", delayMs: 100, promote: "s1", log: log(out) });
  const fo2Cmp = compareFailover(fo2, pgCmp.params);
  out.line("4/4 etcd leader loss");
  const e = await EtcdLab.fresh({ dir: values.dir, name: "etcd-compare", port: 23860, log: log(out) });
  let ll;
  try {
    ll = await leaderLoss(e, { repeat: Math.max(repeat, 2), log: log(out) });
  } finally {
    await e.down();
  }
  const eCmp = compareLeaderLoss(ll);
  const rows = [...pgCmp.rows, ...foCmp.rows, ...fo2Cmp.rows, ...eCmp.rows];
  out.line("");
  out.table(rows);
  out.result({ params: { postgres: pgCmp.params, etcd: eCmp.params }, rows });
  await writeHtml(values, "Simulator vs real systems", [
    latencyCdfComparisonChart(pgCmp.pairs.filter((p) => p.sim !== null && p.delayMs > 0).flatMap((p) => [{ name: `real ${p.label}`, values: p.real }, { name: `sim ${p.label}`, values: p.sim as number[] }]), { title: "Commit latency, s1 +10 ms: real vs simulated", logX: true }),
  ], out);
  return Exit.Ok;
}
