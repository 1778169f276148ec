import { formatPath, quote, type PathSegment, type Problem } from "./errors";
import type { FaultSpec, Scenario, ScriptOp } from "./types";

/**
 * Rules that relate fields to each other, checked once the shape is right (so every field has its
 * type here): ids that must exist, exactly one primary, settings that only one mode understands,
 * times inside the run. Each rule reports at the exact field to fix; the caller reports the problem
 * that comes first in the file.
 */
export function crossCheck(s: Scenario): Problem[] {
  const cluster = new Cluster(s);
  return [
    ...checkNodes(s),
    ...checkReplication(s),
    ...checkLinks(s, cluster),
    ...cluster.frontendProblems,
    ...checkWorkload(s),
    ...checkScript(s, cluster),
    ...checkFaults(s, cluster),
  ];
}

/** What an id names: a database node, or a server of the front tier (which can crash, but holds no data). */
type ServerKind = "database" | "load balancer" | "app server";

/** The servers of a scenario by id, and the problems found while listing them. */
class Cluster {
  readonly servers = new Map<string, { kind: ServerKind; path: PathSegment[] }>();
  readonly domains = new Set<string>();
  readonly frontendProblems: Problem[] = [];

  constructor(s: Scenario) {
    s.nodes.forEach((n, i) => {
      if (!this.servers.has(n.id)) this.servers.set(n.id, { kind: "database", path: ["nodes", i] });
      if (n.domain !== undefined) this.domains.add(n.domain);
    });
    if (s.frontend === undefined) return;
    this.addFrontend(s.frontend.loadBalancer, "load balancer", ["frontend", "loadBalancer"]);
    s.frontend.appServers.forEach((id, i) => this.addFrontend(id, "app server", ["frontend", "appServers", i]));
  }

  /** Frontend ids must be distinct from database ids and from each other: one id, one server. */
  private addFrontend(id: string, kind: ServerKind, path: PathSegment[]): void {
    const taken = this.servers.get(id);
    if (taken === undefined) {
      this.servers.set(id, { kind, path });
      return;
    }
    const what = taken.kind === "database" ? "a database node" : articled(taken.kind);
    this.frontendProblems.push({ path, problem: `${quote(id)} is already the id of ${what} (${formatPath(taken.path)})` });
  }

  /** A problem when `id` is not a server that may play this part (`databaseOnly`: it must hold data). */
  reference(id: string, path: PathSegment[], databaseOnly = false): Problem[] {
    const server = this.servers.get(id);
    if (server === undefined) return [{ path, problem: `${quote(id)} is not a node of this cluster` }];
    if (databaseOnly && server.kind !== "database") {
      return [{ path, problem: `${quote(id)} is ${articled(server.kind)}, not a database node` }];
    }
    return [];
  }
}

function checkNodes(s: Scenario): Problem[] {
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  let primary: { id: string; index: number } | undefined;
  s.nodes.forEach((node, i) => {
    const earlier = firstIndex.get(node.id);
    if (earlier !== undefined) problems.push(at(["nodes", i, "id"], `${quote(node.id)} is used by nodes[${earlier}] too`));
    else firstIndex.set(node.id, i);
    const manyPrimaries = s.replication.mode === "multi-master" || s.replication.mode === "quorum";
    if (node.role === "primary" && primary !== undefined && !manyPrimaries) {
      problems.push(at(["nodes", i, "role"], `a second primary (${quote(node.id)}); ${primary.id} is already primary (only multi-master and quorum modes have several)`));
    } else if (node.role === "primary" && primary === undefined) primary = { id: node.id, index: i };
    if (node.role === "witness" && s.replication.mode !== "quorum") {
      problems.push(at(["nodes", i, "role"], `"witness" needs replication mode "quorum" (mode is ${quote(s.replication.mode)})`));
    }
    if (node.workers === undefined) problems.push(...needsWorkers(node, i));
  });
  if (primary === undefined) problems.push(at(["nodes"], `no node has role "primary"`));
  return problems;
}

/** Service times and queues describe workers: without `workers` they would be silently ignored. */
function needsWorkers(node: Scenario["nodes"][number], i: number): Problem[] {
  const fields = (["serviceTimeMs", "queueLimit"] as const).filter((f) => node[f] !== undefined);
  return fields.map((f) => at(["nodes", i, f], `only used together with "workers" (without workers the node has unlimited capacity)`));
}

