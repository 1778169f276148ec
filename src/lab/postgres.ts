/**
 * A real PostgreSQL primary with physical streaming standbys, on loopback, in the project's own
 * folder: `PgLab.up()` / `pg.down()` / `pg.status()`, plus the handful of operations the
 * experiments need (sync settings, a standby's upstream, kill -9, promote).
 *
 * Safety: data directories live under `<lab dir>/<name>/` (default `.lab/postgres/`), servers listen
 * on 127.0.0.1 only (default ports 25432-25434, outside Linux's ephemeral range), sockets go to the
 * lab folder, and every process is started and stopped by PID (see process.ts). The Debian package's
 * own cluster (`main` on 5432, pg_ctlcluster, systemd) is never used or touched.
 *
 * Authentication is `trust` on 127.0.0.1: any local user can connect to the lab's servers while they
 * run. That is fine for a throw-away lab on a single-user machine; do not put real data in it.
 */
import { execFile } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Client, type ClientConfig } from "pg";
import {
  busyPorts, giveTo, isAlive, isOurs, killLeftovers, labProcesses, pgServerUser, signalOurs, sleep, spawnTracked,
  stopProcess, waitGone, waitPortsFree, type ServerUser,
} from "./process";
import { emptyTrash, ensureLabRoot, labDir, LabUnavailableError, removeInBackground } from "./common";
import { findPostgres, unavailableMessage, type PgTools } from "./tools";

export { labDir, LabUnavailableError, removalsDone } from "./common";

export const PG_DEFAULT_PORT = 25432;

export interface PgLabOptions {
  /** The lab folder (default: `$REPLICALAB_LAB_DIR` or `.lab` in the current folder). */
  dir?: string;
  /** Sub-folder of this cluster (default "postgres"). Experiments that destroy clusters use their own. */
  name?: string;
  /** Port of the primary; standby k gets port + k (default 25432). */
  port?: number;
  /** Number of standbys (default 2: s1, s2). */
  standbys?: number;
  /**
   * How standbys get their copy: "basebackup" (default: pg_basebackup -X stream -C -S <slot> -R
   * from the running primary, the usual way) or "copy" (a cold copy of the primary's stopped data
   * directory plus standby.signal and a slot: the same result, a little faster on a busy machine).
   */
  seed?: "basebackup" | "copy";
  /** Progress lines ("primary ready in 1.2 s"). */
  log?: (line: string) => void;
}

export interface PgNode {
  name: string;
  port: number;
  dataDir: string;
  /** Postmaster PID while the lab believes it runs. */
  pid: number | null;
  /** Role at creation (a promoted standby is still listed as "standby" here; status() asks the server). */
  role: "primary" | "standby";
}

interface PgState {
  system: "postgres";
  version: string;
  bindir: string;
  createdAt: string;
  nodes: PgNode[];
}

export interface PgNodeStatus {
  name: string;
  port: number;
  pid: number | null;
  running: boolean;
  /** From the server: "primary" or "standby" (pg_is_in_recovery), or null when it does not answer. */
  role: "primary" | "standby" | null;
  /** On a primary: one row per connected standby. */
  replication: { application: string; state: string; syncState: string; replayLagMs: number | null; behindBytes: number | null }[];
  error?: string;
}

export interface DownReport {
  stopped: { name: string; pid: number; how: string }[];
  leftoversKilled: number;
  busyPorts: number[];
  removed: boolean;
}

/** Connection settings for a lab node (user postgres, database postgres, 127.0.0.1). */
export function labConfig(port: number, extra: Partial<ClientConfig> = {}): ClientConfig {
  return { host: "127.0.0.1", port, user: "postgres", database: "postgres", connectionTimeoutMillis: 5000, ...extra };
}

