import type { Observable } from "rxjs";
import { CommitBugs, type CommitBug } from "./bugs";
import { beginTransaction, coordinatorReceives, recoverCoordinator } from "./coordinator";
import { CoordinatorNode } from "./coordinator-state";
import { TxnEventLog, type TxnEventBatch } from "./event-log";
import type { TxnEvent, TxnEventInput, TxnMessageKind } from "./events";
import { FaultInjector } from "./faults";
import { Kernel } from "./kernel";
import type { CommitMessage, MessageBody } from "./messages";
import { CommitMetrics } from "./metrics";
import { CommitNetwork } from "./network";
import { COORDINATOR, participantNumbers } from "./nodes";
import { OutcomeRecorder, type TxnOutcome } from "./outcomes";
import { participantReceives, recoverParticipant } from "./participant";
import { ParticipantNode } from "./participant-state";
import type { AtomicCommitScenario, CommitPhase } from "./scenario-types";
import { resolveSettings, type CommitSettings } from "./settings";
import { summarize, type AtomicCommitSummary } from "./summary";
import { CommitWorkload } from "./workload";
import type { CommitWorld } from "./world";

export interface AtomicCommitOptions {
  /** Keep every event in memory (for timelines and checkers of the whole run). */
  recordEvents?: boolean;
  /** Deliberate bugs, for testing the checker (see bugs.ts). */
  bugs?: readonly CommitBug[];
}

/**
 * One deterministic run of an atomic-commit scenario: the clock, the network, the coordinator and the
 * participants, the workload and the faults. Same scenario and seed, same events, same hash.
 *
 * ```ts
 * const sim = new AtomicCommitSimulation(scenario);
 * sim.events$.subscribe((e) => console.log(describeTxnEvent(e)));   // subscribe before running
 * sim.run();
 * sim.summary();
 * ```
 */
export class AtomicCommitSimulation implements CommitWorld {
  readonly settings: CommitSettings;
  readonly coordinator = new CoordinatorNode();
  readonly bugs: CommitBugs;
  private readonly participants: ParticipantNode[];
  private readonly kernel = new Kernel();
  private readonly log: TxnEventLog;
  private readonly network: CommitNetwork;
  private readonly faults: FaultInjector;
  private readonly workload: CommitWorkload;
  private readonly outcomeRecorder = new OutcomeRecorder();
  private readonly metrics: CommitMetrics;
  private started = false;
  private finished = false;

  constructor(
    readonly scenario: AtomicCommitScenario,
    options: AtomicCommitOptions = {},
  ) {
    const settings = resolveSettings(scenario);
    this.settings = settings;
    this.bugs = new CommitBugs(options.bugs);
    this.log = new TxnEventLog(options.recordEvents ? [] : null);
    this.metrics = new CommitMetrics(settings.decisionUs / 1000);
    this.participants = participantNumbers(settings.participants).map((node) => new ParticipantNode(node, settings.names[node], settings.seed));
    this.network = new CommitNetwork(
      { latencyMs: settings.latencyMs, lossRate: settings.lossRate, names: settings.names, seed: settings.seed },
      { now: () => this.now(), at: (t, a) => this.kernel.at(t, a), emit: (e) => this.emit(e), isUp: (n) => this.isUp(n), deliver: (m) => this.deliver(m) },
    );
    this.faults = new FaultInjector(scenario.faults ?? [], {
      names: settings.names,
      seed: settings.seed,
      endUs: settings.endUs,
      now: () => this.now(),
      at: (t, a) => this.kernel.at(t, a),
      emit: (e) => this.emit(e),
      isUp: (n) => this.isUp(n),
      crash: (n) => this.crash(n),
      restart: (n) => this.restart(n),
      partition: (groups) => this.network.partition(groups),
      heal: () => this.network.heal(),
    });
    this.workload = new CommitWorkload(scenario.workload, settings, { now: () => this.now(), at: (t, a) => this.kernel.at(t, a), arrive: (tx) => beginTransaction(this, tx) });
  }

  // ---- Streams and results ------------------------------------------------------------------

  /** The events in batches of one virtual millisecond. Subscribe before running. */
  get batches$(): Observable<TxnEventBatch> {
    return this.log.batches$;
  }

