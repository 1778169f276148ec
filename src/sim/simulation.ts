import { concatMap, from, type Observable } from "rxjs";
import { Command, isAnalytics, isWrite, type ClientOp } from "../cluster/client-op";
import { DbNode, type Job } from "../cluster/db-node";
import { Directory } from "../cluster/directory";
import { Frontend } from "../cluster/frontend";
import { KeySpace } from "../cluster/keys";
import { MSG, Network, type Message } from "../cluster/network";
import { Topology } from "../cluster/topology";
import { Workload } from "../cluster/workload";
import type { LogEntry } from "../cluster/command-log";
import { ERROR_CODES, EV, type ErrorCode, type EventBatch, type SimEvent } from "../events";
import { Nemesis } from "../faults/nemesis";
import type { History, HistoryOp } from "../history/types";
import { AckLedger } from "../metrics/ack-ledger";
import { RunStats } from "../metrics/run-stats";
import { onAppend, onSnapshot } from "../replication/follower";
import { acceptClientWrite, becomePrimary, holdsLease, onAppendReply, onHeartbeatTimer, replicasOf } from "../replication/leader";
import { checkElectionTimers, onVote, onVoteRequest, resetElectionTimer } from "../replication/election";
import { acceptMasterWrite, MasterState, onMasterHeartbeat, onSync, onSyncAck } from "../replication/multi-master";
import { acceptQuorumRead, acceptQuorumWrite, onQuorumHeartbeat, onQuorumMessage, QuorumState } from "../replication/quorum";
import { LeaderState } from "../replication/leader-state";
import type { AppendMessage, AppendReplyMessage, SnapshotMessage, VoteMessage, VoteRequestMessage } from "../replication/messages";
import type { Scenario } from "../scenario/types";
import { Bugs, type Bug } from "./bugs";
import { EventLog } from "./event-log";
import { EventQueue } from "./event-queue";
import { msToUs } from "./time";
import type { RequestMessage, ResponseMessage, World } from "./world";

export interface SimulationOptions {
  /** Record every client operation (for consistency checkers). Memory grows with the run. */
  recordHistory?: boolean;
  /** Deliberate bugs, for testing that the reliability checks catch them (see bugs.ts). */
  bugs?: readonly Bug[];
  /**
   * Clients outside this simulation (a shard router) that send operations with `submit`. They are
   * named here, before the run starts, because the event log's table of actor names is fixed then.
   */
  externalClients?: readonly string[];
  /**
   * Whether a database node may execute a client operation on a key right now (sharding: does its
   * shard own the key?). Asked when the node executes it, so a request that was in flight when
   * ownership moved is refused too; refused operations are answered "wrong-shard". Absent: all allowed.
   */
  keyGuard?: (node: number, key: number, write: boolean) => boolean;
}

/** An operation sent from outside the simulation (see `Simulation.submit`). */
export interface ExternalRequest {
  /** One of `SimulationOptions.externalClients`. */
  client: string;
  command: "get" | "set" | "add";
  /** Key index (the workload's "key-<i>" is index i). */
  key: number;
  /** set: the value; add: the amount. */
  value?: number;
  timeoutMs: number;
  /** Called once, at the virtual time of the answer or the timeout. */
  onDone?: (outcome: ExternalOutcome) => void;
}

export interface ExternalOutcome {
  error: ErrorCode;
  /** The value the node answered with (a get: the value read; a write: the value it wrote); NaN on failure. */
  value: number;
  version: number;
  latencyUs: number;
}

/** Operation ids of `submit`, far above the workload's own, so the two never collide in events. */
const EXTERNAL_OP_ID_BASE = 1_000_000_000;

/** Scheduled action kinds of the event queue. */
const Action = { Deliver: 0, JobDone: 1, Call: 2, Timeout: 3, Heartbeat: 4, ElectionTick: 5 } as const;

const DEFAULT_MAX_EVENTS = 100_000_000;
const DEFAULT_HEARTBEAT_MS = 50;
const DEFAULT_LOG_RETENTION = 10_000;
const DEFAULT_CLIENT_REFRESH_MS = 1000;
const ERR = Object.freeze(Object.fromEntries(ERROR_CODES.map((c, i) => [c, i])) as Record<(typeof ERROR_CODES)[number], number>);