function checkReplication(s: Scenario): Problem[] {
  const { mode, acks, fallbackToAsyncAfterMs } = s.replication;
  const replicas = s.nodes.filter((n) => n.role === "replica").length;
  const problems: Problem[] = [];
  if (mode === "semi-sync") {
    if (replicas === 0) problems.push(at(["replication", "mode"], "semi-sync needs at least one replica, and this cluster has none"));
    else if (acks === undefined) {
      problems.push(at(["replication", "acks"], `semi-sync needs "acks": how many replicas must confirm each write (1 to ${replicas})`));
    } else if (acks > replicas) {
      problems.push(at(["replication", "acks"], `${acks} is more than the ${replicas} replica${replicas === 1 ? "" : "s"}`));
    }
  } else if (acks !== undefined) {
    problems.push(at(["replication", "acks"], `only semi-sync replication waits for a number of acks (mode is ${quote(mode)})`));
  }
  if (fallbackToAsyncAfterMs !== undefined && mode !== "sync") {
    problems.push(at(["replication", "fallbackToAsyncAfterMs"], `only sync replication falls back to async (mode is ${quote(mode)})`));
  }
  problems.push(...checkFailover(s, replicas), ...checkModeOptions(s));
  return problems;
}

/** Options that only one mode understands are errors elsewhere, so a typo in the mode never passes silently. */
function checkModeOptions(s: Scenario): Problem[] {
  const r = s.replication;
  const problems: Problem[] = [];
  const only = (field: keyof typeof r, mode: string) => {
    if (r[field] !== undefined && r.mode !== mode) problems.push(at(["replication", field], `only ${mode} replication uses it (mode is ${quote(r.mode)})`));
  };
  only("resolution", "multi-master");
  for (const field of ["readQuorum", "writeBack", "ballots", "proposalTimeoutMs"] as const) only(field, "quorum");
  if (r.mode === "multi-master") {
    if (r.resolution === undefined) problems.push(at(["replication", "resolution"], `multi-master needs "resolution": "lww", "reject" or "merge"`));
    if (s.nodes.filter((n) => n.role === "primary").length < 2) problems.push(at(["nodes"], `multi-master needs at least two nodes with role "primary" (the masters)`));
    if (s.nodes.some((n) => n.role !== "primary")) problems.push(at(["nodes"], `in multi-master every node is a master: give each role "primary"`));
  }
  if (r.mode === "quorum" && r.readQuorum !== undefined && r.readQuorum > s.nodes.length) {
    problems.push(at(["replication", "readQuorum"], `${r.readQuorum} is more than the ${s.nodes.length} nodes`));
  }
  if ((r.mode === "multi-master" || r.mode === "quorum") && r.failover !== undefined) {
    problems.push(at(["replication", "failover"], `${r.mode} has no single primary to fail over`));
  }
  return problems;
}

function checkFailover(s: Scenario, replicas: number): Problem[] {
  const failover = s.replication.failover;
  if (failover === undefined) return [];
  if (s.replication.mode === "none" || replicas === 0) {
    return [at(["replication", "failover"], "failover needs replicas to promote (replication mode is none or there are no replicas)")];
  }
  if (failover.leaseMs !== undefined && failover.leases === false) {
    return [at(["replication", "failover", "leaseMs"], `only used with leases (leases is false)`)];
  }
  return [];
}

function checkLinks(s: Scenario, cluster: Cluster): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  (s.network.links ?? []).forEach((link, i) => {
    const path: PathSegment[] = ["network", "links", i];
    problems.push(...linkEnds(link, path, cluster));
    const key = JSON.stringify([link.from, link.to]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(at(path, `a second override for ${link.from} -> ${link.to} (network.links[${earlier}] already sets it)`));
    } else seen.set(key, i);
  });
  return problems;
}

/** Both ends of a link (or of a fault on one) must be servers, and different ones. */
function linkEnds(link: { from: string; to: string }, path: PathSegment[], cluster: Cluster): Problem[] {
  const problems = [...cluster.reference(link.from, [...path, "from"]), ...cluster.reference(link.to, [...path, "to"])];
  if (link.from === link.to) problems.push(at([...path, "to"], `a link joins two different servers, but both ends are ${quote(link.to)}`));
  return problems;
}

function checkWorkload(s: Scenario): Problem[] {
  const w = s.workload;
  if (w === undefined) {
    return s.script === undefined || s.script.length === 0 ? [at(["workload"], "a scenario needs a workload or a script")] : [];
  }
  const problems: Problem[] = [];
  if ((w.opsPerSec === undefined) === (w.clients === undefined)) {
    const both = w.opsPerSec !== undefined;
    problems.push(at(["workload"], `give either opsPerSec (open loop) or clients (closed loop)${both ? ", not both" : ""}`));
  }
  if (w.thinkTimeMs !== undefined && w.clients === undefined) {
    problems.push(at(["workload", "thinkTimeMs"], `only a closed-loop workload (with "clients") thinks between operations`));
  }
  if (w.stopAtMs !== undefined) problems.push(...withinRun(w.stopAtMs, ["workload", "stopAtMs"], s));
  if (w.analytics !== undefined) problems.push(...checkAnalytics(s, w.analytics));
  if ((w.readFrom === "replicas" || w.readFrom === "least-loaded") && !s.nodes.some((n) => n.role === "replica")) {
    problems.push(at(["workload", "readFrom"], `${quote(w.readFrom)} needs at least one node with role "replica"`));
  }
  return problems;
}

