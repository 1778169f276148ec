/**
 * The real-systems lab: real PostgreSQL streaming replication and a real etcd cluster on loopback,
 * measured into the kit's metric events and charts, and held against the simulator.
 *
 * Notebooks import it as `import * as lab from "replicalab/lib/lab"` (it is not part of the main
 * entry point, so the rest of the kit never loads `pg` or looks for servers). See docs/lab.md.
 */
import * as fs from "fs";
import * as path from "path";
import { labDir } from "./common";
import { EtcdLab } from "./etcd";
import { PgLab } from "./postgres";
import { killLeftovers, labProcesses, startWatchdog, waitPortsFree } from "./process";
import { findEtcd, findPostgres, unavailableMessage } from "./tools";

export { PgLab, PG_DEFAULT_PORT, connect, queryOnce, labConfig, nodeStatus, expectedSyncStates, type PgLabOptions, type PgNode, type PgNodeStatus, type DownReport } from "./postgres";
export { EtcdLab, EtcdGateway, ETCD_DEFAULT_PORT, type EtcdLabOptions, type EtcdMember, type EtcdMemberStatus, type EtcdStatus, type GatewayResult } from "./etcd";
export {
  commitLatency, failover, standbyWrite, labTarget, externalTarget, startWriters, ensureTable, roundTripMs, errorCode,
  ReplicationSampler, VisibilityProbe, PG_MODES, SESSION_MODES, pgMode, summarizeCommitRuns, TABLE, PROBE_TABLE,
  type PgTarget, type PgMode, type CommitLatencyOptions, type CommitLatencyResult, type CommitRun, type CommitSummaryRow,
  type FailoverOptions, type FailoverResult, type StandbyWriteResult, type WritersOptions, type WritersResult, type ReplicationSample,
} from "./pg-experiments";
export { leaderLoss, partition, type LeaderLossOptions, type LeaderLossResult, type LeaderLossRun, type PartitionOptions, type PartitionResult } from "./etcd-experiments";
export {
  pgParams, pgScenario, simReplication, runSim, compareCommitLatency, compareFailover, compareLeaderLoss, etcdScenario,
  comparisonTable, verdict, type PgSimParams, type SimRun, type ComparisonRow, type PgCommitComparison, type FailoverComparison,
  type EtcdComparison, type EtcdSimParams,
} from "./sim-compare";
export { LabRecorder, realProvenance, realTimeAxis, type RealRunData } from "./recorder";
export { DelayProxy, type DelayProxyOptions } from "./delay-proxy";
export { PeerProxy, etcdOrigin } from "./peer-proxy";
export { findPostgres, findEtcd, unavailableMessage, INSTALL, type PgTools, type EtcdTools, type Found } from "./tools";
export { labDir, LabUnavailableError, removalsDone } from "./common";
export { labProcesses, killLeftovers, portFree, busyPorts, startWatchdog, isOurs } from "./process";
export { stats, percentile, median, fitLognormal, round, ms, type Stats } from "./stats";
export { labCommand, LAB_USAGE, LAB_UNAVAILABLE } from "./cli";

export interface Availability {
  postgres: boolean;
  etcd: boolean;
  /** Both present. */
  all: boolean;
  /** What was found, or exactly what to install. */
  lines: string[];
}

/**
 * Which lab binaries this machine has. Prints one line per system (what was found, or exactly
 * what to install) so that a notebook says why its lab cells skip.
 */
export function available(print: (line: string) => void = (l) => console.log(l)): Availability {
  const pg = findPostgres();
  const etcd = findEtcd();
  const lines = [
    pg.ok ? `✓ ${pg.tools.version.replace(/^postgres \(PostgreSQL\)/, "PostgreSQL")} (${pg.tools.bindir})` : `✗ ${unavailableMessage(pg)}`,
    etcd.ok ? `✓ etcd ${etcd.tools.version} (${etcd.tools.etcd})` : `✗ ${unavailableMessage(etcd)}`,
  ];
  if (!pg.ok || !etcd.ok) lines.push("SKIPPING the lab cells that need the missing programs: they print \"skipped\" instead of running. The rest of the course does not need them.");
  for (const l of lines) print(l);
  return { postgres: pg.ok, etcd: etcd.ok, all: pg.ok && etcd.ok, lines };
}

/**
 * A session for a notebook or a test: a watchdog stops every server under `dir` if this process
 * dies without cleaning up; `end()` stops every lab cluster under `dir`, kills anything left there
 * (by PID), checks the ports are free and reports what it found.
 */
export function session(dir: string): { dir: string; end: () => Promise<{ clusters: string[]; leftovers: number; busyPorts: number[] }> } {
  const root = labDir(dir);
  fs.mkdirSync(root, { recursive: true });
  const stopWatchdog = startWatchdog(root);
  return {
    dir: root,
    end: async () => {
      const clusters: string[] = [];
      const ports: number[] = [];
      for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
        const state = path.join(root, name, "state.json");
        if (!fs.existsSync(state)) continue;
        const system = (JSON.parse(fs.readFileSync(state, "utf8")) as { system?: string }).system;
        if (system === "postgres") {
          const pg = PgLab.load({ dir: root, name });
          if (pg) {
            ports.push(...pg.nodes.map((n) => n.port));
            await pg.down();
            clusters.push(name);
          }
        } else if (system === "etcd") {
          const e = EtcdLab.load({ dir: root, name });
          if (e) {
            ports.push(...e.members.flatMap((m) => [m.clientPort, m.peerPort]));
            await e.down();
            clusters.push(name);
          }
        }
      }
      const leftovers = await killLeftovers(root);
      const busy = await waitPortsFree(ports, 5000);
      stopWatchdog();
      return { clusters, leftovers, busyPorts: busy };
    },
  };
}

/** Live server processes of the lab under `dir` (should be none after `end()`). */
export function leftoverProcesses(dir: string): number {
  return labProcesses(labDir(dir)).length;
}
