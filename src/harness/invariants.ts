import { EV, MESSAGE_KINDS, type EventBatch } from "../events";
import type { RunSummary } from "../metrics/summary";
import type { Simulation } from "../sim/simulation";
import type { ModeTemplate } from "./modes";

/**
 * The invariants the harness checks on every run. Each is a small object that consumes events (it is
 * subscribed before the run, and only records: it never calls into the simulation), and/or inspects
 * state between slices and at the end. A broken invariant is a `Violation` with a one-line
 * description: when, which node, what.
 *
 * Which invariants apply depends on what the mode promises (`invariantsFor`): sync promises never to
 * lose an acknowledged write, async only that every lost write was counted at risk; every mode
 * promises that crashed nodes stay silent, that replicas only apply what a primary wrote, and that
 * nodes at the same log position hold the same data.
 */

export interface Violation {
  invariant: string;
  /** Virtual time, ms. */
  timeMs: number;
  node: string | null;
  message: string;
  /** Set when a known engine bug explains it (known-engine-bugs.ts): reported, but not a new failure. */
  knownBug?: string;
}

export interface Invariant {
  readonly name: string;
  /** What it checks, one sentence (for reports). */
  readonly rule: string;
  /** Consumes one batch of events. */
  onBatch?(batch: EventBatch): void;
  /** Inspects the cluster between slices (virtual time `sim.now()`). */
  atSlice?(sim: Simulation): void;
  /** Final check, after the heal phase and `finish()`. */
  atEnd?(sim: Simulation, summary: RunSummary): void;
  /** Violations found (at most MAX_EXAMPLES kept; `count` has them all). */
  readonly violations: Violation[];
  readonly count: number;
}

/** Examples kept per invariant: a broken run reports a few, not thousands. */
const MAX_EXAMPLES = 3;

abstract class BaseInvariant implements Invariant {
  abstract readonly name: string;
  abstract readonly rule: string;
  readonly violations: Violation[] = [];
  count = 0;
  protected names: readonly string[] = [];

  constructor(protected readonly serverCount: number) {}

  protected fail(timeMs: number, node: string | null, message: string, invariant = this.name): void {
    this.count++;
    if (this.violations.length < MAX_EXAMPLES) this.violations.push({ invariant, timeMs: round3(timeMs), node, message });
  }

  /** Actor names come with the first batch (the event log's name table). */
  protected learnNames(batch: EventBatch): void {
    if (this.names.length === 0) this.names = batch.names.actors;
  }

  protected nameOf(actor: number): string {
    return this.names[actor] ?? `#${actor}`;
  }
}

/** Event types whose field `a` is a server doing something (a crashed one must not). */
const SERVER_ACTIONS = new Set<number>([EV.received, EV.append, EV.ack, EV.apply, EV.reject, EV.promote, EV.demote, EV.snapshot, EV.truncate, EV.fallback]);

/**
 * A crashed node is silent: from its `crash` to its `recover` it receives, appends, applies, sends
 * and delivers nothing (fail-stop). Messages it sent before crashing die with it.
 */
class CrashedNodesStaySilent extends BaseInvariant {
  readonly name = "crashed-node-silent";
  readonly rule = "a crashed node does nothing (no receive, append, apply, send or delivery from it) until it restarts";
  private readonly down = new Set<number>();

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type === EV.crash) this.down.add(a[i]);
      else if (type === EV.recover) this.down.delete(a[i]);
      else if (this.down.size > 0 && this.down.has(a[i]) && (SERVER_ACTIONS.has(type) || type === EV.send || type === EV.deliver)) {
        const e = batch.event(i);
        this.fail(batch.timesUs[i] / 1000, this.nameOf(a[i]), `${this.nameOf(a[i])} is crashed but emitted ${e.type} ${JSON.stringify({ ...e, type: undefined, timeMs: undefined })}`);
      }
    }
  }
}

/**
 * Nothing is acknowledged by a node while it is down: no `ack` from it between its `crash` and its
 * `recover`, and, with a single database, no client gets an ok answer to a write while it is down.
 */
class NoAckWhileDown extends BaseInvariant {
  readonly name = "no-ack-while-down";
  readonly rule = "no write is acknowledged by a node that is down (and, with one database, no client hears ok for a write while it is down)";
  private readonly down = new Set<number>();
  private readonly writeOps = new Set<number>();

