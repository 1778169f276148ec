import { EV, FAULT_TYPES, type FaultKind } from "../events";
import type { FaultSpec, Scenario } from "../scenario/types";
import { Random } from "../sim/random";
import { msToUs } from "../sim/time";
import type { Topology } from "../cluster/topology";
import type { Network } from "../cluster/network";

/** What the nemesis may do to the cluster. */
export interface NemesisHost {
  readonly topology: Topology;
  readonly network: Network;
  now(): number;
  at(timeUs: number, fn: () => void): void;
  emit(type: number, a: number, b: number, c: number, d: number): void;
  crash(node: number): void;
  restart(node: number): void;
  loseData(node: number): void;
  isUp(node: number): boolean;
  /** A partition or cut began (the host checks whether the primary lost its majority). */
  networkChanged(): void;
}

const KIND = Object.freeze(Object.fromEntries(FAULT_TYPES.map((k, i) => [k, i])) as { [K in FaultKind]: number });
const NO_TARGET = -1;

/**
 * The nemesis (Jepsen's word): injects the scenario's faults at their times, and random crashes with
 * exponential times between failures and to repair. Every fault's start and end is an event, so
 * charts can shade the windows in which it was active. Its randomness comes from the "faults"
 * streams only.
 */
export class Nemesis {
  /** Open fault windows by what they affect ("node:db1", "link:db1>db2", "partition"), to close on undo. */
  private readonly open = new Map<string, { id: number; kind: FaultKind; target: number; peer: number }[]>();
  private readonly endUs: number;

  constructor(
    private readonly scenario: Scenario,
    private readonly host: NemesisHost,
  ) {
    this.endUs = msToUs(scenario.durationMs);
  }

  start(): void {
    (this.scenario.faults ?? []).forEach((fault, id) => {
      if (fault.type === "random-crashes") this.startRandomCrashes(fault, id);
      else this.host.at(msToUs(fault.atMs), () => this.inject(fault, id));
    });
  }

  private inject(fault: Exclude<FaultSpec, { type: "random-crashes" }>, id: number): void {
    const { host } = this;
    const t = host.topology;
    switch (fault.type) {
      case "crash":
        this.begin(id, "crash", t.indexOf(fault.node), `node:${fault.node}`);
        host.crash(t.indexOf(fault.node));
        break;
      case "restart":
        host.restart(t.indexOf(fault.node));
        this.endAll(`node:${fault.node}`);
        break;
      case "disk-loss":
        this.begin(id, "disk-loss", t.indexOf(fault.node), `node:${fault.node}`);
        host.crash(t.indexOf(fault.node));
        host.loseData(t.indexOf(fault.node));
        break;
      case "domain-failure":
        this.begin(id, "domain-failure", NO_TARGET, `domain:${fault.domain}`);
        for (const node of this.nodesIn(fault.domain)) {
          host.crash(node);
          host.loseData(node);
        }
        break;
      case "partition":
        this.begin(id, "partition", NO_TARGET, "partition");
        host.network.partition(fault.groups.map((g) => g.map((n) => t.indexOf(n))));
        host.networkChanged();
        break;
      case "heal":
        host.network.heal();
        for (const key of [...this.open.keys()]) if (key === "partition" || key.startsWith("link:")) this.endAll(key);
        break;
      case "cut":
        this.begin(id, "cut", t.indexOf(fault.from), linkKey(fault), t.indexOf(fault.to));
        this.eachDirection(fault, (a, b) => host.network.cut(a, b));
        host.networkChanged();
        break;
      case "restore":
        this.eachDirection(fault, (a, b) => host.network.restore(a, b));
        this.endLink(fault);
        break;
      case "slow":
        this.begin(id, "slow", t.indexOf(fault.from), `slow:${fault.from}>${fault.to}`, t.indexOf(fault.to));
        this.eachDirection(fault, (a, b) => host.network.slow(a, b, fault.latencyMs));
        break;
    }
    if (fault.durationMs !== undefined) host.at(host.now() + msToUs(fault.durationMs), () => this.undo(fault));
  }

