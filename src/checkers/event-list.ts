/**
 * The doubly linked list of call and return events that the Wing & Gong search walks.
 *
 * Wing & Gong (1993) put every operation's call and return in one list sorted by time. Linearizing an
 * operation "lifts" its call and return out of the list, and backtracking "unlifts" them back in; because
 * lifts are undone in the reverse order (a stack), a lifted node keeps its own `prev`/`next` and can be
 * relinked in O(1). Lowe (2017) and Porcupine keep this list; we store it in typed arrays rather than
 * objects, which keeps a search of millions of steps free of garbage and of null checks.
 */

/** When one operation happened, as the search sees it: `returnTime` is +Infinity for an unknown outcome. */
export interface OperationInterval {
  readonly callTime: number;
  readonly returnTime: number;
}

export class EventList {
  /** The sentinel before the first event; `next[head]` is the first event still in the list. */
  readonly head: number;
  /** The sentinel after the last event, so that every event has a successor. */
  readonly tail: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  /** For each event node: the operation it belongs to. Node `2i` is the call of operation i, `2i + 1` its return. */
  private readonly operation: Int32Array;

  /** Events are ordered by time; at equal times calls come first, so touching operations count as concurrent. */
  constructor(operations: readonly OperationInterval[]) {
    const count = operations.length;
    this.head = 2 * count;
    this.tail = 2 * count + 1;
    this.next = new Int32Array(2 * count + 2);
    this.prev = new Int32Array(2 * count + 2);
    this.operation = new Int32Array(2 * count + 2).fill(-1);
    const nodes: number[] = [];
    for (let i = 0; i < count; i++) {
      nodes.push(2 * i, 2 * i + 1);
      this.operation[2 * i] = i;
      this.operation[2 * i + 1] = i;
    }
    const timeOf = (node: number): number => {
      const interval = operations[node >> 1];
      return isCallNode(node) ? interval.callTime : interval.returnTime;
    };
    nodes.sort((a, b) => timeOf(a) - timeOf(b) || Number(isReturnNode(a)) - Number(isReturnNode(b)) || a - b);
    this.link([this.head, ...nodes, this.tail]);
  }

  first(): number {
    return this.next[this.head];
  }

  after(node: number): number {
    return this.next[node];
  }

  operationOf(node: number): number {
    return this.operation[node];
  }

  /** Remove a call and its return: the operation is linearized. */
  lift(call: number): void {
    this.unlink(call);
    this.unlink(call + 1);
  }

  /** Undo the most recent `lift` (the reverse order of `lift`, so the neighbours are the ones it left). */
  unlift(call: number): void {
    this.relink(call + 1);
    this.relink(call);
  }

  private link(order: readonly number[]): void {
    for (let i = 0; i < order.length; i++) {
      this.prev[order[i]] = i === 0 ? order[i] : order[i - 1];
      this.next[order[i]] = i === order.length - 1 ? order[i] : order[i + 1];
    }
  }

  private unlink(node: number): void {
    this.next[this.prev[node]] = this.next[node];
    this.prev[this.next[node]] = this.prev[node];
  }

  private relink(node: number): void {
    this.next[this.prev[node]] = node;
    this.prev[this.next[node]] = node;
  }
}

/** Node `2i` is operation i's call. */
export function isCallNode(node: number): boolean {
  return (node & 1) === 0;
}

/** Node `2i + 1` is operation i's return. */
export function isReturnNode(node: number): boolean {
  return (node & 1) === 1;
}
