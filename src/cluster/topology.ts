import type { Scenario } from "../scenario/types";

/** What an actor is. Servers can crash and be partitioned; clients are phones on the internet. */
export type ActorKind = "db" | "load-balancer" | "app-server" | "client";

/**
 * Names every actor of a run with a small integer (its index), in a fixed order: database nodes in
 * scenario order, then the load balancer and app servers, then clients. Events and the network use
 * indexes; names are only looked up for display.
 */
export class Topology {
  readonly names: string[] = [];
  readonly kinds: ActorKind[] = [];
  readonly domains: (string | undefined)[] = [];
  private readonly indexByName = new Map<string, number>();
  /** Number of database nodes; they are actors 0 .. dbCount - 1. */
  readonly dbCount: number;
  /** Number of servers (databases + front tier); clients come after them. */
  readonly serverCount: number;

  constructor(scenario: Scenario) {
    for (const node of scenario.nodes) this.add(node.id, "db", node.domain);
    this.dbCount = this.names.length;
    if (scenario.frontend) {
      this.add(scenario.frontend.loadBalancer, "load-balancer");
      for (const app of scenario.frontend.appServers) this.add(app, "app-server");
    }
    this.serverCount = this.names.length;
  }

  /** Adds an actor (clients are added as the workload creates them) and returns its index. */
  add(name: string, kind: ActorKind, domain?: string): number {
    const existing = this.indexByName.get(name);
    if (existing !== undefined) return existing;
    const index = this.names.length;
    this.names.push(name);
    this.kinds.push(kind);
    this.domains.push(domain);
    this.indexByName.set(name, index);
    return index;
  }

  /** Index of an actor by name; the scenario was validated, so a miss is a bug. */
  indexOf(name: string): number {
    const index = this.indexByName.get(name);
    if (index === undefined) throw new Error(`unknown actor "${name}"`);
    return index;
  }

  isServer(actor: number): boolean {
    return actor < this.serverCount;
  }

  isDb(actor: number): boolean {
    return actor < this.dbCount;
  }
}