/**
 * One deterministic run of a scenario: the virtual clock, the event queue, the cluster, its clients
 * and its faults. Same scenario and seed, same event sequence, on every run and machine.
 *
 * ```ts
 * const sim = new Simulation(scenario);
 * sim.events$.subscribe((e) => console.log(e));   // subscribe before running
 * sim.run();
 * ```
 */
export class Simulation implements World {
  readonly topology: Topology;
  readonly keys: KeySpace;
  readonly network: Network;
  readonly nodes: DbNode[];
  readonly replication: World["replication"];
  readonly stats = new RunStats();
  readonly bugs: Bugs;
  readonly ledger: AckLedger;
  readonly history: History | null;
  readonly endUs: number;
  readonly maxEvents: number;
  readonly voters: readonly number[];
  readonly fencing: boolean;

  private readonly queue = new EventQueue();
  private readonly log: EventLog;
  private readonly directory: Directory;
  private readonly frontend: Frontend | null;
  private readonly workload: Workload;
  private readonly nemesis: Nemesis;
  private readonly serverUp: Uint8Array;
  private readonly pendingOps = new Set<ClientOp>();
  private readonly keyGuard: SimulationOptions["keyGuard"];
  private nextExternalOpId = EXTERNAL_OP_ID_BASE;
  private clock = 0;
  private epochCounter = 1;
  /** Epoch of the newest primary (elected or promoted): writes acknowledged in older epochs after it are at risk. */
  private newestReignEpoch = 1;
  private started = false;
  private finished = false;

  constructor(
    readonly scenario: Scenario,
    options: SimulationOptions = {},
  ) {
    this.bugs = new Bugs(options.bugs);
    this.topology = new Topology(scenario);
    this.keys = new KeySpace(scenario);
    this.replication = {
      ...scenario.replication,
      heartbeatMs: scenario.replication.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      logRetentionEntries: scenario.replication.logRetentionEntries ?? DEFAULT_LOG_RETENTION,
    };
    this.fencing = scenario.replication.failover?.fencing ?? true;
    this.endUs = msToUs(scenario.durationMs);
    this.maxEvents = scenario.maxEvents ?? DEFAULT_MAX_EVENTS;
    this.nodes = scenario.nodes.map((spec, i) => new DbNode(i, spec, this.keys.size, scenario.seed));
    if (this.isMultiMaster) for (const node of this.nodes) node.master = new MasterState(this.nodes.length, this.keys.size);
    if (this.isQuorum) for (const node of this.nodes) node.quorum = new QuorumState(this.nodes.length, this.keys.size);
    this.frontend = scenario.frontend ? new Frontend(scenario.frontend, this.topology) : null;
    this.serverUp = new Uint8Array(this.topology.serverCount).fill(1);
    this.ledger = new AckLedger(this.keys.size);
    this.history = options.recordHistory ? [] : null;
    // The workload adds client actors to the topology, so it comes before the event log's name table.
    this.workload = new Workload(scenario, this.topology, this.keys, {
      now: () => this.clock,
      at: (t, fn) => this.at(t, fn),
      invoke: (op) => this.invoke(op),
      promote: (node) => this.promote(node),
      requiredVersion: (key) => this.ledger.lastAckedVersion[key],
      requiredAckUs: (key) => this.ledger.lastAckedAtUs[key],
    });
    for (const name of options.externalClients ?? []) this.topology.add(name, "client");
    this.keyGuard = options.keyGuard;
    this.log = new EventLog({ actors: this.topology.names, keys: this.keys.names });
    this.network = new Network(scenario.network, this.topology, scenario.seed, {
      now: () => this.clock,
      emit: (type, a, b, c, d) => this.emit(type, a, b, c, d),
      scheduleDelivery: (t, m) => this.queue.push(t, Action.Deliver, 0, 0, m),
      isUp: (actor) => !this.topology.isServer(actor) || this.serverUp[actor] === 1 || (this.bugs.has("zombie-node") && this.topology.isDb(actor)),
    });
    const primary = scenario.nodes.findIndex((n) => n.role === "primary");
    const dataNodes = this.nodes.filter((n) => n.spec.role !== "witness").map((n) => n.index);
    this.voters = this.nodes.map((n) => n.index);
    const failover = scenario.replication.failover;
    const refreshUs = failover ? msToUs(failover.clientRefreshMs ?? DEFAULT_CLIENT_REFRESH_MS) : Infinity;
    const writers = this.isMultiMaster || this.isQuorum ? dataNodes : null;
    this.directory = new Directory(primary, dataNodes, scenario.workload?.readFrom ?? "primary", this.topology.names.length, refreshUs, writers);
    this.nemesis = new Nemesis(scenario, {
      topology: this.topology,
      network: this.network,
      now: () => this.clock,
      at: (t, fn) => this.at(t, fn),
      emit: (type, a, b, c, d) => this.emit(type, a, b, c, d),
      crash: (n) => this.crash(n),
      restart: (n) => this.restart(n),
      loseData: (n) => this.loseData(n),
      isUp: (n) => this.serverUp[n] === 1,
      networkChanged: () => this.checkPrimaryCutOff(),
    });
  }

