import { findCycle } from "./cycles";
import type { CommittedTxn, TxnHistory } from "./history";
import { LOADER_TX, type Key, type TxId, type Value } from "./types";

/**
 * The direct serialization graph (DSG) of a committed history, after Adya (1999, "Weak Consistency"):
 * one node per committed transaction, one edge per direct dependency.
 *
 * - ww (write-depends): Tj installs the version of x right after Ti's.
 * - wr (read-depends): Tj reads a version Ti installed (or Ti's version is in the set a predicate read saw).
 * - rw (anti-depends): Tj reads a version of x and Ti installs the NEXT version; for a predicate read,
 *   Ti installs a later version of some row that changes whether the row matches.
 *
 * The version order of each key is the commit order of its writers. A history is conflict-serializable
 * exactly when its DSG has no cycle, so a cycle found here is a proof that no serial order explains
 * what the transactions saw. Pure functions: a history in, a graph out.
 */
export type DependencyKind = "ww" | "wr" | "rw";

export interface Dependency {
  from: TxId;
  to: TxId;
  kind: DependencyKind;
  /** The row the dependency is about (for a predicate: the row whose match changed). */
  key: Key;
  /** The scan's label, for predicate dependencies. */
  predicate?: string;
}

export interface Dsg {
  /** Committed transactions, in commit order. */
  nodes: TxId[];
  names: Record<TxId, string>;
  edges: Dependency[];
}

interface InstalledVersion {
  writer: TxId;
  value: Value;
}

export function buildDsg(history: TxnHistory): Dsg {
  const txns = [...history.txns].sort((x, y) => x.commitTs - y.commitTs);
  const order = versionOrder(history, txns);
  const committed = new Set(txns.map((t) => t.id));
  const edges: Dependency[] = [];
  const add = (e: Dependency) => {
    if (e.from !== e.to && committed.has(e.from) && committed.has(e.to)) edges.push(e);
  };
  for (const [key, versions] of order) {
    for (let i = 1; i < versions.length; i++) add({ from: versions[i - 1].writer, to: versions[i].writer, kind: "ww", key });
  }
  for (const t of txns) {
    itemDependencies(t, order, add);
    predicateDependencies(t, order, add);
  }
  const names: Record<TxId, string> = {};
  for (const t of txns) names[t.id] = t.name;
  return { nodes: txns.map((t) => t.id), names, edges: dedupe(edges) };
}

/** One cycle of the graph (its edges, in order), or null when the history is serializable. */
export function findDsgCycle(dsg: Dsg): Dependency[] | null {
  const out = new Map<TxId, Dependency[]>();
  for (const e of dsg.edges) {
    const list = out.get(e.from);
    if (list === undefined) out.set(e.from, [e]);
    else list.push(e);
  }
  return findCycle(dsg.nodes, (n) => (out.get(n) ?? []).map((e) => ({ to: e.to, edge: e })));
}

/** A cycle in words: `T3 -rw(x)-> T5 -rw(y)-> T3`. */
export function describeCycle(cycle: readonly Dependency[], names: Readonly<Record<TxId, string>>): string {
  if (cycle.length === 0) return "";
  const name = (id: TxId) => names[id] ?? `T${id}`;
  return name(cycle[0].from) + cycle.map((e) => ` -${e.kind}(${e.predicate === undefined ? e.key : `${e.predicate}: ${e.key}`})-> ${name(e.to)}`).join("");
}

/** Per key, the installed versions in version (commit) order, the initial load first. */
function versionOrder(history: TxnHistory, txns: readonly CommittedTxn[]): Map<Key, InstalledVersion[]> {
  const order = new Map<Key, InstalledVersion[]>();
  const push = (key: Key, v: InstalledVersion) => {
    const versions = order.get(key);
    if (versions === undefined) order.set(key, [v]);
    else versions.push(v);
  };
  for (const { key, value } of history.initial) push(key, { writer: LOADER_TX, value });
  for (const t of txns) for (const { key, value } of t.writes) push(key, { writer: t.id, value });
  return order;
}

/** wr and rw edges of item reads. A read of a key that did not exist yet precedes its first version. */
function itemDependencies(t: CommittedTxn, order: Map<Key, InstalledVersion[]>, add: (e: Dependency) => void): void {
  for (const read of t.reads) {
    if (read.writer === t.id) continue; // reading one's own write is no dependency
    const versions = order.get(read.key) ?? [];
    const at = read.writer === null ? -1 : versions.findIndex((v) => v.writer === read.writer);
    if (read.writer !== null && at < 0) continue; // read a version that never committed (a dirty read of an abort)
    if (read.writer !== null) add({ from: read.writer, to: t.id, kind: "wr", key: read.key });
    const next = versions[at + 1];
    if (next !== undefined) add({ from: t.id, to: next.writer, kind: "rw", key: read.key });
  }
}

/** Predicate reads: wr from every version the scan saw; rw to every later version that changes a row's match. */
function predicateDependencies(t: CommittedTxn, order: Map<Key, InstalledVersion[]>, add: (e: Dependency) => void): void {
  for (const s of t.scans) {
    const seen = new Map(s.seen.map((r) => [r.key, r]));
    for (const [key, versions] of order) {
      const r = seen.get(key);
      if (r !== undefined && r.writer === t.id) continue;
      if (r !== undefined && r.writer !== null) add({ from: r.writer, to: t.id, kind: "wr", key, predicate: s.label });
      const at = r === undefined || r.writer === null ? -1 : versions.findIndex((v) => v.writer === r.writer);
      if (r !== undefined && r.writer !== null && at < 0) continue;
      const matchedBefore = r !== undefined && r.value !== null && s.predicate(key, r.value);
      for (const later of versions.slice(at + 1)) {
        if (s.predicate(key, later.value) !== matchedBefore) add({ from: t.id, to: later.writer, kind: "rw", key, predicate: s.label });
      }
    }
  }
}

function dedupe(edges: readonly Dependency[]): Dependency[] {
  const seen = new Set<string>();
  return edges.filter((e) => {
    const id = `${e.from}>${e.to}:${e.kind}:${e.key}:${e.predicate ?? ""}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
