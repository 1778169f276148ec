import type { Distribution } from "../scenario/types";
import { Random } from "../sim/random";
import { checkAtomicity } from "../txn/commit/atomicity";
import { COMMIT_BUGS, type CommitBug } from "../txn/commit/bugs";
import type { TxnEvent } from "../txn/commit/events";
import type { AtomicCommitScenario, CommitFaultSpec, CommitProtocol, CoordinatorPhase, ParticipantPhase } from "../txn/commit/scenario-types";
import { resolveSettings, safetyConditions } from "../txn/commit/settings";
import { AtomicCommitSimulation } from "../txn/commit/simulation";
import { emptyCoverage } from "./coverage";
import { faultOptions } from "./fault-mix";
import type { Violation } from "./invariants";
import type { HarnessModeDef } from "./registry";
import type { RunSeedInput, SeedResult } from "./run-seed";
import { worldSeedResult } from "./world-seed-result";

/**
 * Atomic commitment under the harness: per seed, a coordinator and 2-4 participants run a stream of
 * distributed transactions (src/txn/commit) for a safety phase of 1 s with faults drawn from the
 * seed, then 3 s without new transactions or faults in which everything must resolve.
 *
 * - 2pc: crashes of the coordinator or of participants (at a time, or at a point of the protocol:
 *   after the prepares went out, after the votes came in, after the decision went out, before or after
 *   a vote), each followed by a restart; partitions that heal; message loss. 2PC must stay atomic
 *   under all of them (it blocks instead), and once every node is back, nobody stays in doubt.
 * - 3pc: crash-stop faults only (crashed nodes never return) with bounded delay (uniform latency the
 *   timeouts cover), no loss, no partitions: the conditions of Skeen's proof, checked with
 *   `safetyConditions` on every seed. 3PC must stay atomic, and no live participant stays in doubt
 *   (3PC is non-blocking under these conditions).
 */

const SAFETY_MS = 1000;
const SETTLE_MS = 3000;

interface DrawnFault {
  spec: CommitFaultSpec;
  description: string;
}

