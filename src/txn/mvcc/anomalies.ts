import { a, c, r, scan, w, type Step } from "./schedule";
import type { ScheduleRun, TxnOutcome } from "./scheduler";
import type { Key, Value } from "./types";

/**
 * The anomalies of Berenson et al. (1995), "A Critique of ANSI SQL Isolation Levels", each as a
 * concrete two-transaction schedule plus a DETECTOR that decides from the outcome whether the anomaly
 * happened. A transaction the engine aborted, or made wait and then aborted, to stop the anomaly
 * counts as prevention: the detector only asks whether the bad outcome exists.
 *
 * One correction to the lecture: a dirty read (P1) reads a value that is NOT YET COMMITTED (and may
 * be rolled back), not an "older" version. Older committed versions are what snapshots read, and that
 * is safe.
 */
export const ANOMALY_IDS = ["P0", "P1", "P4", "P2", "A3", "A5A", "A5B"] as const;
export type AnomalyId = (typeof ANOMALY_IDS)[number];

export interface Verdict {
  happened: boolean;
  /** One sentence saying what happened, or what stopped it. */
  how: string;
}

export interface Anomaly {
  id: AnomalyId;
  name: string;
  /** Berenson's pattern, in the literature's notation. */
  pattern: string;
  /** The story the schedule tells. */
  story: string;
  initial: Readonly<Record<Key, Value>>;
  steps: readonly Step[];
  detect(run: ScheduleRun): Verdict;
}

const inc = (key: Key) => (o: { values: Record<Key, Value | null> }) => (o.values[key] ?? 0) + 1;

/** P0: T2 overwrites T1's uncommitted write; the final state mixes their writes. Constraint x = y. */
const dirtyWrite: Anomaly = {
  id: "P0",
  name: "dirty write",
  pattern: "w1[x] ... w2[x] ... (c1 or a1)",
  story: "T1 sets x and y to 1, T2 sets them to 2; they must stay equal",
  initial: { x: 0, y: 0 },
  steps: [w("T1", "x", 1), w("T2", "x", 2), w("T2", "y", 2), c("T2"), w("T1", "y", 1), c("T1")],
  detect: (run) => {
    const { x, y } = run.final;
    if (bothCommitted(run) && x !== y) return yes(`T1 and T2 both committed and the final state mixes x=${x} (T2) with y=${y} (T1): T2 overwrote T1's uncommitted x`);
    return no(run, `each transaction's writes stayed together (x=${x}, y=${y})`);
  },
};

/** P1: T2 reads T1's uncommitted x, commits, and T1 rolls back. */
const dirtyRead: Anomaly = {
  id: "P1",
  name: "dirty read",
  pattern: "w1[x] ... r2[x] ... (c1 or a1)",
  story: "T1 withdraws 40 from x=50 but rolls back; T2 reads x meanwhile",
  initial: { x: 50 },
  steps: [w("T1", "x", 10), r("T2", "x"), c("T2"), a("T1")],
  detect: (run) => {
    const seen = firstRead(run.txns.T2, "x");
    if (run.txns.T2?.status === "committed" && seen === 10) return yes("T2 read x=10 that T1 later rolled back");
    return no(run, `T2 read x=${seen}, the last committed value, not T1's uncommitted 10`);
  },
};

/** P4: both read the counter, both write read + 1, both commit: one increment is lost. */
const lostUpdate: Anomaly = {
  id: "P4",
  name: "lost update",
  pattern: "r1[x] ... w2[x] ... w1[x] ... c1",
  story: "two transactions each add 1 to a counter x=100",
  initial: { x: 100 },
  steps: [r("T1", "x"), r("T2", "x"), w("T2", "x", inc("x")), c("T2"), w("T1", "x", inc("x")), c("T1")],
  detect: (run) => {
    const x = run.final.x;
    if (bothCommitted(run) && x === 101) return yes("T1 and T2 both read x=100 and both committed x=101: one increment was lost (x should be 102)");
    return no(run, `no increment was lost (x=${x})`);
  },
};

/** P2: T1 reads x twice and sees two committed values. */
const fuzzyRead: Anomaly = {
  id: "P2",
  name: "non-repeatable read",
  pattern: "r1[x] ... w2[x] ... c2 ... r1[x]",
  story: "T1 reads x twice; T2 changes x from 50 to 10 in between",
  initial: { x: 50 },
  steps: [r("T1", "x"), w("T2", "x", 10), c("T2"), r("T1", "x"), c("T1")],
  detect: (run) => {
    const reads = readsOf(run.txns.T1, "x");
    if (reads.length >= 2 && reads[0] !== reads[1]) return yes(`T1 read x=${reads[0]}, then x=${reads[1]} after T2 committed`);
    return no(run, `T1 read x=${reads[0]} both times`);
  },
};

const isOrder = (key: Key) => key.startsWith("order:");