  // ---- Streams -------------------------------------------------------------------------------

  /** The event log as columnar batches (one per virtual millisecond): the fast way to consume it. */
  get batches$(): Observable<EventBatch> {
    return this.log.batches$;
  }

  /** The event log as readable events. Convenient; allocates one object per event. */
  get events$(): Observable<SimEvent> {
    return this.log.batches$.pipe(concatMap((batch) => from(batch.events())));
  }

  // ---- Running -------------------------------------------------------------------------------

  /** Runs to the end (durationMs or maxEvents). */
  run(): this {
    this.runUntil(this.endUs / 1000);
    return this.finish();
  }

  /**
   * Runs until a virtual time (ms), then pauses; call again to continue. Live views use this to pace a
   * run in slices; the event sequence is the same as one uninterrupted run.
   */
  runUntil(timeMs: number): this {
    if (this.finished) return this;
    this.begin();
    const untilUs = Math.min(msToUs(timeMs), this.endUs);
    const q = this.queue;
    while (q.size > 0 && q.peekTime() <= untilUs && this.log.count < this.maxEvents) {
      const slot = q.pop();
      this.clock = q.time(slot);
      const action = q.action(slot);
      const a = q.a(slot);
      const b = q.b(slot);
      const payload = q.payload(slot);
      q.release(slot);
      this.dispatch(action, a, b, payload);
    }
    if (this.log.count < this.maxEvents && untilUs > this.clock) this.clock = untilUs;
    this.log.flush();
    return this;
  }

  /** Ends the run: flushes and completes the streams (every subscription is released). */
  finish(): this {
    if (this.finished) return this;
    this.begin();
    this.finished = true;
    this.stats.primaryUp(true, this.clock); // close an open outage at the end time
    this.log.complete();
    return this;
  }

  /** Every master takes writes and they replicate both ways. */
  get isMultiMaster(): boolean {
    return this.scenario.replication.mode === "multi-master";
  }