/** The scenario of one seed, and its faults in words. */
export function atomicCommitScenario(protocol: CommitProtocol, seed: number): { scenario: AtomicCommitScenario; faults: string[] } {
  const random = new Random(seed, `harness/${protocol}`);
  const between = (min: number, max: number) => min + random.int(max - min + 1);
  const pick = <T>(list: readonly T[]): T => list[random.int(list.length)];
  const participants = between(2, 4);
  const latencyMs: Distribution = { dist: "uniform", min: 1, max: between(3, 8) };
  const names = Array.from({ length: participants }, (_, i) => `p${i + 1}`);
  const crashStop = protocol === "3pc";
  const drawn: DrawnFault[] = [];
  const count = between(1, 3);
  for (let i = 0; i < count; i++) {
    const durationMs = between(50, 600);
    const lasting = crashStop ? "for good" : `for ${durationMs} ms`;
    const duration = crashStop ? {} : { durationMs };
    const kinds = crashStop ? ["coordinator-crash", "coordinator-phase-crash", "participant-crash", "participant-phase-crash"] : ["coordinator-crash", "coordinator-phase-crash", "participant-crash", "participant-phase-crash", "partition"];
    const kind = pick(kinds);
    const atMs = between(50, SAFETY_MS - 100);
    switch (kind) {
      case "coordinator-crash":
        drawn.push({ spec: { type: "crash", node: "coordinator", atMs, ...duration }, description: `crash coordinator at ${atMs} ms ${lasting}` });
        break;
      case "coordinator-phase-crash": {
        const phases: CoordinatorPhase[] = protocol === "3pc" ? ["after-prepare-sent", "after-votes", "after-precommit-sent", "after-decision-sent"] : ["after-prepare-sent", "after-votes", "after-decision-sent"];
        const atPhase = pick(phases);
        const afterMessages = atPhase === "after-votes" ? between(0, participants) : between(0, participants - 1);
        const txn = between(1, 60);
        drawn.push({ spec: { type: "crash", node: "coordinator", atPhase, afterMessages, txn, ...duration }, description: `crash coordinator ${atPhase} (${afterMessages}) of T${txn} ${lasting}` });
        break;
      }
      case "participant-crash": {
        const node = pick(names);
        drawn.push({ spec: { type: "crash", node, atMs, ...duration }, description: `crash ${node} at ${atMs} ms ${lasting}` });
        break;
      }
      case "participant-phase-crash": {
        const node = pick(names);
        const phases: ParticipantPhase[] = protocol === "3pc" ? ["before-vote", "after-vote", "after-precommit"] : ["before-vote", "after-vote"];
        const atPhase = pick(phases);
        const txn = between(1, 60);
        drawn.push({ spec: { type: "crash", node, atPhase, txn, ...duration }, description: `crash ${node} ${atPhase} of T${txn} ${lasting}` });
        break;
      }
      case "partition": {
        const alone = random.chance(0.5) ? "coordinator" : pick(names);
        const groups = [[alone], ["coordinator", ...names].filter((n) => n !== alone)];
        drawn.push({ spec: { type: "partition", groups, atMs, durationMs }, description: `partition [${alone}] from the rest at ${atMs} ms for ${durationMs} ms` });
        break;
      }
    }
  }
  const lossRate = crashStop || random.chance(0.5) ? 0 : Math.round(random.next() * 50) / 1000;
  const faults = drawn.map((d) => d.description);
  if (lossRate > 0) faults.push(`loss ${lossRate} on every link`);
  const scenario: AtomicCommitScenario = {
    format: 1,
    kind: "atomic-commit",
    name: `harness-${protocol}`,
    description: `reliability harness: ${protocol} with ${participants} participants`,
    seed,
    durationMs: SAFETY_MS + SETTLE_MS,
    maxEvents: 200_000,
    protocol,
    participants,
    network: { latencyMs, ...(lossRate > 0 ? { lossRate } : {}) },
    workload: {
      txPerSec: between(60, 160),
      keys: between(10, 40),
      keysPerTx: between(2, participants),
      stopAtMs: SAFETY_MS,
      voteNoProbability: random.chance(0.5) ? 0 : Math.round(random.next() * 100) / 1000,
    },
    faults: drawn.map((d) => d.spec),
  };
  return { scenario, faults };
}

