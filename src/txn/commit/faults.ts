import { sampler } from "../../sim/distributions";
import { Random } from "../../sim/random";
import { msToUs } from "../../sim/time";
import type { TxnEventInput } from "./events";
import { COORDINATOR, nodeNumber } from "./nodes";
import { COUNTED_PHASES } from "./scenario-schema";
import type { CommitFaultSpec, CommitPhase } from "./scenario-types";

/** What the fault injector may do to the world. */
export interface FaultHost {
  readonly names: readonly string[];
  readonly seed: number;
  readonly endUs: number;
  now(): number;
  at(timeUs: number, action: () => void): void;
  emit(event: TxnEventInput): void;
  isUp(node: number): boolean;
  crash(node: number): void;
  restart(node: number): void;
  partition(groups: readonly (readonly number[])[]): void;
  heal(): void;
}

type TriggeredFault = Extract<CommitFaultSpec, { type: "crash" | "partition" }>;
type RandomCrashes = Extract<CommitFaultSpec, { type: "random-crashes" }>;
type RandomPartitions = Extract<CommitFaultSpec, { type: "random-partitions" }>;

/** A fault waiting for a node to reach a point of the protocol. Fires once. */
interface PhaseFault {
  readonly id: number;
  readonly spec: TriggeredFault;
  /** The node whose progress triggers it: the crashing node, or the coordinator for a partition. */
  readonly node: number;
  fired: boolean;
}


/**
 * The nemesis of the atomic-commit world: scripted faults at a time or at a protocol phase, and
 * random crashes and partitions. Every fault's start and end is an event (`fault-start`/`fault-end`,
 * numbered by its place in the scenario's list), so charts can shade the windows. Its randomness comes
 * from its own streams ("txn/faults/..."), so faults never reshuffle the workload or the network.
 */
export class FaultInjector {
  private readonly phaseFaults: PhaseFault[] = [];
  private readonly participants: number;

  constructor(
    private readonly faults: readonly CommitFaultSpec[],
    private readonly host: FaultHost,
  ) {
    this.participants = host.names.length - 1;
  }

  start(): void {
    this.faults.forEach((fault, id) => {
      if (fault.type === "random-crashes") this.startRandomCrashes(fault, id);
      else if (fault.type === "random-partitions") this.startRandomPartitions(fault, id);
      else if (fault.atPhase !== undefined) this.phaseFaults.push({ id, spec: fault, node: this.triggerNode(fault), fired: false });
      else this.host.at(msToUs(fault.atMs ?? 0), () => this.strike(fault, id));
    });
  }

  /** A node reached a point of the protocol: strike the faults waiting for it. False if the node crashed. */
  checkpoint(node: number, phase: CommitPhase, txn: number, count: number): boolean {
    for (const f of this.phaseFaults) {
      if (f.fired || f.node !== node || f.spec.atPhase !== phase || (f.spec.txn !== undefined && f.spec.txn !== txn)) continue;
      const wanted = (COUNTED_PHASES as readonly CommitPhase[]).includes(phase) ? (f.spec.afterMessages ?? 1) : 0;
      if (count !== wanted) continue;
      f.fired = true;
      this.strike(f.spec, f.id);
    }
    return this.host.isUp(node);
  }

  private triggerNode(fault: TriggeredFault): number {
    return fault.type === "crash" ? this.nodeOf(fault.node) : COORDINATOR;
  }

  private strike(fault: TriggeredFault, id: number): void {
    const durationUs = fault.durationMs === undefined ? undefined : msToUs(fault.durationMs);
    if (fault.type === "crash") this.crashFor(this.nodeOf(fault.node), durationUs, id);
    else this.partitionFor(fault.groups.map((g) => g.map((n) => this.nodeOf(n))), durationUs, id);
  }