  constructor(
    serverCount: number,
    private readonly singleDatabase: boolean,
  ) {
    super(serverCount);
  }

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      const t = batch.timesUs[i] / 1000;
      if (type === EV.crash) this.down.add(a[i]);
      else if (type === EV.recover) this.down.delete(a[i]);
      else if (type === EV.ack && this.down.has(a[i])) this.fail(t, this.nameOf(a[i]), `${this.nameOf(a[i])} is down but acknowledged op ${b[i]} (index ${c[i]})`);
      else if (this.singleDatabase && type === EV.request && c[i] === 1) this.writeOps.add(b[i]);
      else if (this.singleDatabase && type === EV.response && c[i] === 0 && this.writeOps.has(b[i]) && this.down.has(0)) {
        this.fail(t, this.nameOf(0), `${this.nameOf(a[i])} heard ok for write op ${b[i]} while the only database ${this.nameOf(0)} is down`);
      }
    }
  }
}

const APPEND_REPLY = MESSAGE_KINDS.indexOf("append-reply");

/**
 * The ack rule of sync and semi-sync, checked from the outside: a primary acknowledges log index i
 * only after enough replicas told it, during its current reign, that their log reaches i (a
 * delivered `append-reply` whose index is at least i). semi-sync needs `acks` of them; sync needs
 * every replica (it waits for them to apply, which implies logging). Sound: it can miss a broken
 * ack rule, never flag a correct one.
 */
class AckRule extends BaseInvariant {
  readonly name = "ack-rule";
  readonly rule: string;
  /** Per primary: per replica, the highest log index it reported since the primary's reign began. */
  private readonly reported = new Map<number, Map<number, number>>();

  constructor(
    serverCount: number,
    private readonly dataNodes: readonly number[],
    private readonly required: (primary: number) => number,
    rule: string,
  ) {
    super(serverCount);
    this.rule = rule;
  }

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c, d } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type === EV.promote || type === EV.recover) this.reported.set(a[i], new Map());
      else if (type === EV.deliver && c[i] === APPEND_REPLY) {
        const byReplica = this.reported.get(b[i]);
        if (byReplica) byReplica.set(a[i], Math.max(byReplica.get(a[i]) ?? 0, d[i]));
      } else if (type === EV.ack) {
        const primary = a[i];
        const index = c[i];
        const byReplica = this.reported.get(primary) ?? new Map<number, number>();
        let logged = 0;
        for (const r of this.dataNodes) if (r !== primary && (byReplica.get(r) ?? 0) >= index) logged++;
        const need = this.required(primary);
        if (logged < need) {
          this.fail(batch.timesUs[i] / 1000, this.nameOf(primary), `${this.nameOf(primary)} acknowledged op ${b[i]} at index ${index} after only ${logged} of the ${need} required replicas reported logging it`);
        }
      }
    }
  }
}

/**
 * Replicas only apply what a primary wrote: each node's last applied entry (index, term) was
 * appended by the primary of that term (by Log Matching, its whole applied prefix is then a prefix of
 * that primary's log), and its store never runs ahead of its own log, except in one documented
 * interim state: a replica that discarded log entries it had already applied keeps a store that
 * still holds their effects until the primary's snapshot replaces it. In that state it must apply
 * nothing more (its store is no longer the replay of its log): the next thing it does to its store
 * must be installing a snapshot.
 */
export class AppliedEntriesWereAppended extends BaseInvariant {
  readonly name = "applied-within-primary-log";
  readonly rule =
    "every node's last applied (index, term) was appended by the primary of that term; appliedIndex <= log lastIndex except while awaiting a snapshot, and nothing is applied on a store awaiting one";
  private readonly epochOf = new Map<number, number>();
  /** Per term: the lowest and highest index its primary appended. */
  private readonly appended = new Map<number, { from: number; to: number }>();
  /** Per node, from events: how far its store was built (applies, its own appends as primary, snapshots). */
  private readonly applied = new Map<number, number>();
  /** Nodes whose store holds effects of entries they discarded (until a snapshot or a wiped disk). */
  private readonly awaitingSnapshot = new Map<number, string>();
  /** How many times a node discarded entries it had applied (and so had to wait for a snapshot). */
  awaitingSnapshotEpisodes = 0;

