/** Command kinds a client can ask for. */
export const Command = { Get: 0, Set: 1, Add: 2, SetNow: 3, SetRandom: 4 } as const;
export type Command = (typeof Command)[keyof typeof Command];

/**
 * One client operation from invocation to completion. The client keeps it; requests carry a
 * reference so the answer finds its way back, but servers read only the command fields.
 */
export interface ClientOp {
  readonly id: number;
  /** Actor that sends it (a client). */
  readonly client: number;
  /** Process id for histories: one outstanding operation per process. */
  readonly process: number;
  readonly command: Command;
  readonly key: number;
  /** Set: the value. Add: the amount. Get: unused. */
  readonly arg: number;
  /** Add: the floor the value must not go below (NaN: no floor). */
  readonly floor: number;
  readonly invokeUs: number;
  readonly timeoutUs: number;
  /** A server chosen by the script (-1: route like any client). */
  readonly target: number;
  /** Highest log index of a write to this key acknowledged before this read began (stale-read check). */
  readonly requiredVersion: number;
  /** When that write was acknowledged (µs; for how stale a stale read was). */
  readonly requiredAckUs: number;
  done: boolean;
  /** An analytics query: how long it holds a worker (ms; NaN for ordinary operations). */
  readonly serviceMs: number;
  /** The database node the request was routed to, and the actor that chose it (-1 until routed). */
  routedTo: number;
  router: number;
  /** Called once when the operation completes or times out (operations sent with `Simulation.submit`). */
  onDone?: (error: number, value: number, version: number) => void;
}

export function isAnalytics(op: ClientOp): boolean {
  return !Number.isNaN(op.serviceMs);
}

export function isWrite(op: ClientOp): boolean {
  return op.command !== Command.Get;
}
