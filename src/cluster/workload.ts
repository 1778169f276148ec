import type { Scenario, ScriptOp, WorkloadSpec } from "../scenario/types";
import { sampler, type Sampler } from "../sim/distributions";
import { Random } from "../sim/random";
import { msToUs } from "../sim/time";
import { Command, type ClientOp } from "./client-op";
import type { KeySpace } from "./keys";
import type { Topology } from "./topology";

/** What the workload needs from the simulation. */
export interface WorkloadHost {
  now(): number;
  /** Runs `fn` at an absolute virtual time. */
  at(timeUs: number, fn: () => void): void;
  /** Sends a new operation on its way (and arms its timeout). */
  invoke(op: ClientOp): void;
  /** Promotes a node (a script's `promote`). */
  promote(node: number): void;
  /** Highest acknowledged version of a key right now (a read must not return older). */
  requiredVersion(key: number): number;
  /** When that version was acknowledged (µs). */
  requiredAckUs(key: number): number;
}

const DEFAULT_TIMEOUT_MS = 1000;
const DEFAULT_ANALYTICS_TIMEOUT_MS = 60_000;

/**
 * The clients: an open-loop Poisson stream (phones that do not wait for each other), or closed-loop
 * processes (each waits for its answer, then thinks, then asks again), plus the script's exact
 * operations. Randomness comes from the "workload" streams only, so faults never reshuffle it.
 */
export class Workload {
  private nextOpId = 1;
  private readonly spec: WorkloadSpec | undefined;
  private readonly random: Random;
  private readonly openLoopClient: number;
  private readonly closedLoopClients: number[] = [];
  private readonly thinkTime: Sampler;
  private readonly clientRandoms: Random[] = [];
  private readonly stopAtUs: number;
  private readonly timeoutUs: number;
  /** The reporting tool that sends analytics queries (-1: none). */
  readonly analyticsClient: number;
  private readonly analyticsRandom: Random | null;

