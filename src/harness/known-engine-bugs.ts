import type { RunSummary } from "../metrics/summary";
import type { Scenario, ScriptOp } from "../scenario/types";
import { drawFaults, faultOptions, withFaults, type FaultOptions } from "./fault-mix";
import type { Violation } from "./invariants";
import { DURABLE_FAULTS, scenarioFor, type HarnessMode } from "./modes";

/**
 * Engine bugs the harness found: invariants violated on runs WITHOUT a deliberate bug. The harness
 * does not patch the engine. It records each bug here with its diagnosis, a minimal scenario that
 * reproduces it, and a rule that recognises its violations by mechanism (not by seed, so the rule
 * survives unrelated engine changes). Recognised violations are still reported, marked `knownBug`;
 * the tests fail only on violations no known bug explains, and check that each minimal scenario still
 * fails, so a fix shows up as a test asking for its entry to be removed.
 */

export interface KnownEngineBug {
  id: string;
  title: string;
  /** Invariants whose violations it explains. */
  invariants: string[];
  diagnosis: string;
  fix: string;
  /**
   * A harness seed that hits it with the engine it was found on (seeds shift whenever the engine
   * changes; the minimal scenario does not).
   */
  example?: { mode: HarnessMode; seed: number; faults?: Partial<FaultOptions> };
  /** A hand-written scenario that shows it in one run, and what to look at. */
  minimal: { scenario: Scenario; shows: string };
  /** How the engine was fixed (the entry stays as a regression test; fixed bugs explain no violation). */
  fixed?: string;
}

/** Facts of one run that the rules need (besides its violations). */
export interface RunFacts {
  summary: Pick<RunSummary, "lostAcknowledgedWrites" | "atRiskWrites">;
  /** Writes acknowledged by a primary of an older epoch than the newest promotion. */
  deposedAcks: number;
  /**
   * Acknowledged writes the final primary lacked when the operator promoted it (0 without a
   * failover). Every write lost at the end was either missing from it then, or acknowledged later
   * by someone else than it (a deposed primary): anything beyond that is not explained.
   */
  finalPrimaryShortfall: number;
  /** Times a replica discarded log entries it had already applied (it then awaits a snapshot). */
  awaitingSnapshotEpisodes: number;
  /** Replicas still awaiting a snapshot when the run ended. */
  awaitingSnapshotAtEnd: number;
  /**
   * Live nodes whose log, at the end, holds the final primary's whole log plus entries beyond its last
   * index (an older reign's unreplicated tail that no later write overwrote).
   */
  staleSuffixNodes?: number;
}

/** A harness seed's scenario with its drawn faults, as `plan` builds it (without importing cluster-mode.ts). */
function harnessScenario(mode: "elections-async", seed: number): Scenario {
  const base = scenarioFor(mode, seed);
  return withFaults(base, drawFaults(seed, base.nodes.map((n) => n.id), faultOptions({ enabled: DURABLE_FAULTS })));
}

const base = (name: string, patch: Partial<Scenario>): Scenario => ({
  format: 1,
  name,
  seed: 1,
  durationMs: 1500,
  nodes: [
    { id: "db1", role: "primary", domain: "rack-a" },
    { id: "db2", role: "replica", domain: "rack-b" },
    { id: "db3", role: "replica", domain: "rack-c" },
  ],
  replication: { mode: "async" },
  network: { latencyMs: { dist: "constant", value: 2 } },
  ...patch,
});

/** `add 1` to key k every `everyMs` from `fromMs` to `toMs` (adds never mask a divergence). */
function adds(fromMs: number, toMs: number, everyMs: number, keys = 5): ScriptOp[] {
  const ops: ScriptOp[] = [];
  for (let t = fromMs, i = 0; t <= toMs; t += everyMs, i++) ops.push({ atMs: t, op: "add", key: `k${i % keys}`, amount: 1 });
  return ops;
}

