import { EventHash } from "../sim/event-hash";
import { Random } from "../sim/random";
import { Database } from "../txn/mvcc/database";
import { TxnDriver } from "../txn/mvcc/driver";
import { buildDsg, describeCycle, findDsgCycle } from "../txn/mvcc/dsg";
import type { CommittedTxn } from "../txn/mvcc/history";
import { randomMix, type Mix } from "../txn/mvcc/random-mix";
import { formatSchedule, type Step } from "../txn/mvcc/schedule";
import type { ReadEvent } from "../txn/mvcc/txn-state";
import { ISOLATION_LEVELS, LOADER_TX, type IsolationLevel, type TxId } from "../txn/mvcc/types";
import { emptyCoverage } from "./coverage";
import { faultOptions } from "./fault-mix";
import type { Violation } from "./invariants";
import type { HarnessModeDef } from "./registry";
import type { RunSeedInput, SeedResult } from "./run-seed";
import { worldSeedResult } from "./world-seed-result";

/**
 * MVCC under the harness (src/txn/mvcc): per seed, a random mix of 4-8 short transactions over 3-5
 * keys, each at an isolation level (half the seeds one level for all, half a level per transaction),
 * run under a seeded random interleaving with lock waits and deadlock victims. MVCC has no network
 * and no crashes: its "faults" are the interleavings themselves. Every read is stamped with how many
 * transactions had committed when it ran, so the checks need no engine internals:
 *
 * - no dirty reads above read uncommitted: a committed RC, RR, SI or SER transaction only reads
 *   versions whose writer had committed when it read them (or its own);
 * - reads see one snapshot: a committed SI or SER transaction reads (and scans), for every key it did
 *   not write itself, the newest version committed at or before its start;
 * - a mix that runs entirely at SER has a serializable committed history (no cycle in Adya's graph).
 *
 * Broken variants are levels that lie: transactions that claim read committed run read uncommitted
 * (`rc-reads-uncommitted`), or claim snapshot isolation and run read committed (`si-without-snapshot`).
 */

export const MVCC_BUGS = ["rc-reads-uncommitted", "si-without-snapshot"] as const;

/** The level a transaction really runs at, given the level it claims and the broken variants on. */
function mechanismFor(claimed: IsolationLevel, bugs: readonly string[]): IsolationLevel {
  if (claimed === "RC" && bugs.includes("rc-reads-uncommitted")) return "RU";
  if (claimed === "SI" && bugs.includes("si-without-snapshot")) return "RC";
  return claimed;
}

export function mvccMixFor(seed: number): { mix: Mix; levels: Record<string, IsolationLevel> } {
  const random = new Random(seed, "harness/mvcc");
  const transactions = 4 + random.int(5);
  const mix = randomMix(seed, { transactions, keys: 3 + random.int(3), opsMin: 2, opsMax: 5, writeRatio: 0.4, scanRatio: 0.1 });
  const one = random.chance(0.5) ? ISOLATION_LEVELS[random.int(ISOLATION_LEVELS.length)] : null;
  const levels: Record<string, IsolationLevel> = {};
  for (const p of mix.programs) levels[p.name] = one ?? ISOLATION_LEVELS[random.int(ISOLATION_LEVELS.length)];
  return { mix, levels };
}

interface Stamped {
  /** Commits so far when each read (then each scan) ran. */
  reads: number[];
  scans: number[];
}

