import { quote, quoteAll, type PathSegment, type Problem } from "../../scenario/errors";
import { COORDINATOR_NAME, keyNumber, nodeNumber } from "./nodes";
import { COORDINATOR_PHASES, COUNTED_PHASES, PARTICIPANT_PHASES } from "./scenario-schema";
import type { AtomicCommitScenario, CommitFaultSpec, CommitPhase } from "./scenario-types";

/**
 * Rules that relate fields of an atomic-commit scenario, checked once the shape is right: faults name
 * nodes that exist and phases their protocol and role have, fixed transactions name real keys, times
 * fall inside the run. Each rule reports at the exact field to fix.
 */
export function crossCheckCommit(s: AtomicCommitScenario): Problem[] {
  return [...checkProtocolOptions(s), ...checkWorkload(s), ...(s.faults ?? []).flatMap((f, i) => checkFault(s, f, ["faults", i]))];
}

const THREE_PC_ONLY: readonly CommitPhase[] = ["after-precommit-sent", "after-precommit"];

function checkProtocolOptions(s: AtomicCommitScenario): Problem[] {
  if (s.cooperativeTermination !== undefined && s.protocol === "3pc") {
    return [at(["cooperativeTermination"], "applies to 2pc only (3pc always runs its termination protocol)")];
  }
  return [];
}

function checkWorkload(s: AtomicCommitScenario): Problem[] {
  const w = s.workload;
  const keys = w.keys ?? 100;
  const problems: Problem[] = [];
  if (w.txPerSec === undefined && w.transactions === undefined) {
    problems.push(at(["workload"], 'needs "txPerSec" (random arrivals) or "transactions" (a fixed list), or both'));
  }
  const keysPerTx = w.keysPerTx ?? Math.min(s.participants, keys);
  if (keysPerTx > keys) problems.push(at(["workload", "keysPerTx"], `must be at most the number of keys (${keys}), got ${keysPerTx}`));
  (w.transactions ?? []).forEach((tx, i) => {
    if (tx.atMs > s.durationMs) problems.push(afterEnd(["workload", "transactions", i, "atMs"], s));
    problems.push(...checkTransactionKeys(tx.keys, keys, ["workload", "transactions", i, "keys"]));
  });
  return problems;
}

