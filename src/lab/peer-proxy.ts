/**
 * Network partitions between etcd members on loopback, without iptables or root.
 *
 * Each member advertises the port of a `PeerProxy` instead of its own peer port, so every peer
 * connection TO that member passes through its proxy. etcd names the sender of every peer request
 * in an HTTP header (`X-Server-From: <member id in hex>`), so the proxy knows, per connection, which
 * member dialled it. A partition is then a rule "origin and owner must be in the same group":
 * connections across groups are reset and new ones are refused, in both directions (A's messages
 * to B travel on a connection B or A dialled; both are cut). Messages in flight are lost, as on a
 * real cut network, which is what makes a minority's serializable reads stale.
 */
import * as net from "net";

export interface PeerProxyOptions {
  /** Name of the member behind this proxy. */
  owner: string;
  listenPort: number;
  targetPort: number;
  /** Member name of a connection's dialler, from its first bytes (null: unknown, always allowed). */
  identify: (head: string) => string | null;
  /** May `origin` talk to `owner` right now? */
  allowed: (origin: string, owner: string) => boolean;
}

interface PeerConnection {
  origin: string | null;
  /** The first bytes (to identify the dialler once member ids are known). */
  head: string;
  client: net.Socket;
  upstream: net.Socket;
}

export class PeerProxy {
  private readonly server: net.Server;
  private readonly connections = new Set<PeerConnection>();
  /** Connections refused or reset by the partition rule. */
  refused = 0;

  private constructor(private readonly options: PeerProxyOptions) {
    this.server = net.createServer((c) => this.accept(c));
  }

  static async start(options: PeerProxyOptions): Promise<PeerProxy> {
    const p = new PeerProxy(options);
    await new Promise<void>((resolve, reject) => {
      p.server.once("error", reject);
      p.server.listen({ host: "127.0.0.1", port: options.listenPort }, () => resolve());
    });
    return p;
  }

  /** Resets every open connection the rule no longer allows (call after changing the partition). */
  enforce(): void {
    for (const c of this.connections) {
      c.origin ??= this.options.identify(c.head);
      // A connection whose dialler is still unknown (it began with a request that names nobody, such
      // as GET /version) may carry raft messages later: cut it too; the dialler reconnects.
      if (c.origin === null || !this.options.allowed(c.origin, this.options.owner)) this.cut(c);
    }
  }

  async close(): Promise<void> {
    for (const c of this.connections) this.cut(c, false);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket): void {
    client.setNoDelay(true);
    const c: PeerConnection = { origin: null, head: "", client, upstream: new net.Socket() };
    this.connections.add(c);
    let head = Buffer.alloc(0);
    let identified = false;
    const pending: Buffer[] = [];
    const onData = (d: Buffer) => {
      if (identified) return;
      pending.push(d);
      head = Buffer.concat([head, d]);
      const text = head.toString("latin1");
      if (!text.includes("\r\n\r\n") && head.length < 8192) return;
      identified = true;
      c.head = text.slice(0, 8192);
      c.origin = this.options.identify(c.head);
      if (c.origin !== null && !this.options.allowed(c.origin, this.options.owner)) {
        this.cut(c);
        return;
      }
      client.off("data", onData);
      client.pause();
      c.upstream = net.connect({ host: "127.0.0.1", port: this.options.targetPort }, () => {
        for (const chunk of pending) c.upstream.write(chunk);
        // Every later request may name its sender too (a kept-alive connection first used for
        // GET /version can carry raft messages later): check each chunk while the sender is unknown
        // or the rule might now forbid it.
        client.on("data", (d: Buffer) => {
          if (c.origin === null) c.origin = this.options.identify(d.toString("latin1"));
          if (c.origin !== null && !this.options.allowed(c.origin, this.options.owner)) {
            this.cut(c);
            return;
          }
          if (!c.upstream.write(d)) client.pause();
        });
        c.upstream.on("drain", () => client.resume());
        c.upstream.pipe(client);
        client.resume();
      });
      c.upstream.setNoDelay(true);
      c.upstream.on("error", () => this.cut(c, false));
      c.upstream.on("close", () => this.cut(c, false));
    };
    client.on("data", onData);
    client.on("error", () => this.cut(c, false));
    client.on("close", () => this.cut(c, false));
  }

  private cut(c: PeerConnection, byRule = true): void {
    if (!this.connections.has(c)) return;
    this.connections.delete(c);
    if (byRule) this.refused++;
    c.client.destroy();
    c.upstream.destroy();
  }
}

/** The member that dialled a peer connection, from etcd's `X-Server-From` header (hex id). */
export function etcdOrigin(head: string, nameOfHexId: (hex: string) => string | undefined): string | null {
  const m = /\r\nX-Server-From:\s*([0-9a-fA-F]+)\r\n/i.exec(head);
  return m ? (nameOfHexId(m[1].toLowerCase()) ?? null) : null;
}