function runAtomicCommitSeed(protocol: CommitProtocol, input: RunSeedInput): SeedResult {
  const { scenario, faults } = atomicCommitScenario(protocol, input.seed);
  const bugs = [...(input.bugs ?? [])];
  const sim = new AtomicCommitSimulation(scenario, { bugs: bugs.filter((b): b is CommitBug => (COMMIT_BUGS as readonly string[]).includes(b)), recordEvents: input.record });
  let inDoubtEvents = 0;
  let terminations = 0;
  let coordinatorCrashes = 0;
  let partitions = 0;
  let lost = 0;
  const down = new Set<string>();
  const subscription = sim.events$.subscribe((e: TxnEvent) => {
    if (e.type === "in-doubt") inDoubtEvents++;
    else if (e.type === "termination-start") terminations++;
    else if (e.type === "crash") {
      down.add(e.node);
      if (e.node === "coordinator") coordinatorCrashes++;
    } else if (e.type === "recover") down.delete(e.node);
    else if (e.type === "fault-start" && e.kind === "partition") partitions++;
    else if (e.type === "drop" && e.reason === "loss") lost++;
  });
  sim.run();
  const summary = sim.summary();
  const outcomes = sim.outcomes();
  const endMs = summary.durationMs;
  const violations: Violation[] = [];
  let violationCount = 0;
  const atomicity = checkAtomicity(outcomes);
  violationCount += atomicity.count;
  for (const v of atomicity.examples.slice(0, 3)) {
    const outcome = outcomes.find((o) => o.txn === v.txn);
    violations.push({ invariant: "all-commit-or-all-abort", timeMs: outcome?.startMs ?? 0, node: v.committed[0] ?? null, message: v.explanation });
  }
  // Liveness: 2PC once every node is back; 3PC for every live participant.
  const stuck = outcomes.flatMap((o) => o.inDoubt.filter((node) => protocol === "2pc" || !down.has(node)).map((node) => ({ o, node })));
  if (stuck.length > 0) {
    const rule = protocol === "2pc" ? "in-doubt-resolved-after-recovery" : "3pc-live-participants-decide";
    violationCount += stuck.length;
    for (const { o, node } of stuck.slice(0, 3)) violations.push({ invariant: rule, timeMs: endMs, node, message: `${node} is still in doubt about T${o.txn} at ${endMs} ms (${SETTLE_MS} ms after the last transaction and fault)` });
  }
  const conditions = safetyConditions(scenario, resolveSettings(scenario));
  if (protocol === "3pc" && !conditions.threePhaseCommitSafe) {
    violationCount++;
    violations.push({ invariant: "3pc-assumptions", timeMs: 0, node: null, message: `the harness drew a 3PC scenario outside crash-stop with bounded delay: ${JSON.stringify(conditions)}` });
  }
  const milestones: Record<string, number> = {
    "in-doubt": inDoubtEvents,
    "in-doubt-blocked": summary.blockedMs > 0 ? 1 : 0,
    "coordinator-crash": coordinatorCrashes,
    ...(protocol === "3pc" ? { termination: terminations } : { "presumed-abort": summary.abortedBy.presumedAbort, partition: partitions }),
  };
  const coverage = emptyCoverage(milestones);
  coverage.messagesLost = lost;
  if (lost > 0) coverage.faultsFired.push("loss");
  if (down.size > 0 || coordinatorCrashes > 0) coverage.faultsFired.unshift("crash");
  if (partitions > 0) coverage.faultsFired.splice(coverage.faultsFired.indexOf("crash") + 1, 0, "partition");
  violations.sort((x, y) => x.timeMs - y.timeMs);
  return worldSeedResult({
    input,
    mode: protocol,
    bugs,
    violations,
    violationCount,
    coverage,
    faults,
    totals: { acknowledged: summary.transactions.committed, lost: atomicity.count },
    events: summary.events,
    eventHash: summary.eventHash,
    openSubscriptions: subscription.closed ? 0 : 1,
    recorded: () => ({ scenario, history: [...(sim.events ?? [])] }),
  });

}

const common = {
  family: "transactions" as const,
  bugs: COMMIT_BUGS,
  defaultFaults: () => faultOptions({ enabled: [] }),
};

export const ATOMIC_COMMIT_2PC: HarnessModeDef = {
  ...common,
  name: "2pc",
  description: "two-phase commit, a coordinator and 2-4 participants, 60-160 transactions/s for 1 s, then 3 s to resolve",
  faultsText: "1-3 crashes of the coordinator or a participant (at a time or at a protocol point) each followed by a restart, partitions that heal, loss up to 5% in half the seeds",
  milestones: ["in-doubt", "in-doubt-blocked", "coordinator-crash", "presumed-abort", "partition"],
  invariants: () => [
    { name: "all-commit-or-all-abort", rule: "every node that decided a transaction decided the same (checkAtomicity)" },
    { name: "in-doubt-resolved-after-recovery", rule: "once every crashed node is back and partitions healed, no participant stays in doubt" },
  ],
  run: (input) => runAtomicCommitSeed("2pc", input),
};

export const ATOMIC_COMMIT_3PC: HarnessModeDef = {
  ...common,
  name: "3pc",
  description: "three-phase commit under crash-stop faults with bounded delay (Skeen's conditions), 2-4 participants",
  faultsText: "1-3 crash-stop failures of the coordinator or a participant (at a time or at a protocol point); uniform latency the timeouts cover; no loss, no partitions",
  // No presumed abort here: under crash-stop a crashed coordinator never recovers to presume anything.
  milestones: ["in-doubt", "in-doubt-blocked", "coordinator-crash", "termination"],
  invariants: () => [
    { name: "all-commit-or-all-abort", rule: "every node that decided a transaction decided the same (checkAtomicity)" },
    { name: "3pc-live-participants-decide", rule: "no live participant is still in doubt at the end (3PC is non-blocking under crash-stop with bounded delay)" },
    { name: "3pc-assumptions", rule: "the seed's scenario satisfies Skeen's conditions (safetyConditions)" },
  ],
  run: (input) => runAtomicCommitSeed("3pc", input),
};
