/**
 * A TCP delay proxy on loopback: a slow or cut network link between two real servers, without
 * `tc netem` (not available in this kernel) and without root.
 *
 * A standby that connects to the proxy instead of the primary gets every byte `delayMs` later, in
 * both directions (so a round trip costs 2 x delayMs more). Order is kept: each chunk is due at
 * max(arrival + delay, previous chunk's due time), so changing the delay never reorders bytes.
 * `hold()` stops forwarding altogether (a cut link: bytes queue up, nothing arrives), `release()`
 * lets them through again.
 *
 * Like a real network, bytes already "on the wire" are still delivered after their sender dies: when
 * one side closes, the proxy closes the other side only after the queued bytes went out. What is
 * lost is what was still queued when the RECEIVER went away (a standby promoted while WAL was in
 * flight).
 */
import * as net from "net";

export interface DelayProxyOptions {
  /** Where to forward (the primary). */
  targetPort: number;
  targetHost?: string;
  /** One-way delay added to each direction, ms (default 0). */
  delayMs?: number;
  /** Port to listen on (default: any free port, see `port`). Always bound to 127.0.0.1. */
  listenPort?: number;
}

interface Chunk {
  dueMs: number;
  data: Buffer;
}

/** One direction of one connection: a queue of chunks released at their due time, in order. */
class DelayedPipe {
  private readonly queue: Chunk[] = [];
  private lastDueMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private ended = false;
  bytes = 0;

  constructor(private readonly proxy: DelayProxy, private readonly to: net.Socket) {}

  push(data: Buffer): void {
    const due = Math.max(performance.now() + this.proxy.delayMs, this.lastDueMs);
    this.lastDueMs = due;
    this.queue.push({ dueMs: due, data });
    this.schedule();
  }

  /** The sender closed: close the receiver once everything queued went out. */
  end(): void {
    this.ended = true;
    this.schedule();
  }

  schedule(): void {
    if (this.timer !== null || this.to.destroyed) return;
    if (this.proxy.held) return;
    const head = this.queue[0];
    if (head === undefined) {
      if (this.ended) this.to.end();
      return;
    }
    const wait = head.dueMs - performance.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  private flush(): void {
    const now = performance.now();
    while (this.queue.length > 0 && this.queue[0].dueMs <= now + 0.05 && !this.proxy.held) {
      const c = this.queue.shift() as Chunk;
      this.bytes += c.data.length;
      if (!this.to.destroyed) this.to.write(c.data);
    }
    this.schedule();
  }

  /** Bytes waiting to be delivered. */
  get queuedBytes(): number {
    let n = 0;
    for (const c of this.queue) n += c.data.length;
    return n;
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

interface Connection {
  client: net.Socket;
  upstream: net.Socket;
  up: DelayedPipe;
  down: DelayedPipe;
}

export class DelayProxy {
  /** Current one-way delay, ms. */
  delayMs: number;
  /** True while the link is cut (`hold`). */
  held = false;
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly targetPort: number;
  private readonly targetHost: string;
  private accepted = 0;

  private constructor(options: DelayProxyOptions) {
    this.delayMs = options.delayMs ?? 0;
    this.targetPort = options.targetPort;
    this.targetHost = options.targetHost ?? "127.0.0.1";
    this.server = net.createServer((client) => this.accept(client));
  }

  /** Starts a proxy listening on 127.0.0.1 (only: it is a lab tool). */
  static async start(options: DelayProxyOptions): Promise<DelayProxy> {
    const proxy = new DelayProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once("error", reject);
      proxy.server.listen({ host: "127.0.0.1", port: options.listenPort ?? 0 }, () => resolve());
    });
    return proxy;
  }

  /** The port the proxy listens on. */
  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Open connections through the proxy. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Connections accepted since the start. */
  get acceptedCount(): number {
    return this.accepted;
  }

  /** Bytes forwarded so far towards the target (upstream) and back (downstream). */
  get bytes(): { up: number; down: number; queuedUp: number; queuedDown: number } {
    let up = 0, down = 0, queuedUp = 0, queuedDown = 0;
    for (const c of this.connections) {
      up += c.up.bytes;
      down += c.down.bytes;
      queuedUp += c.up.queuedBytes;
      queuedDown += c.down.queuedBytes;
    }
    return { up, down, queuedUp, queuedDown };
  }

  /** Changes the one-way delay for bytes arriving from now on. */
  setDelay(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`delay must be a non-negative number of ms, got ${ms}`);
    this.delayMs = ms;
  }

  /** Cuts the link: nothing is forwarded (bytes queue) until `release()`. */
  hold(): void {
    this.held = true;
  }

  /** Restores a held link: queued bytes go out (those already due at once). */
  release(): void {
    this.held = false;
    for (const c of this.connections) {
      c.up.schedule();
      c.down.schedule();
    }
  }

  /**
   * Loses every byte still queued, in both directions, and drops the connections: what a host crash
   * does to the data in its own queues. Use it at the moment the sender is killed to model "the delay
   * was still inside the dying machine" (what the simulator does: a message in flight when its
   * sender crashes is dropped). Returns the bytes lost towards the target and back.
   */
  discardQueued(): { up: number; down: number } {
    const lost = { up: 0, down: 0 };
    for (const c of this.connections) {
      lost.up += c.up.queuedBytes;
      lost.down += c.down.queuedBytes;
    }
    this.dropConnections();
    return lost;
  }

  /** Drops every connection at once (both sides see a reset), e.g. to force a reconnect. */
  dropConnections(): void {
    for (const c of this.connections) this.destroy(c);
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    this.accepted++;
    client.setNoDelay(true);
    const upstream = net.connect({ host: this.targetHost, port: this.targetPort });
    upstream.setNoDelay(true);
    const c: Connection = { client, upstream, up: new DelayedPipe(this, upstream), down: new DelayedPipe(this, client) };
    this.connections.add(c);
    client.on("data", (d) => c.up.push(d));
    upstream.on("data", (d) => c.down.push(d));
    // A sender that closes (cleanly or not): what it already sent is still delivered, then the
    // receiver sees the close. A receiver that is gone: what was queued for it is lost.
    const clientGone = () => {
      c.down.cancel();
      c.up.end();
      this.forgetIfClosed(c);
    };
    const upstreamGone = () => {
      c.up.cancel();
      c.down.end();
      this.forgetIfClosed(c);
    };
    client.on("end", () => c.up.end());
    upstream.on("end", () => c.down.end());
    client.on("error", () => undefined); // followed by "close"
    upstream.on("error", () => undefined);
    client.on("close", clientGone);
    upstream.on("close", upstreamGone);
  }

  private forgetIfClosed(c: Connection): void {
    if (c.client.destroyed && c.upstream.destroyed) this.connections.delete(c);
  }

  private destroy(c: Connection): void {
    c.up.cancel();
    c.down.cancel();
    c.client.destroy();
    c.upstream.destroy();
    this.connections.delete(c);
  }
}
