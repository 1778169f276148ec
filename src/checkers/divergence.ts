/**
 * Divergence: replicas that are done (no messages in flight) but disagree. Replication exists to keep copies
 * equal, so once the cluster has quiesced any key whose value differs between nodes is a bug or lost data.
 *
 * An absent key and a null value both mean "nothing", so a node that never saw a key agrees with one that
 * holds null for it.
 */
import { resultOf, type CheckResult } from "./result";
import { formatValue, sameValue } from "./values";

/** Each node's final key-value state: `{[node]: {[key]: value}}`. */
export type NodeStates = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface Divergence {
  key: string;
  /** What each node holds for the key (null when it holds nothing). */
  values: Record<string, unknown>;
  explanation: string;
}

/** Find every key whose final value is not the same on all nodes (keys in sorted order). */
export function checkDivergence(states: NodeStates): CheckResult<Divergence> {
  const nodes = Object.keys(states).sort();
  const keys = new Set<string>();
  for (const node of nodes) for (const key of Object.keys(states[node])) keys.add(key);
  const divergent: Divergence[] = [];
  for (const key of Array.from(keys).sort()) {
    const values: Record<string, unknown> = {};
    for (const node of nodes) values[node] = valueOn(states[node], key);
    const first = values[nodes[0]];
    if (nodes.every((node) => sameValue(values[node], first))) continue;
    divergent.push({ key, values, explanation: `Key ${key} differs across nodes: ${describeGroups(values)}.` });
  }
  return resultOf(divergent);
}

function valueOn(state: Readonly<Record<string, unknown>>, key: string): unknown {
  const value = Object.prototype.hasOwnProperty.call(state, key) ? state[key] : null;
  return value === undefined ? null : value;
}

/** "n1 and n2 hold 3, n3 holds nothing": nodes grouped by the value they hold. */
function describeGroups(values: Record<string, unknown>): string {
  const groups: { value: unknown; nodes: string[] }[] = [];
  for (const [node, value] of Object.entries(values)) {
    const group = groups.find((candidate) => sameValue(candidate.value, value));
    if (group) group.nodes.push(node);
    else groups.push({ value, nodes: [node] });
  }
  return groups
    .map(({ value, nodes }) => `${listOf(nodes)} ${nodes.length === 1 ? "holds" : "hold"} ${formatValue(value)}`)
    .join(", ");
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