  /** Nodes still waiting for a snapshot now. */
  get awaitingSnapshotNow(): number {
    return this.awaitingSnapshot.size;
  }

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      const node = a[i];
      switch (type) {
        case EV.promote:
          this.epochOf.set(node, b[i]);
          break;
        case EV.append: {
          this.checkNotAwaiting(batch, i, `appended index ${b[i]} as primary`);
          this.applied.set(node, b[i]);
          const term = this.epochOf.get(node) ?? 0;
          const range = this.appended.get(term);
          if (!range) this.appended.set(term, { from: b[i], to: b[i] });
          else {
            range.from = Math.min(range.from, b[i]);
            range.to = Math.max(range.to, b[i]);
          }
          break;
        }
        case EV.apply:
          this.checkNotAwaiting(batch, i, `applied index ${b[i]}`);
          this.applied.set(node, b[i]);
          break;
        case EV.truncate: {
          const keptUpTo = b[i] - 1;
          const applied = this.applied.get(node) ?? 0;
          if (applied > keptUpTo) this.awaitingSnapshotEpisodes++;
          if (applied > keptUpTo) this.awaitingSnapshot.set(node, `it discarded entries ${b[i]}..${b[i] + c[i] - 1} at ${round3(batch.timesUs[i] / 1000)} ms with index ${applied} applied`);
          break;
        }
        case EV.snapshot:
          this.applied.set(node, b[i]);
          this.awaitingSnapshot.delete(node);
          break;
        case EV["data-loss"]:
          this.applied.set(node, 0);
          this.awaitingSnapshot.delete(node);
          break;
      }
    }
  }

  private checkNotAwaiting(batch: EventBatch, i: number, what: string): void {
    const why = this.awaitingSnapshot.get(batch.a[i]);
    if (why === undefined) return;
    const name = this.nameOf(batch.a[i]);
    this.fail(batch.timesUs[i] / 1000, name, `${name} ${what} on a store awaiting a snapshot (${why}): its store is no longer the replay of its log`, "no-apply-awaiting-snapshot");
    this.awaitingSnapshot.delete(batch.a[i]); // one report per episode
  }

  atSlice(sim: Simulation): void {
    this.check(sim);
  }

  atEnd(sim: Simulation): void {
    this.check(sim);
  }

  private check(sim: Simulation): void {
    const t = sim.now() / 1000;
    for (const node of sim.nodes) {
      if (node.spec.role === "witness") continue;
      const applied = node.appliedIndex;
      if (applied > node.log.lastIndex) {
        if (!this.awaitingSnapshot.has(node.index)) this.fail(t, node.id, `${node.id} applied index ${applied} beyond its own log (last index ${node.log.lastIndex}) without awaiting a snapshot`);
        continue;
      }
      if (applied === 0) continue;
      const term = node.log.termAt(applied);
      const range = this.appended.get(term);
      if (!range || applied < range.from || applied > range.to) {
        const what = range ? `term ${term}'s primary appended ${range.from}..${range.to}` : `no primary appended anything in term ${term}`;
        this.fail(t, node.id, `${node.id} applied (index ${applied}, term ${term}) but ${what}`);
      }
    }
  }
}

/** Nodes that applied the same log position hold the same data (replay is deterministic). */
class NoDivergence extends BaseInvariant {
  readonly name = "no-divergence";
  readonly rule = "live nodes at the same applied (index, term) hold the same value for every key";
  private reported = false;

  atSlice(sim: Simulation): void {
    if (this.reported) return;
    const found = divergence(sim);
    if (found) {
      this.reported = true;
      this.fail(sim.now() / 1000, found.node, found.message);
    }
  }

  atEnd(sim: Simulation, summary: RunSummary): void {
    if (this.reported || summary.divergentKeys === 0) return;
    const found = divergence(sim);
    this.fail(sim.now() / 1000, found?.node ?? null, found?.message ?? `${summary.divergentKeys} keys differ between nodes at the same log position`);
  }
}

/**
 * Only the newest primary acknowledges writes: once a node was promoted in epoch e, an ack from a
 * primary of an older epoch (a deposed primary that came back and has not yet heard of e) is a write
 * that will be discarded when it learns the news. Where the mode promises no loss, that is a bug.
 */