  /** Crashes a node, and restarts it after `durationUs` (never, when undefined: crash-stop). */
  private crashFor(node: number, durationUs: number | undefined, id: number, restarted?: () => void): void {
    const { host } = this;
    if (!host.isUp(node)) return;
    const target = host.names[node];
    host.emit({ type: "fault-start", fault: id, kind: "crash", target });
    host.crash(node);
    if (durationUs === undefined) return;
    host.at(host.now() + durationUs, () => {
      host.restart(node);
      host.emit({ type: "fault-end", fault: id, kind: "crash", target });
      restarted?.();
    });
  }

  /** A partition replaces any earlier one; healing ends all of them. */
  private partitionFor(groups: number[][], durationUs: number | undefined, id: number, healed?: () => void): void {
    const { host } = this;
    const target = groups.map((g) => g.map((n) => host.names[n]).join(",")).join(" | ");
    host.emit({ type: "fault-start", fault: id, kind: "partition", target });
    host.partition(groups);
    if (durationUs === undefined) return;
    host.at(host.now() + durationUs, () => {
      host.heal();
      host.emit({ type: "fault-end", fault: id, kind: "partition", target });
      healed?.();
    });
  }

  private startRandomCrashes(fault: RandomCrashes, id: number): void {
    for (const name of fault.nodes) {
      const random = new Random(this.host.seed, `txn/faults/${id}/crash/${name}`);
      this.scheduleRandomCrash(fault, id, this.nodeOf(name), random, msToUs(fault.fromMs ?? 0));
    }
  }

  /** Exponential times between failures and to repair, within the fault's window. */
  private scheduleRandomCrash(fault: RandomCrashes, id: number, node: number, random: Random, afterUs: number): void {
    const atUs = afterUs + msToUs(exponential(fault.mtbfMs, random));
    if (atUs >= this.windowEndUs(fault)) return;
    this.host.at(atUs, () => {
      if (!this.host.isUp(node)) return this.scheduleRandomCrash(fault, id, node, random, this.host.now());
      const repairUs = fault.mttrMs === undefined ? undefined : msToUs(exponential(fault.mttrMs, random));
      this.crashFor(node, repairUs, id, () => this.scheduleRandomCrash(fault, id, node, random, this.host.now()));
    });
  }

  private startRandomPartitions(fault: RandomPartitions, id: number): void {
    this.scheduleRandomPartition(fault, id, new Random(this.host.seed, `txn/faults/${id}/partitions`), msToUs(fault.fromMs ?? 0));
  }

  /** Exponential times between partitions and to heal, one at a time, within the fault's window. */
  private scheduleRandomPartition(fault: RandomPartitions, id: number, random: Random, afterUs: number): void {
    const atUs = afterUs + msToUs(exponential(fault.mtbfMs, random));
    if (atUs >= this.windowEndUs(fault)) return;
    this.host.at(atUs, () => {
      const healUs = msToUs(exponential(fault.mttrMs, random));
      this.partitionFor(randomSplit(this.host.names.length, random), healUs, id, () => this.scheduleRandomPartition(fault, id, random, this.host.now()));
    });
  }

  private windowEndUs(fault: { untilMs?: number }): number {
    return fault.untilMs === undefined ? this.host.endUs : Math.min(msToUs(fault.untilMs), this.host.endUs);
  }

  private nodeOf(name: string): number {
    const node = nodeNumber(name, this.participants);
    if (node === undefined) throw new Error(`unknown node "${name}" (the scenario was validated, so this is a bug)`);
    return node;
  }
}

function exponential(meanMs: number, random: Random): number {
  return sampler({ dist: "exponential", mean: meanMs })(random);
}

/** Every node on one of two sides at random, neither side empty. */
function randomSplit(nodes: number, random: Random): number[][] {
  const sides: number[][] = [[], []];
  for (let n = 0; n < nodes; n++) sides[random.chance(0.5) ? 1 : 0].push(n);
  if (sides[0].length === 0 || sides[1].length === 0) {
    const [full, empty] = sides[0].length === 0 ? [sides[1], sides[0]] : [sides[0], sides[1]];
    empty.push(...full.splice(random.int(full.length), 1));
  }
  return sides;
}
