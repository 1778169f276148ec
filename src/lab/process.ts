/**
 * Starting and stopping the lab's server processes, by PID, and nothing else.
 *
 * Rules that keep the lab from ever touching anything it did not start:
 * - every server runs with its working directory inside the lab's own folder (its data directory),
 *   so "this process is ours" is checkable: /proc/<pid>/cwd lies inside the lab folder AND the
 *   executable is one of the lab's server binaries (postgres, etcd);
 * - processes are stopped by PID, after that check (a PID reused by another program is left alone);
 *   never by name (no pkill, no killall), never through pg_ctlcluster or systemd;
 * - servers are started detached (so `replicalab lab postgres up` can return), their PIDs written to
 *   the lab's state file; a session (notebook, test) adds a watchdog that stops them if the process
 *   that started them dies without cleaning up.
 *
 * Linux only (it reads /proc), like the Debian packages the lab runs.
 */
import { spawn, type SpawnOptions } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

/** Executables the lab starts; only processes running one of these are ever signalled by a scan. */
export const SERVER_EXECUTABLES = ["postgres", "etcd"];

export interface TrackedProcess {
  /** Lab name of the node ("primary", "s1", "e2"). */
  name: string;
  pid: number;
  /** Its working directory (inside the lab folder): the identity check. */
  cwd: string;
  /** How it ended, if it ended while this process was watching ("exit code 1", "signal SIGKILL"). */
  ended?: () => string | null;
}

export interface SpawnSpec {
  name: string;
  cmd: string;
  args: string[];
  /** Working directory; must lie inside the lab folder. */
  cwd: string;
  /** stdout and stderr go here (appended). */
  logFile: string;
  /** Run as this user (uid/gid) instead of the current one. */
  user?: ServerUser | null;
  env?: NodeJS.ProcessEnv;
}

export interface ServerUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/**
 * PostgreSQL refuses to run as root. When the lab runs as root it starts the server binaries as the
 * `postgres` user (the Debian package creates it); otherwise as the current user. Null = current user.
 */
export function pgServerUser(): ServerUser | null {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return null;
  const line = fs.readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith("postgres:"));
  if (line === undefined) throw new Error("running as root, the lab starts PostgreSQL as the 'postgres' user, and there is none (the Debian postgresql package creates it)");
  const f = line.split(":");
  return { name: "postgres", uid: Number(f[2]), gid: Number(f[3]), home: f[5] };
}