export const KNOWN_ENGINE_BUGS: readonly KnownEngineBug[] = [
  {
    id: "at-risk-misses-failover-shortfall",
    fixed: "Every promotion or election now counts what the previous primary acknowledged and the new one lacks, beyond what that reign had counted already (Simulation.countAtRisk).",
    title: "a failover to a replica less up to date than the best one at the crash loses writes that were never counted at risk",
    invariants: ["lost-writes-counted-at-risk"],
    diagnosis:
      "atRiskWrites is added to at a primary crash (acknowledged writes the best LIVE replica lacks) and at a promotion only while the old primary is still up " +
      "(Simulation.promote). When the best replica at the crash is itself gone by the failover (crashed, disk lost), the replica promoted instead lacks more " +
      "acknowledged writes than were counted, and the difference is lost without ever being at risk. The operator promotes the most up-to-date live replica, as a DBA would.",
    fix:
      "in Simulation.promote, when the old primary is down (or lost its data), add the acknowledged writes the new primary lacks beyond those already counted " +
      "for this outage (e.g. count at promotion `ledger.missingFrom(newPrimary.log)` minus what the crash counted), or count at-risk only at promotions",
    example: { mode: "async", seed: 167 },
    minimal: {
      // db2 lags 50 ms behind; db1 crashes (db3, fully caught up, is the best replica: nothing at risk);
      // db3 crashes 10 ms later; db2 is promoted and lacks the last ~50 ms of acknowledged writes.
      scenario: base("known-bug-at-risk-shortfall", {
        network: { latencyMs: { dist: "constant", value: 2 }, links: [{ from: "db1", to: "db2", latencyMs: { dist: "constant", value: 50 } }] },
        script: [...adds(10, 495, 5), { atMs: 700, op: "promote", node: "db2" }],
        faults: [
          { atMs: 500, type: "crash", node: "db1" },
          { atMs: 510, type: "crash", node: "db3" },
        ],
      }),
      shows: "summary.lostAcknowledgedWrites > summary.atRiskWrites",
    },
  },
  {
    id: "deposed-primary-acknowledges",
    fixed: "A restarted former primary resumes leading only if nobody replaced it; with automatic failover it always comes back as a replica (Simulation.rejoin).",
    title: "a restarted old primary resumes leading its old epoch and acknowledges writes until it hears of the new one",
    invariants: ["lost-writes-counted-at-risk", "no-ack-by-deposed-primary", "no-lost-acknowledged-writes"],
    diagnosis:
      "Simulation.restart gives a primary that comes back a fresh LeaderState in its old epoch ('resumes leading its epoch until it hears of a newer one'). " +
      "Requests routed to it before the failover, or sent to it directly, reach it before any message of the new epoch does; in async mode it acknowledges " +
      "them at once, and they are discarded when it steps down. Until 0a1600e these writes were counted nowhere (lost > atRisk in async); since then they " +
      "are counted at risk, which makes async honest, but the write is still acknowledged and lost. In semi-sync a replica that has not heard of the new " +
      "epoch yet (it was down at the promotion) can log the entry and let the deposed primary acknowledge it: a loss in semi-sync-safe, which promises none.",
    fix:
      "a restarted primary should not accept writes until it has confirmed its epoch (the directory, a quorum or a lease says it still leads), or it " +
      "should come back as a replica",
    minimal: {
      // db1 crashes at 300 ms and is back at 610 ms; db2 was promoted at 500 ms. A write sent straight to db1
      // at 611 ms is acknowledged by db1 (epoch 1) at 613 ms, before db1 hears of epoch 2 (at 617 ms).
      scenario: base("known-bug-deposed-primary", {
        script: [...adds(10, 290, 10), { atMs: 500, op: "promote", node: "db2" }, { atMs: 611, op: "set", key: "k0", value: 42, node: "db1" }],
        faults: [{ atMs: 300, type: "crash", node: "db1", durationMs: 310 }],
      }),
      shows: "db1 acknowledges the write at 613 ms in epoch 1 after epoch 2 began, and the final primary db2 never holds it (summary.lostAcknowledgedWrites = 1)",
    },
  },
  {
    id: "apply-on-stale-store",
    fixed: "A replica that discarded applied entries sets a durable needsSnapshot flag and refuses every append until a snapshot arrives; replies never claim an applied index beyond the log (follower.ts).",
    title: "a replica whose snapshot request is lost applies new entries on top of a store that still holds entries it discarded",
    invariants: ["no-apply-awaiting-snapshot", "no-divergence", "convergence", "applied-within-primary-log", "ack-rule"],
    diagnosis:
      "follower.ts discardSuffix truncates the log BELOW the applied index (divergedAt backtracks over the whole conflicting term) and answers NEED_SNAPSHOT, " +
      "leaving appliedIndex > log.lastIndex. If that reply is lost, the next append finds a gap and the replica asks for entries from its (now short) last index; " +
      "the primary resends them, the replica logs them without applying (appliedIndex is ahead), and once the log passes appliedIndex it applies the next " +
      "entries on a store that still contains the discarded entries' effects: its store is no longer the replay of its log (a silent divergence when those " +
      "entries differed from the new primary's). While in that state its replies report an applied index beyond its log, which sync's ack rule " +
      "trusts (LeaderState.appliedIndex takes the max): the primary acknowledges writes that replica never logged. Seen with the default mix at sync " +
      "seed 4417 (engine of 4d8a5fb), and in about 1% of seeds with heavy loss: `npm run soak -- --mode sync --seed 466 --faults loss,random-crashes,crash " +
      "--fault lossRateMin=0.1 --fault lossRateMax=0.3` ends with db1's key-3 at 17 and the primary's at 16. And when no write comes after, the replica " +
      "never applies again and never gets its snapshot (the primary answers its requests for entries with entries): it stays stuck with appliedIndex > " +
      "lastIndex and never converges (sync seed 10767 with the default mix: 'db1 applied 371 of 286').",
    fix:
      "once a replica must be re-seeded, remember it (a 'needs snapshot' flag cleared only by onSnapshot) and answer every append with NEED_SNAPSHOT " +
      "until then; or do not truncate below appliedIndex before the snapshot arrives",
    example: { mode: "sync", seed: 466, faults: { enabled: ["loss", "random-crashes", "crash"], lossRateMin: 0.1, lossRateMax: 0.3 } },
    minimal: {
      // 2 nodes. db1's writes from 300 ms are not replicated (db1 -> db2 cut), db1 crashes at 390 ms, db2 is
      // promoted at 680 ms and takes writes; db1 is back at 686 ms, discards its log and asks for a snapshot,
      // but that answer is cut (686-691 ms); it then asks for entries from 1 and applies past its old position.
      scenario: base("known-bug-apply-on-stale-store", {
        durationMs: 1200,
        nodes: [
          { id: "db1", role: "primary", domain: "rack-a" },
          { id: "db2", role: "replica", domain: "rack-b" },
        ],
        network: { latencyMs: { dist: "constant", value: 1 } },
        script: [...adds(10, 385, 5), { atMs: 680, op: "promote", node: "db2" }, ...adds(682, 900, 2)],
        faults: [
          { atMs: 300, type: "cut", from: "db1", to: "db2", oneWay: true, durationMs: 100 },
          { atMs: 390, type: "crash", node: "db1" },
          { atMs: 686, type: "restart", node: "db1" },
          { atMs: 686, type: "cut", from: "db1", to: "db2", oneWay: true, durationMs: 5 },
        ],
      }),
      shows: "db1 emits `apply` after its `truncate` with no `snapshot` in between, and its final store differs from db2's",
    },
  },
  {
    id: "paxos-counts-answers-to-an-earlier-ballot",
    fixed:
      "A proposer that restarts phase 1 with a higher ballot clears the accepts it collected, and counts only promise and accepted answers that name its " +
      "current ballot (quorum.ts: `answers` field, checked in onPromise and onAccepted; `p.accepted.clear()` in prepare).",
    title: "quorum mode with ballots commits two different writes for one (key, version): a retried proposal counts accepts of its earlier ballot",
    invariants: ["quorum-one-value-per-version", "quorum-no-acknowledged-write-overwritten", "quorum-linearizable", "quorum-no-divergence", "convergence"],
    diagnosis:
      "In quorum.ts a proposal whose phase 1 or 2 was pre-empted retries with a higher ballot (answeredNo -> prepare), but prepare() cleared only the promises, " +
      "not `p.accepted`, and onPromise/onAccepted did not check which ballot an answer was for (answers carried no ballot). Accepts collected under the earlier " +
      "ballot, possibly for another value, then counted towards a majority for the new ballot's value, and late promises of the earlier ballot counted as " +
      "promises for the new one (hiding what those acceptors had accepted since). So a value was 'chosen' that no majority accepted, and a second proposer " +
      "chose another value for the same version: with no fault at all (harness quorum seed 31: db1 committed op 15 and db2 op 4 as version 1 of key-19 " +
      "at 70-72 ms; summary divergentCommits 4, lostAcknowledgedWrites 1), which the linearizability checker also flags from the client history alone.",
    fix: "clear the accepted set when phase 1 restarts, and have promise and accepted answers name the ballot they answer; ignore answers to other ballots",
    example: { mode: "quorum", seed: 31 },
    minimal: {
      scenario: scenarioFor("quorum", 31),
      shows: "summary.divergentCommits and summary.lostAcknowledgedWrites must be 0 (they were 4 and 1): no two writes committed as one (key, version)",
    },
  },
  {
    id: "stale-suffix-after-election",
    fixed:
      "Every append (heartbeats too) carries the primary's last log index; a replica drops whatever lies beyond it (links are FIFO, so nothing the primary " +
      "logged later can arrive first) and asks for a snapshot if it had applied it (follower.ts, `leaderLastIndex`). A node awaiting a snapshot no longer " +
      "stands for election: its store is not the replay of its log (election.ts; harness elections seed 710 showed it once the tail was dropped at once).",
    title: "after an election, a replica keeps (and has applied) an older primary's unreplicated tail beyond the new primary's log until a new write overwrites it",
    invariants: ["convergence"],
    diagnosis:
      "A primary (db3, epoch 10) appends and applies entries 297-298 that reach nobody, is deposed, and db2 is elected with a log ending at 296 (its last term is " +
      "as recent, and it gets a majority). db2 sends heartbeats with prevIndex 296, which match db3's log, so follower.ts accepts them and keeps 297-298 " +
      "(Raft truncates only on a conflicting entry); db3's replies say its log reaches 298, so leader.ts sets nextIndex past db2's own log and never sends " +
      "anything at 297. Raft closes this with a no-op entry that every new leader appends at the start of its term: the first entry of the new term " +
      "conflicts with the stale tail and removes it. This engine has no such entry, so with no further client writes the stale tail stays forever: db3's " +
      "store keeps the effects of two writes the cluster lost (counted at risk in async; never acknowledged in sync, where the deposed primary could not " +
      "get them logged by every replica) and never equals the primary's. Seen in about 1% of the seeds of both election modes (seeds 1-1000: 12 in " +
      "elections, 11 in elections-async). The harness marks a `convergence` violation as this bug only when, at the end, a live node's log holds the " +
      "primary's whole log plus a tail beyond it.",
    fix:
      "append a no-op entry at the start of every elected term (becomePrimary when not initial), as Raft does; or, on the leader side, when a replica reports " +
      "a log beyond the leader's last index, resend from the leader's last index so the replica truncates the tail (and re-seeds from a snapshot if it applied it). " +
      "Both change the event stream of every election scenario (and so the notebooks' recorded numbers), so they are left to the engine's owner.",
    example: { mode: "elections-async", seed: 18 },
    minimal: {
      scenario: harnessScenario("elections-async", 18),
      shows: "at the end db2 leads with a log ending at 296 while db3's log ends at 298 with the same first 296 entries (run it to the end; every fault ends by itself)",
    },
  },
];