  constructor(
    private readonly scenario: Scenario,
    private readonly topology: Topology,
    private readonly keys: KeySpace,
    private readonly host: WorkloadHost,
  ) {
    this.spec = scenario.workload;
    this.random = new Random(scenario.seed, "workload");
    this.thinkTime = sampler(this.spec?.thinkTimeMs ?? { dist: "constant", value: 0 });
    this.stopAtUs = msToUs(Math.min(this.spec?.stopAtMs ?? Infinity, scenario.durationMs));
    this.timeoutUs = msToUs(this.spec?.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    this.openLoopClient = this.spec?.opsPerSec ? topology.add("clients", "client") : -1;
    for (let i = 0; i < (this.spec?.clients ?? 0); i++) {
      this.closedLoopClients.push(topology.add(`client-${i + 1}`, "client"));
      this.clientRandoms.push(new Random(scenario.seed, `workload/client-${i + 1}`));
    }
    for (const op of scenario.script ?? []) if (op.op !== "promote") topology.add(op.client ?? "script", "client");
    this.analyticsClient = this.spec?.analytics ? topology.add("analytics", "client") : -1;
    this.analyticsRandom = this.spec?.analytics ? new Random(scenario.seed, "workload/analytics") : null;
  }

  /** Schedules the first operations of every source. */
  start(): void {
    if (this.openLoopClient >= 0) this.scheduleArrival();
    if (this.analyticsClient >= 0) this.scheduleQuery();
    this.closedLoopClients.forEach((_, i) => this.scheduleClient(i));
    (this.scenario.script ?? []).forEach((op) => this.host.at(msToUs(op.atMs), () => this.runScript(op)));
  }

  /** A closed-loop client got its answer (or gave up): it thinks, then asks again. */
  completed(op: ClientOp): void {
    const i = this.closedLoopClients.indexOf(op.client);
    if (i >= 0) this.scheduleClient(i);
  }

  private scheduleArrival(): void {
    const ratePerUs = this.spec!.opsPerSec! / 1_000_000;
    const at = this.host.now() + Math.max(1, Math.round(-Math.log(1 - this.random.next()) / ratePerUs));
    if (at > this.stopAtUs) return;
    this.host.at(at, () => {
      this.invokeRandom(this.openLoopClient, -1, this.random);
      this.scheduleArrival();
    });
  }

  /** Analytics queries: their own Poisson stream, from their own random stream. */
  private scheduleQuery(): void {
    const spec = this.spec!.analytics!;
    const r = this.analyticsRandom!;
    const at = this.host.now() + Math.max(1, msToUs(-Math.log(1 - r.next()) * (1000 / spec.queriesPerSec)));
    if (at > this.stopAtUs) return;
    this.host.at(at, () => {
      const serviceMs = sampler(spec.serviceTimeMs)(r);
      const timeoutUs = msToUs(spec.timeoutMs ?? DEFAULT_ANALYTICS_TIMEOUT_MS);
      this.invoke(this.analyticsClient, this.analyticsClient, this.nextOpId++, Command.Get, 0, 0, NaN, -1, timeoutUs, serviceMs);
      this.scheduleQuery();
    });
  }

  private scheduleClient(i: number): void {
    const random = this.clientRandoms[i];
    const at = this.host.now() + msToUs(this.thinkTime(random));
    if (at > this.stopAtUs) return;
    this.host.at(at, () => this.invokeRandom(this.closedLoopClients[i], this.closedLoopClients[i], random));
  }

  /** One operation of the random workload: a read or a write on a uniformly chosen key. */
  private invokeRandom(client: number, process: number, random: Random): void {
    const spec = this.spec!;
    const key = random.int(spec.keys);
    const isRead = random.next() < spec.readRatio;
    const id = this.nextOpId++;
    const command = isRead ? Command.Get : spec.writeOp === "add" ? Command.Add : Command.Set;
    // A `set` writes the operation id: unique values make histories checkable.
    this.invoke(client, process >= 0 ? process : this.processForOpenLoop(id), id, command, key, command === Command.Set ? id : 1, NaN, -1, this.timeoutUs);
  }

  /** Open-loop operations each come from their own phone: a fresh process id per operation. */
  private processForOpenLoop(opId: number): number {
    return this.topology.names.length + opId;
  }

  private runScript(op: ScriptOp): void {
    if (op.op === "promote") {
      this.host.promote(this.topology.indexOf(op.node));
      return;
    }
    const client = this.topology.indexOf(op.client ?? "script");
    const key = this.keys.indexOf(op.key);
    const target = op.node ? this.topology.indexOf(op.node) : -1;
    const timeoutUs = op.timeoutMs !== undefined ? msToUs(op.timeoutMs) : this.timeoutUs;
    const id = this.nextOpId++;
    switch (op.op) {
      case "get":
        return this.invoke(client, client, id, Command.Get, key, 0, NaN, target, timeoutUs);
      case "set":
        return this.invoke(client, client, id, Command.Set, key, op.value, NaN, target, timeoutUs);
      case "add":
        return this.invoke(client, client, id, Command.Add, key, op.amount, op.floor ?? NaN, target, timeoutUs);
      case "set-now":
        return this.invoke(client, client, id, Command.SetNow, key, 0, NaN, target, timeoutUs);
      case "set-random":
        return this.invoke(client, client, id, Command.SetRandom, key, 0, NaN, target, timeoutUs);
    }
  }

  private invoke(client: number, process: number, id: number, command: Command, key: number, arg: number, floor: number, target: number, timeoutUs: number, serviceMs = NaN): void {
    const now = this.host.now();
    const op: ClientOp = {
      id,
      client,
      process,
      command,
      key,
      arg,
      floor,
      invokeUs: now,
      timeoutUs,
      target,
      requiredVersion: command === Command.Get ? this.host.requiredVersion(key) : 0,
      requiredAckUs: command === Command.Get ? this.host.requiredAckUs(key) : 0,
      done: false,
      serviceMs,
      routedTo: -1,
      router: -1,
    };
    this.host.invoke(op);
  }
}