/** Hands a folder (recursively) to the server user, when there is one. */
export function giveTo(user: ServerUser | null, dir: string): void {
  if (user === null) return;
  const walk = (p: string) => {
    fs.chownSync(p, user.uid, user.gid);
    if (fs.statSync(p).isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
}

/** Starts a server detached from this process (it outlives a CLI call) and returns its PID. */
export function spawnTracked(spec: SpawnSpec): TrackedProcess {
  const log = fs.openSync(spec.logFile, "a");
  const options: SpawnOptions = {
    cwd: spec.cwd,
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...(spec.env ?? minimalEnv(spec.user ?? null)) },
  };
  if (spec.user) {
    options.uid = spec.user.uid;
    options.gid = spec.user.gid;
  }
  const child = spawn(spec.cmd, spec.args, options);
  fs.closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${spec.cmd}`);
  let ended: string | null = null;
  child.on("error", (err) => {
    ended = `error ${err.message}`;
  }); // reported by the readiness check instead
  child.on("exit", (code, signal) => {
    ended = signal ? `signal ${signal}` : `exit code ${code}`;
  });
  child.unref();
  return { name: spec.name, pid: child.pid, cwd: spec.cwd, ended: () => ended };
}

/** An environment for servers: no inherited PG* variables, a HOME the server user can read. */
export function minimalEnv(user: ServerUser | null): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: user?.home ?? process.env.HOME ?? "/tmp",
    LANG: "C.UTF-8",
    TZ: "UTC",
  };
}

/** Is `pid` a live (not zombie) process running in `labDir` with one of the lab's executables? */
export function isOurs(pid: number, labDir: string): boolean {
  const info = procInfo(pid);
  return info !== null && info.state !== "Z" && within(info.cwd, labDir) && SERVER_EXECUTABLES.includes(info.exe);
}

export function isAlive(pid: number): boolean {
  const info = procInfo(pid);
  return info !== null && info.state !== "Z";
}

interface ProcInfo {
  cwd: string;
  exe: string;
  state: string;
}

function procInfo(pid: number): ProcInfo | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    const cwd = fs.readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, "");
    const exe = path.basename(fs.readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, ""));
    return { cwd, exe, state };
  } catch {
    return null;
  }
}

function within(dir: string, root: string): boolean {
  const r = path.resolve(root);
  return dir === r || dir.startsWith(r + path.sep);
}

/**
 * Every live server process of this lab folder (postgres backends whose postmaster was killed
 * included): a /proc scan by working directory and executable. The way to prove nothing is left.
 */
export function labProcesses(labDir: string): { pid: number; exe: string; cwd: string }[] {
  const out: { pid: number; exe: string; cwd: string }[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const info = procInfo(pid);
    if (info && info.state !== "Z" && within(info.cwd, labDir) && SERVER_EXECUTABLES.includes(info.exe)) out.push({ pid, exe: info.exe, cwd: info.cwd });
  }
  return out;
}

/** Sends `signal` to `pid` if it is still ours; false when it was not (gone, or someone else's). */
export function signalOurs(pid: number, labDir: string, signal: NodeJS.Signals): boolean {
  if (!isOurs(pid, labDir)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops one tracked process: `signal` (postgres: SIGINT = fast shutdown; etcd: SIGTERM), then
 * SIGKILL after `graceMs`. Resolves once it is gone.
 */
export async function stopProcess(p: TrackedProcess, labDir: string, signal: NodeJS.Signals, graceMs = 10_000): Promise<"stopped" | "killed" | "not running"> {
  if (!signalOurs(p.pid, labDir, signal)) return "not running";
  if (await waitGone([p.pid], graceMs)) return "stopped";
  signalOurs(p.pid, labDir, "SIGKILL");
  await waitGone([p.pid], 5_000);
  return "killed";
}

/** SIGKILLs every process `labProcesses` finds (each by PID) and waits for them to go. */
export async function killLeftovers(labDir: string): Promise<number> {
  const left = labProcesses(labDir);
  for (const p of left) signalOurs(p.pid, labDir, "SIGKILL");
  await waitGone(left.map((p) => p.pid), 5_000);
  return left.length;
}

/** True once none of `pids` is alive (zombies count as gone). */
export async function waitGone(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pids.every((pid) => !isAlive(pid))) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Can a server bind 127.0.0.1:port right now? */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The ports of `ports` that are in use on 127.0.0.1. */
export async function busyPorts(ports: readonly number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const p of ports) if (!(await portFree(p))) busy.push(p);
  return busy;
}

/** Waits until every port is free again (a stopped server's socket closes a moment after it exits). */
export async function waitPortsFree(ports: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const busy = await busyPorts(ports);
    if (busy.length === 0 || Date.now() > deadline) return busy;
    await sleep(50);
  }
}

/**
 * A watchdog for sessions (a notebook kernel, a test run): a tiny detached node process that checks
 * every 300 ms whether `parentPid` is alive; when it is gone, it SIGKILLs the lab's server processes
 * (found by the same /proc rule: working directory inside `labDir`, executable postgres or etcd) and
 * exits. Returns a function that stops the watchdog (call it after a normal cleanup).
 */
export function startWatchdog(labDir: string, parentPid: number = process.pid): () => void {
  const script = `
const fs = require("fs"), path = require("path");
const [parent, root] = [Number(process.argv[1]), path.resolve(process.argv[2])];
const ours = ${JSON.stringify(SERVER_EXECUTABLES)};
function sweep() {
  for (const e of fs.readdirSync("/proc")) {
    if (!/^\\d+$/.test(e)) continue;
    try {
      const cwd = fs.readlinkSync("/proc/" + e + "/cwd").replace(/ \\(deleted\\)$/, "");
      const exe = path.basename(fs.readlinkSync("/proc/" + e + "/exe").replace(/ \\(deleted\\)$/, ""));
      if ((cwd === root || cwd.startsWith(root + "/")) && ours.includes(exe)) process.kill(Number(e), "SIGKILL");
    } catch {}
  }
}
setInterval(() => {
  try { process.kill(parent, 0); } catch { sweep(); setTimeout(() => { sweep(); process.exit(0); }, 500); }
}, 300);
`;
  const child = spawn(process.execPath, ["-e", script, String(parentPid), labDir], { detached: true, stdio: "ignore", cwd: "/" });
  child.unref();
  const pid = child.pid;
  return () => {
    if (pid === undefined) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
}