  /** The automatic end of a fault with `durationMs`. */
  private undo(fault: Exclude<FaultSpec, { type: "random-crashes" }>): void {
    const { host } = this;
    const t = host.topology;
    switch (fault.type) {
      case "crash":
      case "disk-loss":
        host.restart(t.indexOf(fault.node));
        this.endAll(`node:${fault.node}`);
        break;
      case "domain-failure":
        for (const node of this.nodesIn(fault.domain)) host.restart(node);
        this.endAll(`domain:${fault.domain}`);
        break;
      case "partition":
        host.network.heal();
        this.endAll("partition");
        break;
      case "cut":
        this.eachDirection(fault, (a, b) => host.network.restore(a, b));
        this.endLink(fault);
        break;
      case "slow":
        this.eachDirection(fault, (a, b) => host.network.unslow(a, b));
        this.endAll(`slow:${fault.from}>${fault.to}`);
        break;
      default:
        break; // restart, restore and heal are undos themselves
    }
  }

  private startRandomCrashes(fault: Extract<FaultSpec, { type: "random-crashes" }>, id: number): void {
    const fromUs = msToUs(fault.fromMs ?? 0);
    const untilUs = Math.min(msToUs(fault.untilMs ?? Infinity), this.endUs);
    for (const name of fault.nodes) {
      const node = this.host.topology.indexOf(name);
      const random = new Random(this.scenario.seed, `faults/random-crashes/${id}/${name}`);
      const exp = (meanMs: number) => Math.max(1, msToUs(-meanMs * Math.log(1 - random.next())));
      const scheduleCrash = (afterUs: number) => {
        const at = afterUs + exp(fault.mtbfMs);
        if (at > untilUs) return;
        this.host.at(at, () => {
          if (!this.host.isUp(node)) return scheduleCrash(this.host.now());
          this.begin(id, "random-crash", node, `random:${name}`);
          this.host.crash(node);
          this.host.at(this.host.now() + exp(fault.mttrMs), () => {
            this.host.restart(node);
            this.endAll(`random:${name}`);
            scheduleCrash(this.host.now());
          });
        });
      };
      scheduleCrash(fromUs);
    }
  }

  private begin(id: number, kind: FaultKind, target: number, key: string, peer = NO_TARGET): void {
    this.host.emit(EV["fault-start"], id, KIND[kind], target, peer);
    const list = this.open.get(key) ?? [];
    list.push({ id, kind, target, peer });
    this.open.set(key, list);
  }

  /** Closes every open window on `key` (a restart ends the crash, a heal ends the partition). */
  private endAll(key: string): void {
    for (const { id, kind, target, peer } of this.open.get(key) ?? []) this.host.emit(EV["fault-end"], id, KIND[kind], target, peer);
    this.open.delete(key);
  }

  /** Restoring a link ends the cuts it undoes: both directions and the pair, for a two-way restore. */
  private endLink(l: { from: string; to: string; oneWay?: boolean }): void {
    this.endAll(linkKey(l));
    if (!l.oneWay) {
      this.endAll(linkKey({ from: l.from, to: l.to, oneWay: true }));
      this.endAll(linkKey({ from: l.to, to: l.from, oneWay: true }));
    }
  }

  private eachDirection(fault: { from: string; to: string; oneWay?: boolean }, fn: (a: number, b: number) => void): void {
    const t = this.host.topology;
    fn(t.indexOf(fault.from), t.indexOf(fault.to));
    if (!fault.oneWay) fn(t.indexOf(fault.to), t.indexOf(fault.from));
  }

  private nodesIn(domain: string): number[] {
    const t = this.host.topology;
    const nodes: number[] = [];
    for (let i = 0; i < t.dbCount; i++) if (t.domains[i] === domain) nodes.push(i);
    return nodes;
  }
}

/** A one-way cut is keyed by its direction, a two-way cut by the unordered pair. */
function linkKey(l: { from: string; to: string; oneWay?: boolean }): string {
  return l.oneWay ? `link:${l.from}>${l.to}` : `link:${[l.from, l.to].sort().join("~")}`;
}