  /** The events one by one. Subscribe before running. */
  get events$(): Observable<TxnEvent> {
    return this.log.events$;
  }

  /** Every event so far, when the run records them (`recordEvents`), else null. */
  get events(): readonly TxnEvent[] | null {
    return this.log.recorded;
  }

  get eventHash(): string {
    return this.log.eventHash;
  }

  get eventCount(): number {
    return this.log.count;
  }

  outcomes(): TxnOutcome[] {
    return this.outcomeRecorder.outcomes();
  }

  /** The result fields (see `AtomicCommitSummary`). Final once the run has finished. */
  summary(): AtomicCommitSummary {
    return summarize(this.settings, this.metrics, this.outcomes(), { count: this.log.count, hash: this.log.eventHash });
  }

  // ---- Running -------------------------------------------------------------------------------

  run(): this {
    this.runUntil(this.settings.endUs / 1000);
    return this.finish();
  }

  /** Runs until a virtual time (ms), then pauses: the event sequence is the same as one uninterrupted run. */
  runUntil(timeMs: number): this {
    if (this.finished) return this;
    this.begin();
    const untilUs = Math.min(Math.round(timeMs * 1000), this.settings.endUs);
    this.kernel.runUntil(untilUs, () => this.log.count < this.settings.maxEvents);
    this.log.flush();
    return this;
  }

  /** Ends the run: closes open in-doubt intervals, flushes and completes the streams. */
  finish(): this {
    if (this.finished) return this;
    this.begin();
    this.finished = true;
    this.metrics.finish(this.now() / 1000);
    this.log.complete();
    return this;
  }

  private begin(): void {
    if (this.started) return;
    this.started = true;
    this.emit({ type: "start", protocol: this.settings.protocol, nodes: [...this.settings.names] });
    this.faults.start();
    this.workload.start();
  }

  // ---- CommitWorld ---------------------------------------------------------------------------

  now(): number {
    return this.kernel.now();
  }

  emit(event: TxnEventInput): void {
    const stamped = this.log.emit(event, this.kernel.now());
    this.outcomeRecorder.observe(stamped);
    this.metrics.observe(stamped);
  }

  send(from: number, to: number, kind: TxnMessageKind, txn: number, body?: MessageBody): void {
    this.network.send({ kind, from, to, txn, ...body });
  }

  afterVirtual(node: number, delayUs: number, action: () => void): void {
    const incarnation = this.incarnationOf(node);
    this.kernel.at(this.now() + delayUs, () => {
      if (this.isUp(node) && this.incarnationOf(node) === incarnation) action();
    });
  }

  isUp(node: number): boolean {
    return node === COORDINATOR ? this.coordinator.up : this.participant(node).up;
  }

  checkpoint(node: number, phase: CommitPhase, txn: number, count: number): boolean {
    return this.faults.checkpoint(node, phase, txn, count);
  }

  /** Participant "pI" is node I. */
  participant(node: number): ParticipantNode {
    return this.participants[node - 1];
  }

  name(node: number): string {
    return this.settings.names[node];
  }

  // ---- Delivery, crash and restart ------------------------------------------------------------

  private deliver(m: CommitMessage): void {
    if (m.to === COORDINATOR) coordinatorReceives(this, m);
    else participantReceives(this, this.participant(m.to), m);
  }

  private incarnationOf(node: number): number {
    return node === COORDINATOR ? this.coordinator.incarnation : this.participant(node).incarnation;
  }

  /** A crash loses everything in memory; the log survives. Messages in flight to the node are lost. */
  private crash(node: number): void {
    if (!this.isUp(node)) return;
    if (node === COORDINATOR) this.coordinator.crash();
    else this.participant(node).crash();
    this.network.nodeCrashed(node);
    this.emit({ type: "crash", node: this.name(node) });
  }

  private restart(node: number): void {
    if (this.isUp(node)) return;
    this.emit({ type: "recover", node: this.name(node) });
    if (node === COORDINATOR) {
      this.coordinator.up = true;
      recoverCoordinator(this);
    } else {
      this.participant(node).up = true;
      recoverParticipant(this, this.participant(node));
    }
  }
}