  /** Writes commit only with a majority (witnesses vote). */
  get isQuorum(): boolean {
    return this.scenario.replication.mode === "quorum";
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Events recorded so far. */
  get eventCount(): number {
    return this.log.count;
  }

  get eventHash(): string {
    return this.log.eventHash;
  }

  /** Operations still waiting for an answer. */
  get inFlight(): ReadonlySet<ClientOp> {
    return this.pendingOps;
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    for (const node of this.nodes) node.epoch = 1;
    if (!this.isMultiMaster && !this.isQuorum) {
      becomePrimary(this, this.nodes[this.directory.primary], 1, true);
      for (const node of this.nodes) if (!node.leader) resetElectionTimer(this, node);
    }
    this.workload.start();
    this.nemesis.start();
    this.queue.push(msToUs(this.replication.heartbeatMs), Action.Heartbeat, 0, 0, undefined);
    if (this.replication.failover) this.queue.push(this.electionTickUs(), Action.ElectionTick, 0, 0, undefined);
  }

  /**
   * How often election deadlines are checked: a tenth of the election timeout, so that the random part
   * of each replica's timeout really spreads candidacies apart (checking only on heartbeats would
   * round every deadline up to the next heartbeat, and replicas would stand together and split votes).
   */
  private electionTickUs(): number {
    return Math.max(1, msToUs(this.replication.failover!.electionTimeoutMs / 10));
  }

  private dispatch(action: number, a: number, b: number, payload: unknown): void {
    switch (action) {
      case Action.Deliver:
        if (this.network.arrives(payload as Message)) this.receive(payload as Message);
        break;
      case Action.JobDone:
        this.jobDone(this.nodes[a], b, payload as Job);
        break;
      case Action.Call:
        (payload as () => void)();
        break;
      case Action.Timeout:
        this.timeout(payload as ClientOp);
        break;
      case Action.Heartbeat:
        for (const node of this.nodes) {
          if (node.up && node.leader) onHeartbeatTimer(this, node);
          if (node.up && node.master) onMasterHeartbeat(this, node);
          if (node.up && node.quorum) onQuorumHeartbeat(this, node);
        }
        this.queue.push(this.clock + msToUs(this.replication.heartbeatMs), Action.Heartbeat, 0, 0, undefined);
        break;
      case Action.ElectionTick:
        checkElectionTimers(this);
        this.queue.push(this.clock + this.electionTickUs(), Action.ElectionTick, 0, 0, undefined);
        break;
    }
  }

  // ---- World ---------------------------------------------------------------------------------

  now(): number {
    return this.clock;
  }

  emit(type: number, a: number, b: number, c: number, d: number): void {
    this.log.emit(type, this.clock, a, b, c, d);
  }

  send(message: Message): void {
    this.network.send(message);
  }

  /** Runs `fn` at an absolute virtual time. */
  at(timeUs: number, fn: () => void): void {
    this.queue.push(Math.max(timeUs, this.clock), Action.Call, 0, 0, fn);
  }

  runJob(node: DbNode, job: Job): void {
    if (node.unlimited) {
      job.run();
      return;
    }
    if (node.busy < node.workers) this.startJob(node, job);
    else if (!node.enqueue(job)) job.reject?.();
  }

  private startJob(node: DbNode, job: Job): void {
    node.busy++;
    this.queue.push(this.clock + msToUs(job.serviceMs ?? node.serviceMs()), Action.JobDone, node.index, node.incarnation, job);
  }

  private jobDone(node: DbNode, incarnation: number, job: Job): void {
    if (node.incarnation !== incarnation) return; // the node crashed while working on it
    node.busy--;
    job.run(); // may start a job of its own (a replica's next apply) on the worker it freed
    while (node.busy < node.workers) {
      const next = node.dequeue();
      if (!next) break;
      this.startJob(node, next);
    }
  }

  respond(node: DbNode, req: RequestMessage, error: number, value: number, version: number): void {
    const path = req.path;
    const response: ResponseMessage = {
      kind: MSG.response,
      from: node.index,
      to: path[path.length - 1],
      gen: 0,
      index: version,
      op: req.op,
      path: path.slice(0, -1),
      error,
      value,
      version,
    };
    this.send(response);
  }

  writeAcknowledged(node: DbNode, entry: LogEntry): void {
    this.ledger.record(entry.term, entry.index, entry.key, this.clock);
    const last = this.stats.failovers[this.stats.failovers.length - 1];
    if (last && last.newPrimary === node.index && last.firstAckUs === null) last.firstAckUs = this.clock;
    // A deposed primary that has not heard the news acknowledges a write no successor will have.
    if (entry.term < this.newestReignEpoch && !this.bugs.has("uncounted-risk")) this.ledger.markOne(entry.term, entry.index);
  }

  quorumWriteAcknowledged(key: number, version: number, op: number): void {
    this.stats.quorumAcknowledged(key, version, op);
    if (version > this.ledger.lastAckedVersion[key]) {
      this.ledger.lastAckedVersion[key] = version;
      this.ledger.lastAckedAtUs[key] = this.clock;
    }
  }

  replicaApplied(node: DbNode, entry: LogEntry): void {
    this.stats.lagOf(node.index).recordUs(this.clock - entry.createdUs);
  }

  /** The primary the registry knows (clients may still have an older view). */
  directoryPrimary(): number {
    return this.directory.primary;
  }

  nextEpoch(): number {
    for (const node of this.nodes) this.epochCounter = Math.max(this.epochCounter, node.epoch);
    return ++this.epochCounter;
  }

  electionStarted(_node: DbNode): void {
    if (this.stats.candidacySinceUs < 0) this.stats.candidacySinceUs = this.clock;
  }

  primaryElected(node: DbNode): void {
    const stats = this.stats;
    const old = this.directory.primary;
    this.newestReignEpoch = Math.max(this.newestReignEpoch, node.epoch);
    this.promotionRisk(node);
    const oldReachable = old !== node.index && this.serverUp[old] === 1 && this.network.connected(old, node.index) && this.network.connected(node.index, old);
    stats.failovers.push({
      lostAtUs: stats.primaryLostAtUs >= 0 ? stats.primaryLostAtUs : null,
      firstCandidacyUs: stats.candidacySinceUs >= 0 ? stats.candidacySinceUs : this.clock,
      electedAtUs: this.clock,
      firstAckUs: null,
      newPrimary: node.index,
      // Nothing took the old primary away (no crash, no cut): it was replaced, or re-elected, for nothing.
      falseFailover: stats.primaryLostAtUs < 0 && (old === node.index || oldReachable),
    });
    stats.primaryLostAtUs = -1;
    stats.candidacySinceUs = -1;
    this.directory.register(node.index);
    stats.primaryUp(true, this.clock);
  }

  /** A partition or cut began: if the primary can no longer reach a majority, it is lost to clients. */
  private checkPrimaryCutOff(): void {
    const p = this.directory.primary;
    if (!this.replication.failover || this.stats.primaryLostAtUs >= 0 || this.serverUp[p] === 0) return;
    const reachable = this.voters.filter((v) => v === p || (this.network.connected(p, v) && this.network.connected(v, p))).length;
    if (reachable < Math.floor(this.voters.length / 2) + 1) this.stats.primaryLostAtUs = this.clock;
  }

  // ---- Messages ------------------------------------------------------------------------------

  private receive(m: Message): void {
    switch (m.kind) {
      case MSG.request:
        this.receiveRequest(m as RequestMessage);
        break;
      case MSG.response:
        this.receiveResponse(m as ResponseMessage);
        break;
      case MSG.append:
        onAppend(this, this.nodes[m.to], m as AppendMessage);
        break;
      case MSG["append-reply"]:
        onAppendReply(this, this.nodes[m.to], m as AppendReplyMessage);
        break;
      case MSG.snapshot:
        onSnapshot(this, this.nodes[m.to], m as SnapshotMessage);
        break;
      case MSG["vote-request"]:
        onVoteRequest(this, this.nodes[m.to], m as VoteRequestMessage);
        break;
      case MSG.vote:
        onVote(this, this.nodes[m.to], m as VoteMessage);
        break;
      case MSG["mm-sync"]:
        onSync(this, this.nodes[m.to], m as Parameters<typeof onSync>[2]);
        break;
      case MSG["mm-ack"]:
        onSyncAck(this, this.nodes[m.to], m as Parameters<typeof onSyncAck>[2]);
        break;
      default:
        if (m.kind >= MSG.prepare && m.kind <= MSG["decide-ack"]) onQuorumMessage(this, this.nodes[m.to], m as Parameters<typeof onQuorumMessage>[2]);
    }
  }

  private receiveRequest(req: RequestMessage): void {
    const here = req.to;
    if (this.topology.isDb(here)) {
      this.serveAtDb(this.nodes[here], req);
      return;
    }
    const next = this.frontend && here === this.frontend.loadBalancer ? this.frontend.chooseAppServer() : this.route(req.op, here);
    if (next < 0) {
      this.sendResponseFrom(here, req, ERR["no-backend"]);
      return;
    }
    this.forward(req, next);
  }

  /** A database node serves a client operation on one of its workers. */
  private serveAtDb(node: DbNode, req: RequestMessage): void {
    const write = isWrite(req.op);
    this.emit(EV.received, node.index, req.op.id, write ? 1 : 0, 0);
    this.runJob(node, {
      run: () => {
        if (this.keyGuard && !this.keyGuard(node.index, req.op.key, write)) this.refuseWrongShard(node, req);
        else if (write && node.master) acceptMasterWrite(this, node, req);
        else if (write && node.quorum) acceptQuorumWrite(this, node, req);
        else if (node.quorum) acceptQuorumRead(this, node, req);
        else if (write) acceptClientWrite(this, node, req);
        else if (node.leader && !holdsLease(this, node)) this.respond(node, req, ERR["lease-expired"], NaN, 0);
        else this.respond(node, req, ERR.ok, node.store.get(req.op.key), node.store.versions[req.op.key]);
      },
      reject: () => {
        this.emit(EV.reject, node.index, req.op.id, ERR.overloaded, 0);
        this.respond(node, req, ERR.overloaded, NaN, 0);
      },
      serviceMs: isAnalytics(req.op) ? req.op.serviceMs : undefined,
    });
  }

  private refuseWrongShard(node: DbNode, req: RequestMessage): void {
    this.emit(EV.reject, node.index, req.op.id, ERR["wrong-shard"], 0);
    this.respond(node, req, ERR["wrong-shard"], NaN, 0);
  }

  private forward(req: RequestMessage, to: number): void {
    const next: RequestMessage = { kind: MSG.request, from: req.to, to, gen: 0, index: 0, op: req.op, path: [...req.path, req.to] };
    this.send(next);
  }

  private sendResponseFrom(actor: number, req: RequestMessage, error: number): void {
    const path = req.path;
    const response: ResponseMessage = { kind: MSG.response, from: actor, to: path[path.length - 1], gen: 0, index: 0, op: req.op, path: path.slice(0, -1), error, value: NaN, version: 0 };
    this.send(response);
  }

  private receiveResponse(res: ResponseMessage): void {
    if (res.path.length > 0) {
      const back: ResponseMessage = { ...res, from: res.to, to: res.path[res.path.length - 1], path: res.path.slice(0, -1) };
      this.send(back);
      return;
    }
    this.complete(res.op, res.error, res.value, res.version);
  }

  /** Which database node an operation goes to: the script's choice, else the router's view. */
  private route(op: ClientOp, router: number): number {
    const target = op.target >= 0 ? op.target : this.defaultTarget(op, router);
    op.routedTo = target;
    op.router = router;
    this.directory.sent(target);
    return target;
  }

  private defaultTarget(op: ClientOp, router: number): number {
    if (isAnalytics(op)) return this.directory.analyticsTarget(router, this.clock, this.scenario.workload!.analytics!.on);
    return isWrite(op) ? this.directory.writeTarget(router, this.clock) : this.directory.readTarget(router, this.clock);
  }

  // ---- Clients -------------------------------------------------------------------------------

  /**
   * Sends an operation from an external client now (at the current virtual time), routed like any
   * client's, with its timeout armed; `onDone` hears the outcome. This is how a shard router outside
   * the simulation drives it: schedule with `at`, then submit from inside the callback.
   */
  submit(request: ExternalRequest): void {
    const client = this.topology.indexOf(request.client);
    const command = request.command === "get" ? Command.Get : request.command === "add" ? Command.Add : Command.Set;
    const invokeUs = this.clock;
    const onDone = request.onDone;
    const op: ClientOp = {
      id: ++this.nextExternalOpId,
      client,
      process: client,
      command,
      key: request.key,
      arg: request.value ?? 0,
      floor: NaN,
      invokeUs,
      timeoutUs: msToUs(request.timeoutMs),
      target: -1,
      requiredVersion: command === Command.Get ? this.ledger.lastAckedVersion[request.key] : 0,
      requiredAckUs: command === Command.Get ? this.ledger.lastAckedAtUs[request.key] : 0,
      done: false,
      serviceMs: NaN,
      routedTo: -1,
      router: -1,
      onDone: onDone && ((error, value, version) => onDone({ error: ERROR_CODES[error], value, version, latencyUs: this.clock - invokeUs })),
    };
    this.invoke(op);
  }

  private invoke(op: ClientOp): void {
    if (isAnalytics(op)) this.stats.analyticsAttempted++;
    else if (isWrite(op)) this.stats.writesAttempted++;
    else this.stats.readsAttempted++;
    this.pendingOps.add(op);
    this.emit(EV.request, op.client, op.id, isWrite(op) ? 1 : 0, op.key);
    const first = this.frontend ? this.frontend.loadBalancer : this.route(op, op.client);
    const req: RequestMessage = { kind: MSG.request, from: op.client, to: first, gen: 0, index: 0, op, path: [op.client] };
    this.send(req);
    this.queue.push(op.invokeUs + op.timeoutUs, Action.Timeout, 0, 0, op);
  }

  private complete(op: ClientOp, error: number, value: number, version: number): void {
    if (op.done) return; // the client already gave up: a late answer
    this.settle(op, error);
    const latencyUs = this.clock - op.invokeUs;
    const ok = error === ERR.ok;
    if (isAnalytics(op)) {
      if (ok) {
        this.stats.analyticsOk++;
        this.stats.analyticsLatency.recordUs(latencyUs);
      } else this.stats.analyticsFailed++;
    } else if (isWrite(op)) {
      if (ok) {
        this.stats.writesAcknowledged++;
        this.stats.writeLatency.recordUs(latencyUs);
      } else this.stats.writesFailed++;
    } else if (ok) {
      this.stats.readsOk++;
      this.stats.readLatency.recordUs(latencyUs);
      if (version < op.requiredVersion) this.stats.staleRead(op.requiredVersion - version, op.invokeUs - op.requiredAckUs);
    } else this.stats.readsFailed++;
    if (!ok) this.stats.countError(ERROR_CODES[error]);
    this.emit(EV.response, op.client, op.id, error, value);
    // An indeterminate write may or may not have happened: like a timeout, its outcome is unknown.
    const status = ok ? "ok" : error === ERR.indeterminate ? "info" : "fail";
    this.recordHistory(op, status, ok ? value : NaN, ERROR_CODES[error]);
    this.workload.completed(op);
    op.onDone?.(error, ok ? value : NaN, version);
  }

  private timeout(op: ClientOp): void {
    if (op.done) return;
    this.settle(op, ERR.timeout);
    if (isAnalytics(op)) this.stats.analyticsFailed++;
    else if (isWrite(op)) this.stats.writesFailed++;
    else this.stats.readsFailed++;
    this.stats.countError("timeout");
    this.emit(EV.timeout, op.client, op.id, 0, 0);
    // A write that timed out may or may not have happened; a read that timed out changed nothing.
    this.recordHistory(op, isWrite(op) ? "info" : "fail", NaN, "timeout");
    this.workload.completed(op);
    op.onDone?.(ERR.timeout, NaN, 0);
  }

  /** An operation is over: routing bookkeeping, and a router whose target failed asks the registry again. */
  private settle(op: ClientOp, error: number): void {
    op.done = true;
    this.pendingOps.delete(op);
    if (op.routedTo >= 0) this.directory.answered(op.routedTo);
    const wrongNode = error === ERR.timeout || error === ERR["not-primary"] || error === ERR["read-only"] || error === ERR["lease-expired"];
    if (wrongNode && op.router >= 0 && op.target < 0) this.directory.refresh(op.router, this.clock);
  }

  private recordHistory(op: ClientOp, status: HistoryOp["status"], value: number, error: string): void {
    if (!this.history) return;
    this.history.push(toHistoryOp(op, this.keys.names[op.key], status, value, status === "info" ? null : this.clock, error));
  }

  /** Operations still in flight when the run ended, as "info" (outcome unknown). */
  unfinishedHistory(): HistoryOp[] {
    return [...this.pendingOps].map((op) => toHistoryOp(op, this.keys.names[op.key], "info", NaN, null, "in flight at the end"));
  }

  // ---- Faults and promotion ------------------------------------------------------------------

  isUp(actor: number): boolean {
    return !this.topology.isServer(actor) || this.serverUp[actor] === 1;
  }

  crash(actor: number): void {
    if (this.serverUp[actor] === 0) return;
    if (this.topology.isDb(actor)) this.crashDb(this.nodes[actor]);
    this.serverUp[actor] = 0;
    this.network.nodeCrashed(actor);
    this.emit(EV.crash, actor, 0, 0, 0);
    this.frontend?.appServerChanged(actor, () => this.serverUp[actor] === 1, (t, fn) => this.at(t, fn), this.clock);
  }

  /**
   * The end of a primary's reign (it crashes, steps down, or another is elected while it lives): the
   * acknowledged writes that no other live node holds are at risk. Each reign is counted once; writes
   * a deposed primary acknowledges afterwards are counted one by one (see writeAcknowledged).
   */
  reignEnding(node: DbNode): void {
    if (!node.leader || this.bugs.has("uncounted-risk")) return;
    this.ledger.markHeldBeyond(node.log, this.bestReplicaPrefix(node));
  }

  /** A new primary takes over: every acknowledged write it lacks is at risk (counted once, by identity). */
  private promotionRisk(node: DbNode): void {
    if (!this.bugs.has("uncounted-risk")) this.ledger.markMissingFrom(node.log);
  }

  private crashDb(node: DbNode): void {
    if (node.role === "primary") this.reignEnding(node);
    if (!this.bugs.has("zombie-node")) node.crash(); // the bug: a "crashed" node that keeps working
    if (node.index === this.directory.primary) {
      this.stats.primaryUp(false, this.clock);
      if (this.stats.primaryLostAtUs < 0) this.stats.primaryLostAtUs = this.clock;
    }
  }

  /** How much of a primary's log the most up-to-date other live node holds. */
  private bestReplicaPrefix(primary: DbNode): number {
    let best = 0;
    for (const n of this.nodes) {
      if (n !== primary && n.up && n.spec.role !== "witness") best = Math.max(best, primary.log.commonPrefixWith(n.log));
    }
    return best;
  }

  restart(actor: number): void {
    if (this.serverUp[actor] === 1) return;
    this.serverUp[actor] = 1;
    this.emit(EV.recover, actor, 0, 0, 0);
    if (this.topology.isDb(actor)) {
      const node = this.nodes[actor];
      node.up = true;
      this.rejoin(node);
      if (actor === this.directory.primary) this.stats.primaryUp(true, this.clock);
    }
    this.frontend?.appServerChanged(actor, () => this.serverUp[actor] === 1, (t, fn) => this.at(t, fn), this.clock);
  }

  /**
   * A restarted database node. A former primary resumes leading only if nobody replaced it: with
   * automatic failover it comes back as a replica (Raft: elections decide), and after a promotion it
   * comes back as a replica of the new primary (as a cluster manager such as Patroni demotes it).
   * Resuming blindly would let it acknowledge writes in its old epoch to clients that still know it.
   */
  private rejoin(node: DbNode): void {
    if (this.isMultiMaster || this.isQuorum) return; // every master simply comes back
    if (node.role === "primary" && (this.replication.failover || this.directory.primary !== node.index)) {
      node.role = "replica";
      this.emit(EV.demote, node.index, node.epoch, 0, 0);
    }
    if (node.role === "primary") node.leader = new LeaderState(node.epoch, this.nodes.length, node.log.lastIndex, replicasOf(this, node));
    else resetElectionTimer(this, node);
  }

  loseData(actor: number): void {
    if (!this.topology.isDb(actor)) return;
    const node = this.nodes[actor];
    node.loseData();
    // A node with no data cannot lead: it comes back as an empty replica.
    if (node.role === "primary") node.role = "replica";
    this.emit(EV["data-loss"], actor, 0, 0, 0);
  }

  /** A scripted promotion: the node becomes primary of a new epoch, and clients follow it. */
  promote(actor: number): void {
    const node = this.nodes[actor];
    if (!node || !node.up) return; // a promotion of a down node does nothing
    this.promotionRisk(node);
    becomePrimary(this, node, this.nextEpoch());
    this.newestReignEpoch = node.epoch;
    this.directory.announce(actor);
    this.stats.primaryUp(true, this.clock);
  }

}

function toHistoryOp(op: ClientOp, key: string, status: HistoryOp["status"], value: number, completeUs: number | null, error: string): HistoryOp {
  const kind = op.command === Command.Get ? "read" : op.command === Command.Add ? "add" : "write";
  const input = op.command === Command.Get ? null : op.command === Command.Add ? { amount: op.arg, ...(Number.isNaN(op.floor) ? {} : { floor: op.floor }) } : op.command === Command.Set ? op.arg : null;
  const out: HistoryOp = { process: op.process, kind, key, input, status, invokeUs: op.invokeUs, completeUs, id: op.id };
  if (status === "ok" && kind === "read") out.output = Number.isNaN(value) ? null : value;
  if (status !== "ok") out.error = error;
  return out;
}
