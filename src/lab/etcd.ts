/**
 * A real 3-member etcd cluster on loopback (`EtcdLab.up()` / `down()` / `status()`), and a tiny
 * client for etcd's v3 JSON gateway over plain `fetch` (put, range with or without
 * `serializable`, maintenance status).
 *
 * Safety as for PostgreSQL: data under `<lab dir>/etcd/`, client and peer URLs on 127.0.0.1 only
 * (default client ports 23790-23792, peer ports 23800-23802; never etcd's 2379/2380), every member
 * started and stopped by PID; the Debian package's own etcd service is never used or touched.
 * Partitions are made by freezing members (SIGSTOP/SIGCONT of the lab's own PIDs): no iptables, no
 * root needed.
 */
import * as fs from "fs";
import * as path from "path";
import {
  busyPorts, isOurs, killLeftovers, labProcesses, signalOurs, sleep, spawnTracked, stopProcess, waitGone, waitPortsFree,
} from "./process";
import { emptyTrash, ensureLabRoot, labDir, LabUnavailableError, removeInBackground } from "./common";
import { etcdOrigin, PeerProxy } from "./peer-proxy";
import { findEtcd, unavailableMessage, type EtcdTools } from "./tools";

export const ETCD_DEFAULT_PORT = 23790;

export interface EtcdLabOptions {
  dir?: string;
  /** Sub-folder (default "etcd"). */
  name?: string;
  /** Client port of e1; e2, e3 get +1, +2; peer ports are client ports + 10 (default 23790). */
  port?: number;
  members?: number;
  /** etcd's --heartbeat-interval (ms, default 100). */
  heartbeatMs?: number;
  /** etcd's --election-timeout (ms, default 1000). */
  electionMs?: number;
  /**
   * Route peer traffic through in-process `PeerProxy`s so that `partition()` can cut members apart.
   * Such a cluster lives only as long as this process (its members cannot talk without the proxies).
   */
  partitionable?: boolean;
  log?: (line: string) => void;
}

export interface EtcdMember {
  name: string;
  clientPort: number;
  peerPort: number;
  dir: string;
  pid: number | null;
}

interface EtcdState {
  system: "etcd";
  version: string;
  etcd: string;
  heartbeatMs: number;
  electionMs: number;
  token: string;
  createdAt: string;
  /** Peer traffic goes through proxies owned by the process that started the cluster. */
  partitionable: boolean;
  members: EtcdMember[];
}

export interface EtcdStatus {
  /** This member's id (decimal string, as the gateway prints uint64). */
  memberId: string;
  /** The leader's id as this member knows it; "0" = no leader. */
  leader: string;
  raftTerm: number;
  raftIndex: number;
}

export interface EtcdMemberStatus {
  name: string;
  clientPort: number;
  pid: number | null;
  running: boolean;
  status: EtcdStatus | null;
  isLeader: boolean;
  /** The leader's name as this member sees it ("" = no leader). */
  leaderName: string | null;
  error?: string;
}

export type GatewayResult<T> = { ok: true; value: T; ms: number } | { ok: false; error: string; ms: number };

/** A client for etcd's v3 JSON gateway (base64 keys and values; uint64 fields are strings). */
export class EtcdGateway {
  /** `endpoint` like "http://127.0.0.1:23790". */
  constructor(readonly endpoint: string) {}

