import type { ReadRouting } from "../scenario/types";

/**
 * Where clients send their operations: writes to the node they believe is the primary, reads by the
 * routing policy (round robin). In this version the directory learns of a new primary the moment it
 * is promoted (as if a configuration service told everyone at once).
 */
export class Directory {
  private roundRobin = 0;
  private replicas: number[] = [];
  private current = -1;

  constructor(
    primary: number,
    private readonly dataNodes: readonly number[],
    private readonly readFrom: ReadRouting,
  ) {
    this.primary = primary;
  }

  get primary(): number {
    return this.current;
  }

  set primary(node: number) {
    this.current = node;
    this.replicas = this.dataNodes.filter((n) => n !== node);
  }

  writeTarget(): number {
    return this.current;
  }

  readTarget(): number {
    switch (this.readFrom) {
      case "primary":
        return this.current;
      case "any":
        return this.dataNodes[this.roundRobin++ % this.dataNodes.length];
      case "replicas":
        if (this.replicas.length === 0) return this.current;
        return this.replicas[this.roundRobin++ % this.replicas.length];
    }
  }
}