function checkTransactionKeys(names: readonly string[], keys: number, path: PathSegment[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  names.forEach((name, j) => {
    if (keyNumber(name, keys) === undefined) problems.push(at([...path, j], `${quote(name)} is not a key (keys are "k0" .. "k${keys - 1}")`));
    else if (seen.has(name)) problems.push(at([...path, j], `${quote(name)} is listed twice`));
    seen.add(name);
  });
  return problems;
}

function checkFault(s: AtomicCommitScenario, f: CommitFaultSpec, path: PathSegment[]): Problem[] {
  switch (f.type) {
    case "crash":
      return [...checkNode(s, f.node, [...path, "node"]), ...checkTrigger(s, f, path)];
    case "partition":
      return [...checkGroups(s, f.groups, [...path, "groups"]), ...checkTrigger(s, f, path)];
    case "random-crashes":
      return [...f.nodes.flatMap((n, j) => checkNode(s, n, [...path, "nodes", j])), ...checkWindow(f, path)];
    case "random-partitions":
      return checkWindow(f, path);
  }
}

function checkNode(s: AtomicCommitScenario, name: string, path: PathSegment[]): Problem[] {
  if (nodeNumber(name, s.participants) !== undefined) return [];
  const last = s.participants === 1 ? '"p1"' : `"p1" .. "p${s.participants}"`;
  return [at(path, `${quote(name)} is not a participant (nodes are ${quote(COORDINATOR_NAME)} and ${last})`)];
}

function checkGroups(s: AtomicCommitScenario, groups: readonly string[][], path: PathSegment[]): Problem[] {
  const groupOf = new Map<string, number>();
  const problems: Problem[] = [];
  groups.forEach((group, g) =>
    group.forEach((name, j) => {
      const earlier = groupOf.get(name);
      if (earlier !== undefined) problems.push(at([...path, g, j], `${quote(name)} is in groups[${earlier}] too`));
      else groupOf.set(name, g);
      problems.push(...checkNode(s, name, [...path, g, j]));
    }),
  );
  return problems;
}

type TriggeredFault = Extract<CommitFaultSpec, { type: "crash" | "partition" }>;

/** Exactly one of `atMs` and `atPhase`, a phase the protocol and the node's role have, a time inside the run. */
function checkTrigger(s: AtomicCommitScenario, f: TriggeredFault, path: PathSegment[]): Problem[] {
  if (f.atMs === undefined && f.atPhase === undefined) return [at(path, 'needs "atMs" (a time) or "atPhase" (a point in the protocol)')];
  if (f.atMs !== undefined && f.atPhase !== undefined) return [at([...path, "atPhase"], 'give "atMs" or "atPhase", not both')];
  if (f.atMs !== undefined) return [...phaseOptionsWithoutPhase(f, path), ...(f.atMs > s.durationMs ? [afterEnd([...path, "atMs"], s)] : [])];
  return checkPhase(s, f, f.atPhase as CommitPhase, [...path, "atPhase"]);
}

function phaseOptionsWithoutPhase(f: TriggeredFault, path: PathSegment[]): Problem[] {
  if (f.afterMessages !== undefined) return [at([...path, "afterMessages"], 'applies only with "atPhase"')];
  if (f.txn !== undefined) return [at([...path, "txn"], 'applies only with "atPhase"')];
  return [];
}

/** A phase the protocol has, that the faulty node goes through, and `afterMessages` only where messages are counted. */
function checkPhase(s: AtomicCommitScenario, f: TriggeredFault, phase: CommitPhase, path: PathSegment[]): Problem[] {
  if (s.protocol === "2pc" && THREE_PC_ONLY.includes(phase)) return [at(path, `${quote(phase)} exists only in 3pc`)];
  const roleProblem = checkPhaseRole(s, f, phase, path);
  if (roleProblem.length > 0) return roleProblem;
  if (f.afterMessages !== undefined && !(COUNTED_PHASES as readonly string[]).includes(phase)) {
    return [at([...path.slice(0, -1), "afterMessages"], `applies only to the phases counted in messages (${quoteAll(COUNTED_PHASES)})`)];
  }
  return [];
}

function checkPhaseRole(s: AtomicCommitScenario, f: TriggeredFault, phase: CommitPhase, path: PathSegment[]): Problem[] {
  const coordinatorPhase = (COORDINATOR_PHASES as readonly string[]).includes(phase);
  if (f.type === "partition" && !coordinatorPhase) {
    return [at(path, `a partition can start only at a coordinator phase (${quoteAll(COORDINATOR_PHASES)})`)];
  }
  if (f.type !== "crash" || nodeNumber(f.node, s.participants) === undefined) return [];
  const isCoordinator = f.node === COORDINATOR_NAME;
  if (isCoordinator && !coordinatorPhase) return [at(path, `${quote(phase)} is a participant phase; the coordinator's are ${quoteAll(COORDINATOR_PHASES)}`)];
  if (!isCoordinator && coordinatorPhase) return [at(path, `${quote(phase)} is a coordinator phase; a participant's are ${quoteAll(PARTICIPANT_PHASES)}`)];
  return [];
}

function checkWindow(f: { fromMs?: number; untilMs?: number }, path: PathSegment[]): Problem[] {
  if (f.fromMs !== undefined && f.untilMs !== undefined && f.untilMs < f.fromMs) {
    return [at([...path, "untilMs"], `must be >= fromMs (${f.fromMs}), got ${f.untilMs}`)];
  }
  return [];
}

function afterEnd(path: PathSegment[], s: AtomicCommitScenario): Problem {
  return at(path, `is after the end of the run (durationMs ${s.durationMs})`);
}

function at(path: PathSegment[], problem: string): Problem {
  return { path, problem };
}