/** A3: T1 runs the same predicate read twice; T2 inserts a matching row in between. */
const phantom: Anomaly = {
  id: "A3",
  name: "phantom",
  pattern: "r1[P] ... w2[y in P] ... c2 ... r1[P]",
  story: "T1 lists the open orders twice; T2 inserts a new order in between",
  initial: { "order:1": 30, "order:2": 20 },
  steps: [scan("T1", "P", isOrder), w("T2", "order:3", 40), c("T2"), scan("T1", "P", isOrder), c("T1")],
  detect: (run) => {
    const scans = (run.txns.T1?.scans ?? []).map((s) => s.keys);
    const extra = scans.length >= 2 ? scans[1].filter((k) => !scans[0].includes(k)) : [];
    if (extra.length > 0) return yes(`T1's second scan of P found ${extra.join(", ")}, which T2 inserted after the first scan`);
    return no(run, `T1's two scans of P matched the same rows (${(scans[0] ?? []).join(", ")})`);
  },
};

/** A5A: T1 reads x before and y after T2's transfer: it sees money that does not exist. x + y = 100. */
const readSkew: Anomaly = {
  id: "A5A",
  name: "read skew",
  pattern: "r1[x] ... w2[x] ... w2[y] ... c2 ... r1[y]",
  story: "T2 moves 40 from x to y (x + y = 100); T1 reads x, then y",
  initial: { x: 50, y: 50 },
  steps: [r("T1", "x"), w("T2", "x", 10), w("T2", "y", 90), c("T2"), r("T1", "y"), c("T1")],
  detect: (run) => {
    const x = firstRead(run.txns.T1, "x");
    const y = firstRead(run.txns.T1, "y");
    if (x !== null && y !== null && x + y !== 100) return yes(`T1 read x=${x} before T2's transfer and y=${y} after it: a total of ${x + y}, not 100`);
    return no(run, `T1 saw x=${x} and y=${y}, a consistent total`);
  },
};

const bothOnCall = (o: { values: Record<Key, Value | null> }) => ((o.values.alice ?? 0) + (o.values.bob ?? 0) >= 2 ? 0 : 1);

/** A5B: the doctors. Each checks that two are on call, then takes themself off. At least one must stay. */
const writeSkew: Anomaly = {
  id: "A5B",
  name: "write skew",
  pattern: "r1[x] ... r2[y] ... w1[y] ... w2[x] ... (c1 and c2)",
  story: "Alice and Bob are on call (1 = on call); each checks that both are on, then goes off; at least one must stay",
  initial: { alice: 1, bob: 1 },
  steps: [r("T1", "alice"), r("T1", "bob"), r("T2", "alice"), r("T2", "bob"), w("T1", "alice", bothOnCall), w("T2", "bob", bothOnCall), c("T1"), c("T2")],
  detect: (run) => {
    const { alice, bob } = run.final;
    if (bothCommitted(run) && alice + bob === 0) return yes("T1 and T2 each saw both doctors on call, each took one off, and both committed: nobody is on call");
    return no(run, `at least one doctor stays on call (alice=${alice}, bob=${bob})`);
  },
};

export const ANOMALIES: Readonly<Record<AnomalyId, Anomaly>> = {
  P0: dirtyWrite,
  P1: dirtyRead,
  P4: lostUpdate,
  P2: fuzzyRead,
  A3: phantom,
  A5A: readSkew,
  A5B: writeSkew,
};

function bothCommitted(run: ScheduleRun): boolean {
  return run.txns.T1?.status === "committed" && run.txns.T2?.status === "committed";
}

function readsOf(t: TxnOutcome | undefined, key: Key): (Value | null)[] {
  return (t?.reads ?? []).filter((e) => e.key === key).map((e) => e.value);
}

function firstRead(t: TxnOutcome | undefined, key: Key): Value | null {
  return readsOf(t, key)[0] ?? null;
}

function yes(how: string): Verdict {
  return { happened: true, how };
}

/** "Prevented": what stopped it (an abort by the engine, a wait for a lock), then the good outcome. */
function no(run: ScheduleRun, outcome: string): Verdict {
  const mechanism = preventedBy(run);
  if (mechanism !== null) return { happened: false, how: `${mechanism}, so ${outcome}` };
  const snapshot = run.txns.T1?.level === "SI" || run.txns.T1?.level === "SER";
  return { happened: false, how: snapshot ? `Reading from its snapshot, ${outcome}` : capitalise(outcome) };
}

function preventedBy(run: ScheduleRun): string | null {
  const txns = Object.values(run.txns);
  const waited = txns.find((t) => t.waits.length > 0);
  const aborted = txns.find((t) => t.status === "aborted" && t.abortCause !== "requested" && t.abortCause !== null);
  const wait = waited === undefined ? null : `${waited.name} waited for ${waited.waits[0].on.join(" and ") || "a lock"}'s lock on ${waited.waits[0].key}`;
  const abort = aborted === undefined ? null : `${aborted.name} was aborted (${aborted.abortReason})`;
  if (wait !== null && abort !== null) return `${wait}, then ${abort}`;
  return wait ?? abort;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