  private async call<T>(route: string, body: object, timeoutMs: number, pick: (json: Record<string, unknown>) => T): Promise<GatewayResult<T>> {
    const t0 = performance.now();
    try {
      const res = await fetch(`${this.endpoint}${route}`, {
        method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const json = (await res.json()) as Record<string, unknown>;
      const ms = performance.now() - t0;
      if (!res.ok || json.error !== undefined) return { ok: false, error: String(json.message ?? json.error ?? `HTTP ${res.status}`), ms };
      return { ok: true, value: pick(json), ms };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const error = e.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
      return { ok: false, error, ms: performance.now() - t0 };
    }
  }

  put(key: string, value: string, timeoutMs = 2000): Promise<GatewayResult<{ revision: number }>> {
    return this.call("/v3/kv/put", { key: b64(key), value: b64(value) }, timeoutMs, (j) => ({ revision: Number((j.header as { revision?: string })?.revision ?? 0) }));
  }

  /** A read; `serializable` = answered from this member's local state, without asking the leader (may be stale). */
  get(key: string, options: { serializable?: boolean; timeoutMs?: number } = {}): Promise<GatewayResult<{ value: string | null; modRevision: number | null }>> {
    return this.call("/v3/kv/range", { key: b64(key), serializable: options.serializable ?? false }, options.timeoutMs ?? 2000, (j) => {
      const kv = (j.kvs as { value?: string; mod_revision?: string }[] | undefined)?.[0];
      return { value: kv ? unb64(kv.value ?? "") : null, modRevision: kv ? Number(kv.mod_revision) : null };
    });
  }

  delete(key: string, timeoutMs = 2000): Promise<GatewayResult<number>> {
    return this.call("/v3/kv/deleterange", { key: b64(key) }, timeoutMs, (j) => Number(j.deleted ?? 0));
  }

  status(timeoutMs = 1000): Promise<GatewayResult<EtcdStatus>> {
    return this.call("/v3/maintenance/status", {}, timeoutMs, (j) => ({
      memberId: String((j.header as { member_id?: string })?.member_id ?? "0"),
      leader: String(j.leader ?? "0"),
      raftTerm: Number(j.raftTerm ?? 0),
      raftIndex: Number(j.raftIndex ?? 0),
    }));
  }

  members(timeoutMs = 1000): Promise<GatewayResult<{ id: string; name: string; clientURLs: string[] }[]>> {
    return this.call("/v3/cluster/member/list", {}, timeoutMs, (j) =>
      ((j.members as { ID?: string; name?: string; clientURLs?: string[] }[]) ?? []).map((m) => ({ id: String(m.ID), name: m.name ?? "", clientURLs: m.clientURLs ?? [] })));
  }
}

function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64");
}

function unb64(s: string): string {
  return Buffer.from(s, "base64").toString("utf8");
}

export class EtcdLab {
  readonly root: string;
  readonly clusterDir: string;
  private state: EtcdState;
  /** member id (decimal string) -> name, learned from the cluster. */
  private readonly names = new Map<string, string>();
  private readonly proxies: PeerProxy[] = [];
  private groups: string[][] | null = null;

  private constructor(root: string, clusterDir: string, state: EtcdState) {
    this.root = root;
    this.clusterDir = clusterDir;
    this.state = state;
  }

  static tools(): EtcdTools {
    const found = findEtcd();
    if (!found.ok) throw new LabUnavailableError(unavailableMessage(found));
    return found.tools;
  }

  static load(options: EtcdLabOptions = {}): EtcdLab | null {
    const root = labDir(options.dir);
    const clusterDir = path.join(root, options.name ?? "etcd");
    const file = path.join(clusterDir, "state.json");
    if (!fs.existsSync(file)) return null;
    return new EtcdLab(root, clusterDir, JSON.parse(fs.readFileSync(file, "utf8")) as EtcdState);
  }

  static async fresh(options: EtcdLabOptions = {}): Promise<EtcdLab> {
    const old = EtcdLab.load(options);
    if (old) await old.down();
    return EtcdLab.up(options);
  }

