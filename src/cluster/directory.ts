import type { ReadRouting } from "../scenario/types";

/**
 * Where clients send their operations. The registry knows the current primary (like a configuration
 * service: etcd, ZooKeeper, Consul); each router (a client, or an app server) keeps its own cached
 * view of it and refreshes that view only when an operation fails (a timeout, or a node saying it is
 * not the primary). So after a failover some clients keep talking to the old primary for a while:
 * exactly the window in which a primary without a lease could go on acknowledging writes.
 *
 * Reads go by the routing policy: the primary, the replicas in turn, the replica with the fewest
 * requests outstanding (least loaded, as a least-connections load balancer counts them), or any node
 * in turn.
 */
export class Directory {
  private roundRobin = 0;
  private current = -1;
  private readonly views: Int32Array;
  private readonly viewAtUs: Float64Array;
  private readonly outstanding: Int32Array;

  constructor(
    primary: number,
    private readonly dataNodes: readonly number[],
    private readonly readFrom: ReadRouting,
    actorCount: number,
    /** How often routers re-read the registry on their own (Infinity: only after failures). */
    private readonly refreshUs: number,
    /** Multi-master and quorum modes: every one of these nodes takes writes (in turn); null: one primary. */
    private readonly writers: readonly number[] | null = null,
  ) {
    this.current = primary;
    this.views = new Int32Array(actorCount).fill(primary);
    this.viewAtUs = new Float64Array(actorCount);
    this.outstanding = new Int32Array(actorCount);
  }

  /** The registry's primary. */
  get primary(): number {
    return this.current;
  }

  /** A new primary registers itself; routers learn of it when they next refresh. */
  register(node: number): void {
    this.current = node;
  }

  /** A new primary everyone is told about at once (an operator's reconfiguration). */
  announce(node: number): void {
    this.current = node;
    this.views.fill(node);
  }

  /** A router's operation failed: it asks the registry again. */
  refresh(router: number, nowUs: number): void {
    this.views[router] = this.current;
    this.viewAtUs[router] = nowUs;
  }

  /** The primary as this router believes it to be (re-read from the registry when the view is old). */
  private view(router: number, nowUs: number): number {
    if (nowUs - this.viewAtUs[router] >= this.refreshUs) this.refresh(router, nowUs);
    return this.views[router];
  }

  writeTarget(router: number, nowUs: number): number {
    if (this.writers) return this.writers[this.roundRobin++ % this.writers.length];
    return this.view(router, nowUs);
  }

  readTarget(router: number, nowUs: number): number {
    if (this.writers && this.readFrom === "primary") return this.writers[this.roundRobin++ % this.writers.length];
    const primary = this.view(router, nowUs);
    switch (this.readFrom) {
      case "primary":
        return primary;
      case "any":
        return this.dataNodes[this.roundRobin++ % this.dataNodes.length];
      case "replicas":
        return this.nextReplica(primary);
      case "least-loaded":
        return this.leastLoadedReplica(primary);
    }
  }

  /** Bookkeeping for least-loaded routing: a request to `node` was sent, or was answered. */
  sent(node: number): void {
    this.outstanding[node]++;
  }
  answered(node: number): void {
    this.outstanding[node]--;
  }

  /** Where an analytics query goes: the primary, or the replicas in turn. */
  analyticsTarget(router: number, nowUs: number, on: "primary" | "replicas"): number {
    const primary = this.view(router, nowUs);
    return on === "primary" ? primary : this.nextReplica(primary);
  }

  private nextReplica(primary: number): number {
    const n = this.dataNodes.length;
    for (let tried = 0; tried < n; tried++) {
      const node = this.dataNodes[this.roundRobin++ % n];
      if (node !== primary) return node;
    }
    return primary;
  }

  private leastLoadedReplica(primary: number): number {
    let best = primary;
    let bestLoad = Infinity;
    // Start the scan where round robin is, so ties rotate instead of always picking the first node.
    const n = this.dataNodes.length;
    const start = this.roundRobin++;
    for (let i = 0; i < n; i++) {
      const node = this.dataNodes[(start + i) % n];
      if (node !== primary && this.outstanding[node] < bestLoad) {
        best = node;
        bestLoad = this.outstanding[node];
      }
    }
    return best;
  }
}