class NoAckByDeposedPrimary extends BaseInvariant {
  readonly name = "no-ack-by-deposed-primary";
  readonly rule = "no write is acknowledged by a primary whose epoch is older than the newest promotion";
  private readonly epochOf = new Map<number, number>();
  private newest = 0;

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type === EV.promote) {
        this.epochOf.set(a[i], b[i]);
        this.newest = Math.max(this.newest, b[i]);
      } else if (type === EV.ack) {
        const epoch = this.epochOf.get(a[i]) ?? 0;
        if (epoch < this.newest) {
          const name = this.nameOf(a[i]);
          this.fail(batch.timesUs[i] / 1000, name, `${name}, deposed primary of epoch ${epoch}, acknowledged op ${b[i]} at index ${c[i]} after epoch ${this.newest} began`);
        }
      }
    }
  }
}

/** Acknowledged writes the primary's log does not hold are lost: a bug where the mode promises none. */
class NoLostAcknowledgedWrites extends BaseInvariant {
  readonly name = "no-lost-acknowledged-writes";
  readonly rule = "the primary's log holds every acknowledged write (checked between slices and at the end)";
  private reported = false;

  atSlice(sim: Simulation): void {
    if (this.reported) return;
    const primary = sim.nodes[sim.directoryPrimary()];
    if (!primary || primary.role !== "primary") return;
    const lost = sim.ledger.missingFrom(primary.log);
    if (lost > 0) {
      this.reported = true;
      this.fail(sim.now() / 1000, primary.id, `${lost} acknowledged writes are missing from primary ${primary.id}'s log (epoch ${primary.epoch}, last index ${primary.log.lastIndex})`);
    }
  }

  atEnd(sim: Simulation, summary: RunSummary): void {
    if (this.reported || summary.lostAcknowledgedWrites === 0) return;
    this.fail(sim.now() / 1000, sim.nodes[sim.directoryPrimary()]?.id ?? null, `${summary.lostAcknowledgedWrites} acknowledged writes lost at the end`);
  }
}

/** Modes that may lose acknowledged writes must say so beforehand: lost <= atRisk. */
class LostWritesWereAtRisk extends BaseInvariant {
  readonly name = "lost-writes-counted-at-risk";
  readonly rule = "every lost acknowledged write was counted in atRiskWrites (lost <= atRisk at the end)";

  atEnd(sim: Simulation, summary: RunSummary): void {
    if (summary.lostAcknowledgedWrites > summary.atRiskWrites) {
      this.fail(sim.now() / 1000, sim.nodes[sim.directoryPrimary()]?.id ?? null, `${summary.lostAcknowledgedWrites} acknowledged writes lost but only ${summary.atRiskWrites} counted at risk`);
    }
  }
}

/**
 * Failover by election: two primaries never acknowledge writes during overlapping intervals. Each
 * reign (a primary in one epoch) acknowledges during an interval, from its first ack to its last;
 * those intervals must be disjoint and in epoch order: once a primary of epoch e acknowledged a write,
 * no primary of an older epoch acknowledges anything, and no other node acknowledges in epoch e.
 * Leases are what make this hold: a deposed primary stops acknowledging once a majority has not
 * answered it for leaseMs, and a new primary waits leaseMs before serving.
 */
class SingleAckingPrimary extends BaseInvariant {
  readonly name = "single-acking-primary";
  readonly rule = "two primaries never acknowledge writes during overlapping intervals: once a primary of epoch e acknowledged, nobody acknowledges in an older epoch, and nobody else in epoch e";
  private readonly epochOf = new Map<number, number>();
  private newestEpoch = 0;
  private newestNode = -1;
  private newestSinceMs = 0;

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      if (type === EV.promote) this.epochOf.set(a[i], b[i]);
      else if (type === EV.ack) {
        const t = batch.timesUs[i] / 1000;
        const epoch = this.epochOf.get(a[i]) ?? 0;
        const name = this.nameOf(a[i]);
        if (epoch < this.newestEpoch || (epoch === this.newestEpoch && a[i] !== this.newestNode)) {
          const who = this.nameOf(this.newestNode);
          this.fail(t, name, `${name} (primary of epoch ${epoch}) acknowledged op ${b[i]} at index ${c[i]} while ${who}, primary of epoch ${this.newestEpoch}, has been acknowledging writes since ${round3(this.newestSinceMs)} ms`);
        } else if (epoch > this.newestEpoch) {
          this.newestEpoch = epoch;
          this.newestNode = a[i];
          this.newestSinceMs = t;
        }
      }
    }
  }
}