function runMvccSeed(input: RunSeedInput): SeedResult {
  const { mix, levels } = mvccMixFor(input.seed);
  const bugs = [...(input.bugs ?? [])];
  const db = new Database({ initial: mix.initial });
  const driver = new TxnDriver(db, (name) => mechanismFor(levels[name], bugs));
  const random = new Random(input.seed, "harness/mvcc/interleaving");
  const stamps = new Map<string, Stamped>(mix.programs.map((p) => [p.name, { reads: [], scans: [] }]));
  const committedSoFar = () => driver.all().filter((t) => t.tx?.status === "committed").length;
  const next = mix.programs.map(() => 0);
  const steps: Step[] = [];
  let blockedSteps = 0;
  for (let turn = 0; turn < 10_000; turn++) {
    const movable = mix.programs.map((_, i) => i).filter((i) => next[i] < mix.programs[i].ops.length && driver.runnable(mix.programs[i].name));
    if (movable.length === 0) break;
    const i = movable[random.int(movable.length)];
    const step = { tx: mix.programs[i].name, op: mix.programs[i].ops[next[i]++] };
    steps.push(step);
    driver.issue(steps.length - 1, step);
    // Stamp the reads and scans that ran during this step (its own, and any it unblocked).
    const now = committedSoFar();
    for (const t of driver.all()) {
      const s = stamps.get(t.name)!;
      while (s.reads.length < t.readLog.length) s.reads.push(now);
      while (s.scans.length < t.scanLog.length) s.scans.push(now);
      if (t.blocked) blockedSteps++;
    }
  }
  driver.abortOpen("still open when the interleaving ended");

  const history = db.history();
  const byId = new Map<TxId, CommittedTxn>(history.txns.map((t) => [t.id, t]));
  const commitRank = (w: TxId) => (w === LOADER_TX ? 0 : (byId.get(w)?.commitTs ?? Infinity));
  const violations: Violation[] = [];
  let violationCount = 0;
  const fail = (invariant: string, node: string, message: string) => {
    violationCount++;
    if (violations.filter((v) => v.invariant === invariant).length < 3) violations.push({ invariant, timeMs: 0, node, message });
  };
  const versionsOf = (key: string) =>
    [...history.initial.filter((v) => v.key === key).map((v) => ({ writer: LOADER_TX as TxId, commitTs: 0, value: v.value })), ...history.txns.flatMap((t) => t.writes.filter((w) => w.key === key).map((w) => ({ writer: t.id, commitTs: t.commitTs, value: w.value })))];
  const name = (w: TxId | null) => (w === null ? "nobody" : w === LOADER_TX ? "the initial load" : (byId.get(w)?.name ?? `T${w} (never committed)`));
  let dirtyAtRu = 0;
  let snapshotMattered = 0;
  for (const t of history.txns) {
    const claimed = levels[t.name];
    const s = stamps.get(t.name)!;
    const observed: { read: ReadEvent; at: number; what: string }[] = [
      ...t.reads.map((read, i) => ({ read, at: s.reads[i] ?? Infinity, what: `read ${read.key}` })),
      ...t.scans.flatMap((scan, i) => scan.seen.map((read) => ({ read, at: s.scans[i] ?? Infinity, what: `scan ${scan.label} saw ${read.key}` }))),
    ];
    const ownKeys = new Set(t.writes.map((w) => w.key));
    for (const { read, at, what } of observed) {
      const w = read.writer;
      if (w === null || w === t.id) continue;
      const dirty = commitRank(w) > at;
      if (dirty && claimed === "RU") dirtyAtRu++;
      if (dirty && claimed !== "RU") {
        fail("no-dirty-reads-above-ru", t.name, `${t.name} (${claimed}) ${what} = ${read.value}, written by ${name(w)}, which had not committed when it read it (${at} commits so far)`);
      }
      if ((claimed === "SI" || claimed === "SER") && !ownKeys.has(read.key)) {
        const visible = versionsOf(read.key).filter((v) => v.commitTs <= t.startTs);
        const expected = visible.length > 0 ? visible[visible.length - 1] : null;
        if ((expected?.writer ?? null) !== w) {
          fail("reads-see-one-snapshot", t.name, `${t.name} (${claimed}, snapshot at ts ${t.startTs}) ${what} = ${read.value} by ${name(w)}, but its snapshot holds ${expected === null ? "no version" : `${expected.value} by ${name(expected.writer)}`}`);
        } else if (versionsOf(read.key).some((v) => v.commitTs > t.startTs && v.commitTs <= at)) snapshotMattered++;
      }
    }
  }
  const allSer = mix.programs.every((p) => levels[p.name] === "SER");
  if (allSer) {
    const dsg = buildDsg(history);
    const cycle = findDsgCycle(dsg);
    if (cycle !== null) fail("ser-serializable", dsg.names[cycle[0].from] ?? "?", `the committed history at SER has a cycle: ${describeCycle(cycle, dsg.names)}`);
  }

  const txns = driver.all();
  const cause = (c: string) => txns.filter((t) => t.tx?.abortCause === c).length;
  const coverage = emptyCoverage({
    "dirty-read-at-ru": dirtyAtRu,
    "snapshot-read-of-overwritten": snapshotMattered,
    "lock-wait": blockedSteps,
    deadlock: cause("deadlock"),
    "first-committer-wins": cause("first-committer-wins"),
    "ssi-abort": cause("dangerous-structure"),
  });
  const schedule = formatSchedule(steps);
  // The run's fingerprint: every trace line (step, transaction, outcome, detail), hashed like engine events.
  const hash = new EventHash();
  driver.trace.forEach((e, i) => {
    const text = `${e.step}|${e.tx}|${e.op}|${e.outcome}|${e.detail}`;
    let h = 0;
    for (let k = 0; k < text.length; k++) h = (Math.imul(h, 31) + text.charCodeAt(k)) | 0;
    hash.add(0, i, h, e.step, text.length, 0);
  });
  return worldSeedResult({
    input,
    mode: "mvcc",
    bugs,
    violations,
    violationCount,
    coverage,
    faults: [`levels ${mix.programs.map((p) => `${p.name}:${levels[p.name]}`).join(" ")}`, `schedule ${schedule}`],
    totals: { acknowledged: history.txns.length },
    events: driver.trace.length,
    eventHash: hash.digest(),
    recorded: () => ({
      scenario: { mix: { initial: mix.initial, programs: mix.programs.map((p) => ({ name: p.name, level: levels[p.name], ops: p.ops.map((op) => ({ ...op, predicate: undefined })) })) } },
      history: driver.trace,
    }),
  });

}

export const MVCC_MODE: HarnessModeDef = {
  name: "mvcc",
  family: "transactions",
  description: "MVCC: 4-8 random transactions over 3-5 keys at the five isolation levels (one for all, or one each), under a seeded random interleaving",
  faultsText: "no crashes: the seeded interleaving (lock waits, deadlock victims, first-committer-wins and SSI aborts) is the adversary",
  bugs: MVCC_BUGS,
  milestones: ["dirty-read-at-ru", "snapshot-read-of-overwritten", "lock-wait", "deadlock", "first-committer-wins", "ssi-abort"],
  defaultFaults: () => faultOptions({ enabled: [] }),
  invariants: () => [
    { name: "no-dirty-reads-above-ru", rule: "a committed RC/RR/SI/SER transaction reads only versions whose writer had committed when it read them (or its own)" },
    { name: "reads-see-one-snapshot", rule: "a committed SI/SER transaction reads, for every key it did not write, the newest version committed by its start" },
    { name: "ser-serializable", rule: "a mix run entirely at SER has an acyclic direct serialization graph" },
  ],
  run: runMvccSeed,
};