function checkAnalytics(s: Scenario, a: NonNullable<NonNullable<Scenario["workload"]>["analytics"]>): Problem[] {
  const targets = s.nodes.filter((n) => (a.on === "primary" ? n.role === "primary" : n.role === "replica"));
  if (targets.length === 0) return [at(["workload", "analytics", "on"], `there is no node with role ${quote(a.on === "primary" ? "primary" : "replica")}`)];
  const unlimited = targets.find((n) => n.workers === undefined);
  if (unlimited) {
    return [at(["workload", "analytics"], `analytics queries need nodes with "workers" (a finite capacity to take): ${quote(unlimited.id)} has none`)];
  }
  return [];
}

function checkScript(s: Scenario, cluster: Cluster): Problem[] {
  const problems: Problem[] = [];
  (s.script ?? []).forEach((op: ScriptOp, i) => {
    problems.push(...withinRun(op.atMs, ["script", i, "atMs"], s));
    if (op.node !== undefined) problems.push(...cluster.reference(op.node, ["script", i, "node"], op.op === "promote"));
  });
  return problems;
}

function checkFaults(s: Scenario, cluster: Cluster): Problem[] {
  const problems: Problem[] = [];
  (s.faults ?? []).forEach((fault, i) => problems.push(...checkFault(fault, ["faults", i], s, cluster)));
  return problems;
}

/** Faults that undo another fault, and so have nothing to undo themselves. */
const UNDOING_FAULTS: ReadonlySet<string> = new Set(["restart", "restore", "heal"]);

function checkFault(fault: FaultSpec, path: PathSegment[], s: Scenario, cluster: Cluster): Problem[] {
  if (fault.type === "random-crashes") return checkRandomCrashes(fault, path, s, cluster);
  const problems = withinRun(fault.atMs, [...path, "atMs"], s);
  if (fault.durationMs !== undefined && UNDOING_FAULTS.has(fault.type)) {
    problems.push(at([...path, "durationMs"], `a ${quote(fault.type)} cannot be undone, so it takes no durationMs`));
  }
  switch (fault.type) {
    case "crash":
    case "restart":
    case "disk-loss":
      return [...problems, ...cluster.reference(fault.node, [...path, "node"], fault.type === "disk-loss")];
    case "cut":
    case "restore":
    case "slow":
      return [...problems, ...linkEnds(fault, path, cluster)];
    case "partition":
      return [...problems, ...checkGroups(fault.groups, [...path, "groups"], cluster)];
    case "domain-failure":
      return [...problems, ...checkDomain(fault.domain, [...path, "domain"], cluster)];
    case "heal":
      return problems;
  }
}

/** Partition groups name existing servers, and each server is in one group at most. */
function checkGroups(groups: string[][], path: PathSegment[], cluster: Cluster): Problem[] {
  const problems: Problem[] = [];
  const groupOf = new Map<string, number>();
  groups.forEach((group, g) =>
    group.forEach((id, j) => {
      const here: PathSegment[] = [...path, g, j];
      problems.push(...cluster.reference(id, here));
      const earlier = groupOf.get(id);
      if (earlier === undefined) groupOf.set(id, g);
      else problems.push(at(here, earlier === g ? `${quote(id)} is listed twice` : `${quote(id)} is already in groups[${earlier}]`));
    }),
  );
  return problems;
}

function checkDomain(domain: string, path: PathSegment[], cluster: Cluster): Problem[] {
  if (cluster.domains.has(domain)) return [];
  const known = [...cluster.domains].map(quote).join(", ");
  return [at(path, `no node is in domain ${quote(domain)} (${known === "" ? "no node has a domain" : `domains: ${known}`})`)];
}

function checkRandomCrashes(
  fault: Extract<FaultSpec, { type: "random-crashes" }>,
  path: PathSegment[],
  s: Scenario,
  cluster: Cluster,
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  fault.nodes.forEach((id, j) => {
    problems.push(...cluster.reference(id, [...path, "nodes", j]));
    if (seen.has(id)) problems.push(at([...path, "nodes", j], `${quote(id)} is listed twice`));
    seen.add(id);
  });
  if (fault.fromMs !== undefined) problems.push(...withinRun(fault.fromMs, [...path, "fromMs"], s));
  if (fault.fromMs !== undefined && fault.untilMs !== undefined && fault.untilMs <= fault.fromMs) {
    problems.push(at([...path, "untilMs"], `must be after fromMs (${fault.fromMs}), got ${fault.untilMs}`));
  }
  return problems;
}

/** A moment must fall inside the run: something scheduled after the end would silently never happen. */
function withinRun(timeMs: number, path: PathSegment[], s: Scenario): Problem[] {
  if (timeMs <= s.durationMs) return [];
  return [at(path, `${timeMs} is after the end of the run (durationMs ${s.durationMs})`)];
}

function at(path: PathSegment[], problem: string): Problem {
  return { path, problem };
}

function articled(kind: ServerKind): string {
  return kind === "app server" ? "an app server" : `the ${kind}`;
}