  /** Starts a new cluster and waits until every member agrees on a leader. */
  static async up(options: EtcdLabOptions = {}): Promise<EtcdLab> {
    const tools = EtcdLab.tools();
    const log = options.log ?? (() => undefined);
    const root = labDir(options.dir);
    const clusterDir = path.join(root, options.name ?? "etcd");
    const existing = EtcdLab.load(options);
    if (existing && existing.runningMembers().length > 0) {
      throw new Error(`a lab etcd cluster is already running in ${clusterDir} (client ports ${existing.members.map((m) => m.clientPort).join(", ")}): \`replicalab lab etcd down\` first`);
    }
    const port = options.port ?? ETCD_DEFAULT_PORT;
    const count = options.members ?? 3;
    const members: EtcdMember[] = Array.from({ length: count }, (_, i) => ({
      name: `e${i + 1}`, clientPort: port + i, peerPort: port + 10 + i, dir: path.join(clusterDir, `e${i + 1}`), pid: null,
    }));
    const busy = await busyPorts(members.flatMap((m) => [m.clientPort, m.peerPort, ...(options.partitionable ? [m.peerPort + 10] : [])]));
    if (busy.length > 0) throw new Error(`port ${busy.join(", ")} on 127.0.0.1 is in use (another lab cluster? \`replicalab lab etcd status\`; or choose --port)`);
    await killLeftovers(clusterDir);
    removeInBackground(root, clusterDir);
    emptyTrash(root);
    ensureLabRoot(root);
    for (const m of members) fs.mkdirSync(m.dir, { recursive: true });
    const lab = new EtcdLab(root, clusterDir, {
      system: "etcd", version: tools.version, etcd: tools.etcd, heartbeatMs: options.heartbeatMs ?? 100, electionMs: options.electionMs ?? 1000,
      token: `replicalab-${process.pid}-${Date.now()}`, createdAt: new Date().toISOString(),
      partitionable: options.partitionable ?? false, members,
    });
    lab.save();
    try {
      const t0 = Date.now();
      if (lab.state.partitionable) await lab.startProxies();
      for (const m of members) lab.start(m, "new");
      await lab.waitLeader(30_000);
      log(`etcd ${tools.version}: ${members.map((m) => `${m.name} (:${m.clientPort})`).join(", ")} healthy in ${((Date.now() - t0) / 1000).toFixed(1)} s, leader ${await lab.leader()}`);
      return lab;
    } catch (err) {
      await lab.down({ keepData: true }).catch(() => undefined);
      throw err;
    }
  }

  get members(): readonly EtcdMember[] {
    return this.state.members;
  }

  get version(): string {
    return this.state.version;
  }

  get heartbeatMs(): number {
    return this.state.heartbeatMs;
  }

  get electionMs(): number {
    return this.state.electionMs;
  }

  member(name: string): EtcdMember {
    const m = this.state.members.find((x) => x.name === name);
    if (!m) throw new Error(`no member "${name}" (members: ${this.state.members.map((x) => x.name).join(", ")})`);
    return m;
  }

  endpoint(name: string): string {
    return `http://127.0.0.1:${this.member(name).clientPort}`;
  }

  gateway(name: string): EtcdGateway {
    return new EtcdGateway(this.endpoint(name));
  }

  runningMembers(): EtcdMember[] {
    return this.state.members.filter((m) => m.pid !== null && isOurs(m.pid, this.clusterDir));
  }

  processes(): { pid: number; exe: string; cwd: string }[] {
    return labProcesses(this.clusterDir);
  }

  private save(): void {
    fs.mkdirSync(this.clusterDir, { recursive: true });
    fs.writeFileSync(path.join(this.clusterDir, "state.json"), JSON.stringify(this.state, null, 2) + "\n");
  }

  /** The peer port others dial for `m`: its proxy's (partitionable clusters) or its own. */
  private advertisedPeerPort(m: EtcdMember): number {
    return this.state.partitionable ? m.peerPort + 10 : m.peerPort;
  }

  private initialCluster(): string {
    return this.state.members.map((m) => `${m.name}=http://127.0.0.1:${this.advertisedPeerPort(m)}`).join(",");
  }

  private async startProxies(): Promise<void> {
    const hexNames = () => new Map([...this.names].map(([id, name]) => [BigInt(id).toString(16), name]));
    let cache = new Map<string, string>();
    for (const m of this.state.members) {
      this.proxies.push(await PeerProxy.start({
        owner: m.name, listenPort: this.advertisedPeerPort(m), targetPort: m.peerPort,
        identify: (head) => {
          if (cache.size < this.names.size) cache = hexNames();
          return etcdOrigin(head, (hex) => cache.get(hex));
        },
        allowed: (origin, owner) => this.groups === null || this.groups.some((g) => g.includes(origin) && g.includes(owner)),
      }));
    }
  }