/**
 * Fencing: a deposed primary accepts nothing. Once a node stepped down (`demote`), or a primary of a
 * newer epoch than its own acknowledged a write, it neither takes a client write (`append` as
 * primary) nor acknowledges one until it is elected again.
 */
class FencedNodeAcceptsNothing extends BaseInvariant {
  readonly name = "fenced-node-accepts-nothing";
  readonly rule = "a deposed primary (it stepped down, or a newer epoch's primary acknowledged a write) takes no client write and acknowledges nothing until elected again";
  private readonly epochOf = new Map<number, number>();
  /** Nodes fenced now, with why. */
  private readonly fenced = new Map<number, string>();
  private newestAckEpoch = 0;

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c } = batch;
    for (let i = 0; i < batch.length; i++) {
      const type = types[i];
      const node = a[i];
      const t = round3(batch.timesUs[i] / 1000);
      switch (type) {
        case EV.promote:
          this.epochOf.set(node, b[i]);
          this.fenced.delete(node);
          break;
        case EV.demote:
          this.fenced.set(node, `it stepped down at ${t} ms`);
          break;
        case EV.append:
        case EV.ack: {
          const why = this.fenced.get(node) ?? ((this.epochOf.get(node) ?? 0) < this.newestAckEpoch ? `a primary of epoch ${this.newestAckEpoch} has acknowledged writes` : undefined);
          if (why !== undefined) {
            const name = this.nameOf(node);
            const what = type === EV.append ? `took client write op ${c[i]} at index ${b[i]}` : `acknowledged op ${b[i]} at index ${c[i]}`;
            this.fail(t, name, `${name}, deposed primary of epoch ${this.epochOf.get(node) ?? 0}, ${what} although ${why}`);
          } else if (type === EV.ack) this.newestAckEpoch = Math.max(this.newestAckEpoch, this.epochOf.get(node) ?? 0);
          break;
        }
      }
    }
  }
}

/**
 * Quorum: no two divergent committed values per key and version. Every node's store, at every moment,
 * holds for each key a version and the write that made it (`commit` events); over the whole run and
 * all nodes, one (key, version) must always be the same write. The naive version check breaks it: a
 * slow proposer's rollback erases a value and the version is taken again by another write.
 */
class OneValuePerVersion extends BaseInvariant {
  readonly name = "quorum-one-value-per-version";
  readonly rule = "no two divergent committed values per key and version: every node that ever held version v of a key held the same write";
  private readonly decided = new Map<number, { op: number; node: number; timeMs: number }>();

  onBatch(batch: EventBatch): void {
    this.learnNames(batch);
    const { types, a, b, c, d } = batch;
    for (let i = 0; i < batch.length; i++) {
      if (types[i] !== EV.commit || d[i] === 0) continue;
      const id = b[i] * 4294967296 + c[i];
      const first = this.decided.get(id);
      const t = batch.timesUs[i] / 1000;
      if (!first) this.decided.set(id, { op: d[i], node: a[i], timeMs: t });
      else if (first.op !== d[i]) {
        const key = batch.names.keys[b[i]] ?? `#${b[i]}`;
        this.fail(t, this.nameOf(a[i]), `${this.nameOf(a[i])} holds op ${d[i]} as version ${c[i]} of ${key}, but ${this.nameOf(first.node)} held op ${first.op} as that version at ${round3(first.timeMs)} ms`);
      }
    }
  }
}

/** Quorum: an acknowledged write is never overwritten (its version committed again with another write). */
class QuorumKeepsAcknowledgedWrites extends BaseInvariant {
  readonly name = "quorum-no-acknowledged-write-overwritten";
  readonly rule = "no acknowledged write's version is later committed with another write (summary: lostAcknowledgedWrites = divergentCommits = 0)";

