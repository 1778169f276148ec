/**
 * Finding one cycle in a directed graph, deterministically: nodes are visited in the order given and
 * edges in the order listed, so the same graph always yields the same cycle. Used for deadlocks
 * (waits-for graphs) and for serializability (direct serialization graphs).
 *
 * Iterative depth-first search with three colours: meeting a node that is still on the stack (grey)
 * closes a cycle, which is read back from the stack. Iterative, so long chains cannot overflow the call stack.
 */
export interface Arc<N, E> {
  to: N;
  edge: E;
}

/** The edges of one cycle, in order (the last edge leads back to the first's source), or null. */
export function findCycle<N, E>(nodes: readonly N[], arcsFrom: (node: N) => readonly Arc<N, E>[]): E[] | null {
  const colour = new Map<N, "grey" | "black">();
  for (const start of nodes) {
    if (colour.has(start)) continue;
    const cycle = searchFrom(start, arcsFrom, colour);
    if (cycle !== null) return cycle;
  }
  return null;
}

interface Frame<N, E> {
  node: N;
  arcs: readonly Arc<N, E>[];
  next: number;
  /** The edge that led here (undefined for the start). */
  via: E | undefined;
}

function searchFrom<N, E>(start: N, arcsFrom: (node: N) => readonly Arc<N, E>[], colour: Map<N, "grey" | "black">): E[] | null {
  const stack: Frame<N, E>[] = [{ node: start, arcs: arcsFrom(start), next: 0, via: undefined }];
  colour.set(start, "grey");
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.arcs.length) {
      colour.set(top.node, "black");
      stack.pop();
      continue;
    }
    const arc = top.arcs[top.next++];
    const seen = colour.get(arc.to);
    if (seen === "grey") return closeCycle(stack, arc);
    if (seen === undefined) {
      colour.set(arc.to, "grey");
      stack.push({ node: arc.to, arcs: arcsFrom(arc.to), next: 0, via: arc.edge });
    }
  }
  return null;
}

function closeCycle<N, E>(stack: readonly Frame<N, E>[], closing: Arc<N, E>): E[] {
  let i = stack.length - 1;
  while (stack[i].node !== closing.to) i--;
  const edges: E[] = [];
  for (let j = i + 1; j < stack.length; j++) edges.push(stack[j].via as E);
  edges.push(closing.edge);
  return edges;
}