/** Marks the violations a known engine bug explains (sets `knownBug`); returns the same array. */
export function classifyViolations(violations: Violation[], facts: RunFacts): Violation[] {
  classifyByMechanism(violations, facts);
  // A fixed bug explains nothing any more: its violations fail the tests again.
  for (const v of violations) if (v.knownBug && knownBug(v.knownBug)?.fixed) v.knownBug = undefined;
  return violations;
}

function classifyByMechanism(violations: Violation[], facts: RunFacts): Violation[] {
  const stale = violations.some((v) => v.invariant === "no-apply-awaiting-snapshot");
  const awaited = facts.awaitingSnapshotEpisodes > 0;
  const { lostAcknowledgedWrites: lost, atRiskWrites: atRisk } = facts.summary;
  for (const v of violations) {
    switch (v.invariant) {
      case "no-apply-awaiting-snapshot":
        v.knownBug = "apply-on-stale-store";
        break;
      case "convergence":
        // A replica that never got its snapshot keeps a store ahead of its log: it cannot converge.
        if (stale || facts.awaitingSnapshotAtEnd > 0) v.knownBug = "apply-on-stale-store";
        else if ((facts.staleSuffixNodes ?? 0) > 0) v.knownBug = "stale-suffix-after-election";
        break;
      case "no-divergence":
      case "applied-within-primary-log":
        // Consequences of applying on a stale store, in a run where that happened first.
        if (stale) v.knownBug = "apply-on-stale-store";
        break;
      case "ack-rule":
        // A replica awaiting a snapshot reports an applied index beyond its log; sync trusts it.
        if (awaited) v.knownBug = "apply-on-stale-store";
        break;
      case "no-ack-by-deposed-primary":
        v.knownBug = "deposed-primary-acknowledges";
        break;
      case "no-lost-acknowledged-writes":
        if (facts.deposedAcks > 0 && lost <= facts.deposedAcks) v.knownBug = "deposed-primary-acknowledges";
        break;
      case "lost-writes-counted-at-risk":
        if (facts.deposedAcks > 0 && lost - atRisk <= facts.deposedAcks) v.knownBug = "deposed-primary-acknowledges";
        else if (lost <= facts.finalPrimaryShortfall + facts.deposedAcks) v.knownBug = "at-risk-misses-failover-shortfall";
        break;
    }
  }
  return violations;
}

/** True when no known engine bug explains the violation. */
export function isUnexplained(v: Violation): boolean {
  return v.knownBug === undefined;
}

export function knownBug(id: string): KnownEngineBug | undefined {
  return KNOWN_ENGINE_BUGS.find((b) => b.id === id);
}
