/**
 * Which real-system binaries this machine has, and exactly what to install when one is missing.
 *
 * The lab never downloads anything: it uses the Debian packages `postgresql` (server, pg_basebackup,
 * pgbench) and `etcd-server` + `etcd-client`. On a laptop without them every lab entry point says
 * what to install and stops (the CLI with exit code 4, the notebook and tests by skipping); the rest
 * of the kit does not depend on any of this.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const INSTALL = {
  postgres: "sudo apt-get install -y --no-install-recommends postgresql",
  etcd: "sudo apt-get install -y --no-install-recommends etcd-server etcd-client",
} as const;

export type LabSystem = keyof typeof INSTALL;

export interface PgTools {
  /** Folder of initdb, postgres, pg_basebackup (e.g. /usr/lib/postgresql/15/bin). */
  bindir: string;
  /** Major version, e.g. 15. */
  major: number;
  /** Full version string of the server binary ("postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"). */
  version: string;
}

export interface EtcdTools {
  etcd: string;
  /** Version line ("3.4.23"). */
  version: string;
}

/** What was found, or a one-line reason plus the install command. */
export type Found<T> = { ok: true; tools: T } | { ok: false; reason: string; install: string };

const PG_BINARIES = ["initdb", "postgres", "pg_basebackup"];

/**
 * PostgreSQL server binaries: `REPLICALAB_PG_BINDIR` if set, else `pg_config --bindir`, else the
 * newest /usr/lib/postgresql/<major>/bin (Debian puts the server binaries there, not on PATH).
 */
export function findPostgres(env: NodeJS.ProcessEnv = process.env): Found<PgTools> {
  const candidates: string[] = [];
  if (env.REPLICALAB_PG_BINDIR) candidates.push(env.REPLICALAB_PG_BINDIR);
  else {
    const fromPgConfig = run("pg_config", ["--bindir"], env);
    if (fromPgConfig) candidates.push(fromPgConfig.trim());
    candidates.push(...debianPgBindirs());
  }
  for (const dir of candidates) {
    if (!PG_BINARIES.every((b) => isExecutable(path.join(dir, b)))) continue;
    const version = run(path.join(dir, "postgres"), ["--version"], env)?.trim();
    const major = Number(/(\d+)(?:\.\d+)?/.exec(version ?? "")?.[1]);
    if (version && major >= 13) return { ok: true, tools: { bindir: dir, major, version } };
    if (version) return missing("postgres", `PostgreSQL ${major} in ${dir} is too old (the lab needs 13 or newer: reloadable primary_conninfo)`);
  }
  const looked = env.REPLICALAB_PG_BINDIR ? `REPLICALAB_PG_BINDIR=${env.REPLICALAB_PG_BINDIR}` : "pg_config --bindir and /usr/lib/postgresql/*/bin";
  return missing("postgres", `PostgreSQL server binaries (${PG_BINARIES.join(", ")}) not found (looked at ${looked})`);
}

/** etcd: `REPLICALAB_ETCD` if set, else `etcd` on PATH. */
export function findEtcd(env: NodeJS.ProcessEnv = process.env): Found<EtcdTools> {
  const bin = env.REPLICALAB_ETCD ?? which("etcd", env);
  if (bin === null || !isExecutable(bin)) {
    return missing("etcd", `etcd not found (looked at ${env.REPLICALAB_ETCD ? `REPLICALAB_ETCD=${env.REPLICALAB_ETCD}` : "PATH"})`);
  }
  const out = run(bin, ["--version"], env) ?? "";
  const version = /etcd Version:\s*(\S+)/.exec(out)?.[1] ?? "unknown";
  return { ok: true, tools: { etcd: bin, version } };
}

/** "PostgreSQL server binaries not found (...): install them with `sudo apt-get ...`" */
export function unavailableMessage(found: { reason: string; install: string }): string {
  return `${found.reason}: install with \`${found.install}\` (Debian/Ubuntu), or see docs/lab.md`;
}

function missing(system: LabSystem, reason: string): { ok: false; reason: string; install: string } {
  return { ok: false, reason, install: INSTALL[system] };
}

function debianPgBindirs(): string[] {
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)).map((d) => path.join(root, d, "bin"));
}

function which(name: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): string | null {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], env, timeout: 10_000 });
  } catch {
    return null;
  }
}