  atEnd(sim: Simulation, summary: RunSummary): void {
    if (summary.lostAcknowledgedWrites > 0 || summary.divergentCommits > 0) {
      this.fail(sim.now() / 1000, null, `${summary.lostAcknowledgedWrites} acknowledged writes overwritten, ${summary.divergentCommits} (key, version) pairs committed twice`);
    }
  }
}

/** Quorum: live data nodes hold the same value for every key once they hold the same version. */
class QuorumSameVersionSameValue extends BaseInvariant {
  readonly name = "quorum-no-divergence";
  readonly rule = "two live data nodes that hold the same version of a key hold the same value";
  private reported = false;

  atSlice(sim: Simulation): void {
    if (this.reported) return;
    const live = sim.nodes.filter((n) => n.up && n.spec.role !== "witness");
    for (let x = 0; x < live.length; x++) {
      for (let y = x + 1; y < live.length; y++) {
        for (let k = 0; k < sim.keys.size; k++) {
          const p = live[x];
          const q = live[y];
          if (p.store.versions[k] === q.store.versions[k] && !Object.is(p.store.get(k), q.store.get(k))) {
            this.reported = true;
            this.fail(sim.now() / 1000, q.id, `${p.id} and ${q.id} both hold version ${p.store.versions[k]} of ${sim.keys.names[k]}, as ${p.store.get(k)} and ${q.store.get(k)}`);
            return;
          }
        }
      }
    }
  }
}

/** The invariants of a mode, fresh for one run. */
export function invariantsFor(template: ModeTemplate, sim: Simulation): Invariant[] {
  const servers = sim.topology.serverCount;
  const dataNodes = sim.nodes.filter((n) => n.spec.role !== "witness").map((n) => n.index);
  const list: Invariant[] = [new CrashedNodesStaySilent(servers), new NoAckWhileDown(servers, template.replicaCount === 0)];
  const mode = template.replication.mode;
  if (mode === "quorum") {
    list.push(new OneValuePerVersion(servers), new QuorumKeepsAcknowledgedWrites(servers), new QuorumSameVersionSameValue(servers));
    return list;
  }
  if (mode === "sync") {
    list.push(new AckRule(servers, dataNodes, () => dataNodes.length - 1, "sync: a primary acknowledges index i only after every replica reported logging i to it in its current reign"));
  } else if (mode === "semi-sync") {
    const acks = template.replication.acks ?? 1;
    list.push(new AckRule(servers, dataNodes, () => acks, `semi-sync: a primary acknowledges index i only after ${acks} replica(s) reported logging i to it in its current reign`));
  }
  if (template.replicaCount > 0) list.push(new AppliedEntriesWereAppended(servers));
  list.push(new NoDivergence(servers));
  // With elections a deposed primary may still acknowledge until its lease runs out, before the new
  // primary serves: what matters is that their acknowledging intervals never overlap.
  if (template.failover) list.push(new SingleAckingPrimary(servers), new FencedNodeAcceptsNothing(servers));
  if (template.promisesNoLoss) list.push(...(template.failover ? [] : [new NoAckByDeposedPrimary(servers)]), new NoLostAcknowledgedWrites(servers));
  else if (template.replicaCount > 0) list.push(new LostWritesWereAtRisk(servers));
  return list;
}

/** The first pair of nodes at the same applied position whose stores differ (null if none). */
export function divergence(sim: Simulation): { node: string; message: string } | null {
  const live = sim.nodes.filter((n) => n.up && n.spec.role !== "witness");
  for (let x = 0; x < live.length; x++) {
    for (let y = x + 1; y < live.length; y++) {
      const p = live[x];
      const q = live[y];
      if (p.appliedIndex !== q.appliedIndex || p.log.termAt(p.appliedIndex) !== q.log.termAt(q.appliedIndex)) continue;
      for (let k = 0; k < sim.keys.size; k++) {
        if (!Object.is(p.store.get(k), q.store.get(k))) {
          return {
            node: q.id,
            message: `${p.id} and ${q.id} both applied up to (index ${p.appliedIndex}, term ${p.log.termAt(p.appliedIndex)}) but ${sim.keys.names[k]} is ${p.store.get(k)} on ${p.id} and ${q.store.get(k)} on ${q.id}`,
          };
        }
      }
    }
  }
  return null;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
