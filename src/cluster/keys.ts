import type { Scenario } from "../scenario/types";

/**
 * The key space of a run, fixed before it starts: the workload's "key-0".."key-<n-1>" and every key a
 * script names. Keys are small integers inside the engine (stores are arrays indexed by key).
 */
export class KeySpace {
  readonly names: string[] = [];
  private readonly indexByName = new Map<string, number>();

  constructor(scenario: Scenario) {
    const workloadKeys = scenario.workload?.keys ?? 0;
    for (let i = 0; i < workloadKeys; i++) this.intern(`key-${i}`);
    for (const op of scenario.script ?? []) if (op.op !== "promote") this.intern(op.key);
  }

  private intern(name: string): number {
    const known = this.indexByName.get(name);
    if (known !== undefined) return known;
    this.names.push(name);
    this.indexByName.set(name, this.names.length - 1);
    return this.names.length - 1;
  }

  indexOf(name: string): number {
    const index = this.indexByName.get(name);
    if (index === undefined) throw new Error(`unknown key "${name}"`);
    return index;
  }

  get size(): number {
    return this.names.length;
  }
}