  /**
   * Cuts the cluster into groups that cannot reach each other (members not listed form one more
   * group). Needs a cluster started with `partitionable: true` by this process.
   */
  async partition(groups: string[][]): Promise<void> {
    if (this.proxies.length === 0) throw new Error("this etcd cluster was not started with partitionable: true by this process");
    if (this.names.size < this.state.members.length) await this.learnNames();
    const listed = new Set(groups.flat());
    const rest = this.state.members.map((m) => m.name).filter((n) => !listed.has(n));
    this.groups = rest.length > 0 ? [...groups, rest] : groups;
    for (const p of this.proxies) p.enforce();
  }

  /** Removes the partition: members reconnect on their own. */
  heal(): void {
    this.groups = null;
  }

  /** Starts a member (detached). "existing" rejoins with its data directory (after a kill). */
  start(m: EtcdMember, clusterState: "new" | "existing" = "existing"): void {
    const client = `http://127.0.0.1:${m.clientPort}`;
    const peer = `http://127.0.0.1:${m.peerPort}`;
    const advertised = `http://127.0.0.1:${this.advertisedPeerPort(m)}`;
    const p = spawnTracked({
      name: m.name,
      cmd: this.state.etcd,
      args: [
        "--name", m.name, "--data-dir", path.join(m.dir, "data"),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", advertised,
        "--initial-cluster", this.initialCluster(), "--initial-cluster-token", this.state.token,
        "--initial-cluster-state", clusterState,
        "--heartbeat-interval", String(this.state.heartbeatMs), "--election-timeout", String(this.state.electionMs),
        "--logger", "zap", "--log-outputs", "stderr", "--log-level", "warn",
      ],
      cwd: m.dir,
      logFile: path.join(m.dir, "etcd.log"),
    });
    m.pid = p.pid;
    this.save();
  }

  /** Restarts a killed member with its data: it rejoins the cluster as a follower. */
  async restart(name: string): Promise<void> {
    const m = this.member(name);
    if (m.pid !== null && isOurs(m.pid, this.clusterDir)) throw new Error(`${name} is running`);
    this.start(m, "existing");
    const gw = this.gateway(name);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const s = await gw.status(500);
      if (s.ok && s.value.leader !== "0") return;
      if (Date.now() > deadline) throw new Error(`${name} did not rejoin within 15 s: ${tail(path.join(m.dir, "etcd.log"))}`);
      await sleep(50);
    }
  }