/** Opens a client; errors on an idle client (server killed) are swallowed, the next query reports them. */
export async function connect(config: ClientConfig): Promise<Client> {
  const client = new Client(config);
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** Runs one query on a fresh connection. */
export async function queryOnce<T extends object = Record<string, unknown>>(config: ClientConfig, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = await connect(config);
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export class PgLab {
  readonly root: string;
  readonly clusterDir: string;
  private state: PgState;

  private constructor(root: string, clusterDir: string, state: PgState) {
    this.root = root;
    this.clusterDir = clusterDir;
    this.state = state;
  }

  /** The tools, or an Error whose message says what to install. */
  static tools(): PgTools {
    const found = findPostgres();
    if (!found.ok) throw new LabUnavailableError(unavailableMessage(found));
    return found.tools;
  }

  /** The cluster recorded in the lab folder (running or not), or null. */
  static load(options: PgLabOptions = {}): PgLab | null {
    const root = labDir(options.dir);
    const clusterDir = path.join(root, options.name ?? "postgres");
    const file = path.join(clusterDir, "state.json");
    if (!fs.existsSync(file)) return null;
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as PgState;
    return new PgLab(root, clusterDir, state);
  }

  /** Stops whatever an earlier run left in this cluster's folder, then starts a new cluster. */
  static async fresh(options: PgLabOptions = {}): Promise<PgLab> {
    const old = PgLab.load(options);
    if (old) await old.down();
    return PgLab.up(options);
  }

  /**
   * Creates and starts a primary and its standbys (streaming, each with its replication slot).
   * Fails if this cluster is already running (`down` first, or use `fresh`).
   */
  static async up(options: PgLabOptions = {}): Promise<PgLab> {
    const tools = PgLab.tools();
    const log = options.log ?? (() => undefined);
    const root = labDir(options.dir);
    const clusterDir = path.join(root, options.name ?? "postgres");
    const existing = PgLab.load(options);
    if (existing && existing.runningNodes().length > 0) {
      throw new Error(`a lab cluster is already running in ${clusterDir} (ports ${existing.nodes.map((n) => n.port).join(", ")}): \`replicalab lab postgres down\` first`);
    }
    const port = options.port ?? PG_DEFAULT_PORT;
    const count = options.standbys ?? 2;
    const nodes: PgNode[] = [{ name: "primary", port, dataDir: path.join(clusterDir, "primary"), pid: null, role: "primary" }];
    for (let k = 1; k <= count; k++) nodes.push({ name: `s${k}`, port: port + k, dataDir: path.join(clusterDir, `s${k}`), pid: null, role: "standby" });
    const busy = await busyPorts(nodes.map((n) => n.port));
    if (busy.length > 0) throw new Error(`port ${busy.join(", ")} on 127.0.0.1 is in use (another lab cluster? \`replicalab lab postgres status\`; or choose --port)`);

    // Leftovers of a session that died: only processes inside this folder, by PID.
    await killLeftovers(clusterDir);
    removeInBackground(root, clusterDir);
    emptyTrash(root);
    ensureLabRoot(root);
    const user = pgServerUser();
    checkReachable(root, user);
    for (const d of ["run", "logs"]) fs.mkdirSync(path.join(clusterDir, d), { recursive: true });
    giveTo(user, clusterDir);

    const lab = new PgLab(root, clusterDir, {
      system: "postgres", version: tools.version, bindir: tools.bindir, createdAt: new Date().toISOString(), nodes,
    });
    lab.save();
    try {
      const t0 = Date.now();
      const template = await pgTemplate(root, tools, user, log);
      const standbys = nodes.slice(1);
      const cold = options.seed === "copy";
      await Promise.all([copyDir(template, nodes[0].dataDir), ...(cold ? standbys.map((n) => lab.coldStandby(template, n)) : [])]);
      await lab.start(nodes[0]);
      log(`primary on 127.0.0.1:${port} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      const t1 = Date.now();
      if (cold) {
        for (const n of standbys) await queryOnce(lab.config("primary"), "SELECT pg_create_physical_replication_slot($1, true)", [n.name]);
      } else {
        await Promise.all(standbys.map((n) => lab.baseBackup(n, user)));
      }
      await Promise.all(standbys.map((n) => lab.start(n)));
      await lab.waitStreaming(nodes.slice(1).map((n) => n.name), 30_000);
      log(`standbys ${nodes.slice(1).map((n) => `${n.name} (:${n.port})`).join(", ")} streaming ${((Date.now() - t1) / 1000).toFixed(1)} s later`);
      return lab;
    } catch (err) {
      await lab.down({ keepData: true }).catch(() => undefined);
      throw err;
    }
  }

  get nodes(): readonly PgNode[] {
    return this.state.nodes;
  }

  get version(): string {
    return this.state.version;
  }

  node(name: string): PgNode {
    const n = this.state.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node "${name}" in this lab cluster (nodes: ${this.state.nodes.map((x) => x.name).join(", ")})`);
    return n;
  }

  /** Connection settings for a node, e.g. `config("s1", { options: "-c synchronous_commit=remote_apply" })`. */
  config(name: string, extra: Partial<ClientConfig> = {}): ClientConfig {
    return labConfig(this.node(name).port, extra);
  }

  /** "postgres://postgres@127.0.0.1:25432/postgres" */
  url(name: string): string {
    return `postgres://postgres@127.0.0.1:${this.node(name).port}/postgres`;
  }

  /** Nodes whose recorded PID is a live postgres inside this cluster's folder. */
  runningNodes(): PgNode[] {
    return this.state.nodes.filter((n) => n.pid !== null && isOurs(n.pid, this.clusterDir));
  }

  /** Every live postgres process of this cluster (postmasters and their children). */
  processes(): { pid: number; exe: string; cwd: string }[] {
    return labProcesses(this.clusterDir);
  }

  private save(): void {
    fs.mkdirSync(this.clusterDir, { recursive: true });
    fs.writeFileSync(path.join(this.clusterDir, "state.json"), JSON.stringify(this.state, null, 2) + "\n");
  }

  private logFile(n: PgNode): string {
    return path.join(this.clusterDir, "logs", `${n.name}.log`);
  }

  /** Starts a node's postmaster (detached) and waits until it accepts connections. */
  async start(n: PgNode, timeoutMs = 30_000): Promise<void> {
    const user = pgServerUser();
    const p = spawnTracked({
      name: n.name,
      cmd: path.join(this.state.bindir, "postgres"),
      args: ["-D", n.dataDir, "-p", String(n.port), "-k", path.join(this.clusterDir, "run"), "-c", `cluster_name=${n.name}`],
      cwd: n.dataDir,
      logFile: this.logFile(n),
      user,
    });
    n.pid = p.pid;
    this.save();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await queryOnce(labConfig(n.port, { connectionTimeoutMillis: 1000 }), "SELECT 1");
        return;
      } catch (err) {
        // Our own child: ask whether it ended, not whether it looks like a postmaster yet (between
        // fork and exec, and while runuser switches user, /proc shows another executable).
        const ended = p.ended?.() ?? (isAlive(p.pid) ? null : `not found in /proc: ${procSummary(p.pid)}`);
        if (ended !== null) {
          throw new Error(`postgres ${n.name} (pid ${p.pid}) exited while starting (${ended}): ${tail(this.logFile(n)) || "(empty log)"}`);
        }
        if (Date.now() > deadline) throw new Error(`postgres ${n.name} not ready after ${timeoutMs} ms (${(err as Error).message}): ${tail(this.logFile(n))}`);
        await sleep(50);
      }
    }
  }

  private async baseBackup(n: PgNode, user: ServerUser | null): Promise<void> {
    const primary = this.node("primary");
    await execAs(path.join(this.state.bindir, "pg_basebackup"), [
      "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-D", n.dataDir,
      "-X", "stream", "-C", "-S", n.name, "-R", "-c", "fast", "-N",
    ], user, this.clusterDir);
  }

  /** A standby from a cold copy of the (stopped, clean) template: standby.signal, conninfo, slot name. */
  private async coldStandby(template: string, n: PgNode): Promise<void> {
    await copyDir(template, n.dataDir);
    fs.writeFileSync(path.join(n.dataDir, "standby.signal"), "");
    const primary = this.node("primary");
    fs.appendFileSync(path.join(n.dataDir, "postgresql.auto.conf"),
      `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=${n.name}'\nprimary_slot_name = '${n.name}'\n`);
    giveTo(pgServerUser(), n.dataDir);
  }

  /** Waits until every named standby streams from the current primary (pg_stat_replication). */
  async waitStreaming(names: string[], timeoutMs = 20_000, primary = "primary"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = "";
    for (;;) {
      try {
        const rows = await queryOnce<{ application_name: string; state: string }>(this.config(primary), "SELECT application_name, state FROM pg_stat_replication");
        seen = rows.map((r) => `${r.application_name}:${r.state}`).join(", ");
        if (names.every((name) => rows.some((r) => r.application_name === name && r.state === "streaming"))) return;
      } catch (err) {
        seen = (err as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`standbys ${names.join(", ")} not streaming after ${timeoutMs} ms (seen: ${seen || "none"})`);
      await sleep(50);
    }
  }

  /**
   * Sets `synchronous_standby_names` on the primary ("" = async, "FIRST 1 (s1)", "ANY 1 (s1, s2)")
   * and waits until pg_stat_replication shows the matching sync states.
   */
  async setSyncStandbys(value: string, primary = "primary"): Promise<void> {
    const client = await connect(this.config(primary));
    try {
      await client.query(`ALTER SYSTEM SET synchronous_standby_names = ${literal(value)}`);
      await client.query("SELECT pg_reload_conf()");
      const want = expectedSyncStates(value);
      const deadline = Date.now() + 10_000;
      for (;;) {
        const rows = (await client.query("SELECT application_name, sync_state FROM pg_stat_replication")).rows as { application_name: string; sync_state: string }[];
        const ok = Object.entries(want).every(([name, st]) => rows.some((r) => r.application_name === name && r.sync_state === st));
        if (ok && (value !== "" || rows.every((r) => r.sync_state === "async"))) break;
        if (Date.now() > deadline) throw new Error(`synchronous_standby_names = '${value}' not in effect after 10 s: ${JSON.stringify(rows)}`);
        await sleep(20);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /**
   * Points a standby's WAL receiver at another address (a delay proxy's port, or null for the
   * primary itself) and waits until it streams from there. primary_conninfo is reloadable since
   * PostgreSQL 13: the WAL receiver restarts, the standby stays up.
   */
  async setUpstream(standby: string, port: number | null, primary = "primary"): Promise<void> {
    const target = port ?? this.node(primary).port;
    const conninfo = `host=127.0.0.1 port=${target} user=postgres application_name=${standby}`;
    const client = await connect(this.config(standby));
    try {
      await client.query(`ALTER SYSTEM SET primary_conninfo = ${literal(conninfo)}`);
      await client.query("SELECT pg_reload_conf()");
      const deadline = Date.now() + 15_000;
      for (;;) {
        const rows = (await client.query("SELECT status, sender_port FROM pg_stat_wal_receiver")).rows as { status: string; sender_port: number | null }[];
        if (rows.some((r) => r.status === "streaming" && r.sender_port === target)) break;
        if (Date.now() > deadline) throw new Error(`${standby} not streaming from port ${target} after 15 s: ${JSON.stringify(rows)}`);
        await sleep(20);
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await this.waitStreaming([standby], 15_000, primary);
  }

  /**
   * kill -9 of a node's postmaster (its backends notice and exit on their own, as after a crash).
   * `afterSignal` runs right after the signal, before waiting for the process to go.
   */
  async kill(name: string, afterSignal?: () => void): Promise<number> {
    const n = this.node(name);
    if (n.pid === null || !signalOurs(n.pid, this.clusterDir, "SIGKILL")) throw new Error(`${name} is not running`);
    afterSignal?.();
    const pid = n.pid;
    await waitGone([pid], 5000);
    n.pid = null;
    this.save();
    return pid;
  }

  /** `pg_promote()` on a standby; resolves when it accepts writes. Returns how long it took (ms). */
  async promote(name: string): Promise<number> {
    const t0 = performance.now();
    const rows = await queryOnce<{ pg_promote: boolean }>(this.config(name), "SELECT pg_promote(true, 30)");
    if (rows[0]?.pg_promote !== true) throw new Error(`pg_promote() on ${name} did not finish within 30 s`);
    return performance.now() - t0;
  }

  /** What runs, and what each server says about itself. */
  async status(): Promise<PgNodeStatus[]> {
    return Promise.all(this.state.nodes.map((n) => nodeStatus(n.name, n.port, n.pid, n.pid !== null && isOurs(n.pid, this.clusterDir))));
  }

  /**
   * Stops every node (SIGINT = fast shutdown, SIGKILL after 10 s), then any process still running
   * in the cluster's folder, checks the ports are free, and removes the data (unless `keepData`).
   */
  async down(options: { keepData?: boolean } = {}): Promise<DownReport> {
    const stopped: DownReport["stopped"] = [];
    await Promise.all(this.state.nodes.map(async (n) => {
      if (n.pid === null) return;
      const how = await stopProcess({ name: n.name, pid: n.pid, cwd: n.dataDir }, this.clusterDir, "SIGINT");
      if (how !== "not running") stopped.push({ name: n.name, pid: n.pid, how });
      n.pid = null;
    }));
    const leftoversKilled = await killLeftovers(this.clusterDir);
    const busy = await waitPortsFree(this.state.nodes.map((n) => n.port), 5000);
    let removed = false;
    if (options.keepData) this.save();
    else {
      removeInBackground(this.root, this.clusterDir);
      removed = true;
    }
    return { stopped, leftoversKilled, busyPorts: busy, removed };
  }
}

/** Status of any PostgreSQL server (a lab node or one the user runs). */
export async function nodeStatus(name: string, port: number | ClientConfig, pid: number | null, running: boolean): Promise<PgNodeStatus> {
  const config = typeof port === "number" ? labConfig(port, { connectionTimeoutMillis: 2000 }) : port;
  const out: PgNodeStatus = { name, port: typeof port === "number" ? port : portOf(config), pid, running, role: null, replication: [] };
  if (typeof port === "number" && !running) return out;
  try {
    const client = await connect(config);
    try {
      const r = (await client.query("SELECT pg_is_in_recovery() AS standby")).rows[0] as { standby: boolean };
      out.role = r.standby ? "standby" : "primary";
      if (!r.standby) {
        const rows = (await client.query(`SELECT application_name, state, sync_state,
            extract(epoch FROM replay_lag) * 1000 AS replay_lag_ms,
            pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS behind
          FROM pg_stat_replication ORDER BY application_name`)).rows as { application_name: string; state: string; sync_state: string; replay_lag_ms: string | null; behind: number | null }[];
        out.replication = rows.map((x) => ({
          application: x.application_name, state: x.state, syncState: x.sync_state,
          replayLagMs: x.replay_lag_ms === null ? null : Number(x.replay_lag_ms), behindBytes: x.behind,
        }));
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  } catch (err) {
    out.error = (err as Error).message;
  }
  return out;
}

function portOf(config: ClientConfig): number {
  if (config.port !== undefined) return Number(config.port);
  try {
    return Number(new URL(config.connectionString ?? "").port || 5432);
  } catch {
    return 5432;
  }
}

/** What pg_stat_replication.sync_state should say per standby for a synchronous_standby_names value. */
export function expectedSyncStates(value: string): Record<string, string> {
  const m = /^\s*(FIRST|ANY)?\s*(\d+)?\s*\(([^)]*)\)\s*$/i.exec(value);
  if (value.trim() === "" || !m) return {};
  const names = m[3].split(",").map((s) => s.trim().replace(/^"|"$/g, ""));
  const k = Number(m[2] ?? 1);
  if ((m[1] ?? "FIRST").toUpperCase() === "ANY") return Object.fromEntries(names.map((n) => [n, "quorum"]));
  return Object.fromEntries(names.map((n, i) => [n, i < k ? "sync" : "potential"]));
}

/**
 * As root the servers run as `postgres`, which must be able to walk down to the lab folder: a project
 * under /root (mode 700) is not reachable. Say so before initdb fails with a riddle.
 */
function checkReachable(root: string, user: ServerUser | null): void {
  if (user === null) return;
  for (let dir = path.dirname(root); ; dir = path.dirname(dir)) {
    const st = fs.statSync(dir);
    const canEnter = (st.mode & 0o001) !== 0 || (st.uid === user.uid && (st.mode & 0o100) !== 0) || (st.gid === user.gid && (st.mode & 0o010) !== 0);
    if (!canEnter) {
      throw new Error(`the '${user.name}' user (PostgreSQL refuses to run as root) cannot enter ${dir}, so it cannot reach the lab folder ${root}: use --dir (or REPLICALAB_LAB_DIR) with a folder it can reach, e.g. /var/tmp/replicalab-lab, or allow it with chmod o+x ${dir}`);
    }
    if (dir === path.dirname(dir)) return;
  }
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * An initdb'd, configured data directory, made once per lab folder and PostgreSQL major version and
 * copied for every new primary (initdb takes about 4 s here, a copy 0.5 s).
 */
async function pgTemplate(root: string, tools: PgTools, user: ServerUser | null, log: (line: string) => void): Promise<string> {
  // The name carries a hash of the settings, so a changed configuration never reuses an old template.
  const hash = createHash("sha1").update(TEMPLATE_CONF + INITDB_ARGS.join(" ")).digest("hex").slice(0, 8);
  const dir = path.join(root, "cache", `pg${tools.major}-template-${hash}`);
  if (fs.existsSync(path.join(dir, "PG_VERSION"))) return dir;
  const t0 = Date.now();
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.mkdirSync(tmp, { mode: 0o700 });
  giveTo(user, tmp);
  await execAs(path.join(tools.bindir, "initdb"), ["-D", tmp, ...INITDB_ARGS], user, path.dirname(dir));
  fs.appendFileSync(path.join(tmp, "postgresql.conf"), TEMPLATE_CONF);
  giveTo(user, tmp);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  log(`initdb (once per lab folder): ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return dir;
}

const INITDB_ARGS = ["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--wal-segsize=1", "-N"];

const TEMPLATE_CONF = `
# --- replicalab lab ---
listen_addresses = '127.0.0.1'
shared_buffers = 16MB
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = 64MB
# small WAL: 1 MB segments (initdb --wal-segsize=1), few kept, so clusters are quick to create and delete
min_wal_size = 4MB
max_wal_size = 64MB
hot_standby = on
# a standby whose primary_conninfo changed reconnects at once, not after the default 5 s
wal_retrieve_retry_interval = 100ms
log_min_messages = warning
log_line_prefix = '%m [%p] %a '
`;

/** `cp -a` (native: several times faster than a JS copy of a thousand small files on a busy machine). */
async function copyDir(from: string, to: string): Promise<void> {
  const user = pgServerUser();
  await execAs("cp", ["-a", from, to], user, path.dirname(to));
  fs.chmodSync(to, 0o700);
}

function execAs(cmd: string, args: string[], user: ServerUser | null, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, {
      cwd, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: user?.home ?? process.env.HOME ?? "/tmp", LANG: "C.UTF-8" },
      uid: user?.uid, gid: user?.gid, timeout: 120_000, maxBuffer: 16 << 20,
    }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${path.basename(cmd)} failed: ${(stderr || err.message).trim().split("\n").slice(-3).join(" | ")}`));
      else resolve(stdout);
    });
  });
}

function procSummary(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    let cwd = "?";
    let exe = "?";
    try { cwd = fs.readlinkSync(`/proc/${pid}/cwd`); } catch (e) { cwd = (e as Error).message; }
    try { exe = fs.readlinkSync(`/proc/${pid}/exe`); } catch (e) { exe = (e as Error).message; }
    return `stat ${stat.slice(0, 60)}, cwd ${cwd}, exe ${exe}`;
  } catch {
    return "gone";
  }
}

function tail(file: string, lines = 3): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join(" | ");
  } catch {
    return "(no log)";
  }
}