  /** Waits until every running member reports the same leader; returns its name. */
  async waitLeader(timeoutMs = 15_000, among: string[] = this.runningMembers().map((m) => m.name)): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let seen = "";
    for (;;) {
      const statuses = await Promise.all(among.map((n) => this.gateway(n).status(500)));
      const leaders = statuses.map((s) => (s.ok ? s.value.leader : "?"));
      seen = leaders.join(",");
      if (leaders.every((l) => l !== "?" && l !== "0" && l === leaders[0])) {
        await this.learnNames();
        return this.names.get(leaders[0]) ?? leaders[0];
      }
      for (const n of among) {
        const m = this.member(n);
        if (m.pid !== null && !isOurs(m.pid, this.clusterDir)) throw new Error(`etcd ${n} exited: ${tail(path.join(m.dir, "etcd.log"))}`);
      }
      if (Date.now() > deadline) throw new Error(`no agreed leader among ${among.join(", ")} after ${timeoutMs} ms (leaders seen: ${seen})`);
      await sleep(50);
    }
  }

  private async learnNames(): Promise<void> {
    for (const m of this.runningMembers()) {
      const r = await this.gateway(m.name).members(1000);
      if (r.ok) {
        for (const x of r.value) this.names.set(x.id, x.name);
        return;
      }
    }
  }

  /** Name of a member id (decimal string), "" for "0" (no leader). */
  nameOf(id: string): string {
    if (id === "0") return "";
    return this.names.get(id) ?? id;
  }

  /** The current leader's name, asked of the running members (null if none answers with one). */
  async leader(): Promise<string | null> {
    if (this.names.size === 0) await this.learnNames();
    for (const m of this.runningMembers()) {
      const s = await this.gateway(m.name).status(500);
      if (s.ok && s.value.leader !== "0") return this.nameOf(s.value.leader);
    }
    return null;
  }

  /** kill -9 of a member. */
  async kill(name: string): Promise<void> {
    const m = this.member(name);
    if (m.pid === null || !signalOurs(m.pid, this.clusterDir, "SIGKILL")) throw new Error(`${name} is not running`);
    await waitGone([m.pid], 5000);
    m.pid = null;
    this.save();
  }

  /** Freezes a member (SIGSTOP): to the others it is gone, like a partitioned or hung machine. */
  freeze(name: string): void {
    const m = this.member(name);
    if (m.pid === null || !signalOurs(m.pid, this.clusterDir, "SIGSTOP")) throw new Error(`${name} is not running`);
  }

  /** Resumes a frozen member (SIGCONT). */
  thaw(name: string): void {
    const m = this.member(name);
    if (m.pid === null || !signalOurs(m.pid, this.clusterDir, "SIGCONT")) throw new Error(`${name} is not running`);
  }

  async status(): Promise<EtcdMemberStatus[]> {
    if (this.names.size === 0) await this.learnNames().catch(() => undefined);
    return Promise.all(this.state.members.map(async (m) => {
      const running = m.pid !== null && isOurs(m.pid, this.clusterDir);
      const out: EtcdMemberStatus = { name: m.name, clientPort: m.clientPort, pid: m.pid, running, status: null, isLeader: false, leaderName: null };
      if (!running) return out;
      const s = await this.gateway(m.name).status(1000);
      if (s.ok) {
        out.status = s.value;
        out.isLeader = s.value.leader === s.value.memberId;
        out.leaderName = this.nameOf(s.value.leader);
      } else out.error = s.error;
      return out;
    }));
  }

  /**
   * Stops every member (SIGCONT first, in case one is frozen), checks ports, removes data. With
   * `keepData` members get SIGTERM (a clean stop, SIGKILL after 10 s); otherwise SIGKILL at once: the
   * data is deleted anyway, and a clean stop of a whole cluster waits for leadership transfers that
   * cannot happen (seconds on a busy machine).
   */
  async down(options: { keepData?: boolean } = {}): Promise<{ stopped: { name: string; pid: number; how: string }[]; leftoversKilled: number; busyPorts: number[]; removed: boolean }> {
    const stopped: { name: string; pid: number; how: string }[] = [];
    await Promise.all(this.state.members.map(async (m) => {
      if (m.pid === null) return;
      signalOurs(m.pid, this.clusterDir, "SIGCONT");
      const how = await stopProcess({ name: m.name, pid: m.pid, cwd: m.dir }, this.clusterDir, options.keepData ? "SIGTERM" : "SIGKILL");
      if (how !== "not running") stopped.push({ name: m.name, pid: m.pid, how });
      m.pid = null;
    }));
    const leftoversKilled = await killLeftovers(this.clusterDir);
    for (const p of this.proxies.splice(0)) await p.close();
    const busy = await waitPortsFree(this.state.members.flatMap((m) => [m.clientPort, m.peerPort, this.advertisedPeerPort(m)]), 5000);
    if (options.keepData) this.save();
    else removeInBackground(this.root, this.clusterDir);
    return { stopped, leftoversKilled, busyPorts: busy, removed: !options.keepData };
  }
}

function tail(file: string, lines = 3): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-lines).join(" | ");
  } catch {
    return "(no log)";
  }
}
