/**
 * The lab's parts that need no database: the metric events, the delay and partition proxies, the
 * statistics, the simulator scenarios fitted to measurements, the command line and the "not
 * installed" path. These run everywhere (no PostgreSQL or etcd needed).
 */
import * as net from "net";
import { afterEach, describe, expect, test } from "vitest";
import { main } from "../../src/cli";
import { DelayProxy } from "../../src/lab/delay-proxy";
import { etcdOrigin, PeerProxy } from "../../src/lab/peer-proxy";
import { expectedSyncStates } from "../../src/lab/postgres";
import { LabRecorder, realTimeAxis } from "../../src/lab/recorder";
import { etcdScenario, pgScenario, runSim, simReplication, verdict, type PgSimParams } from "../../src/lab/sim-compare";
import { fitLognormal, median, percentile, stats } from "../../src/lab/stats";
import { findEtcd, findPostgres, unavailableMessage } from "../../src/lab/tools";
import { lagChart } from "../../src/charts/lag";
import { captureIO } from "./helpers";

describe("LabRecorder: real measurements as the kit's metric events", () => {
  test("requests, responses, apply lags and faults fold into the standard chart data", () => {
    const rec = new LabRecorder(["primary", "s1"], 0);
    const w1 = rec.request("client1", "write", 10_000);
    rec.response(w1, "ok", 12_500);
    const w2 = rec.request("client1", "write", 150_000);
    rec.response(w2, "timeout", 160_000);
    const r1 = rec.request("client2", "read", 20_000);
    rec.response(r1, "ok", 21_000);
    rec.apply("s1", 3.25, 100, 50_000);
    rec.apply("s1", 5.75, 0, 60_000);
    const f = rec.faultStart("crash", "primary", 140_000);
    rec.faultEnd(f, "crash", "primary", 180_000);
    const { data, windows } = rec.chartData("unit", 100);
    expect(data.latency.write).toEqual([2.5]);
    expect(data.latency.read).toEqual([1]);
    expect(windows.availability.map((w) => w.ratio)).toEqual([1, 0]);
    expect(data.lag).toHaveLength(1);
    expect(data.lag[0].name).toBe("s1");
    expect(windows.lag[0].byNode.s1).toMatchObject({ meanMs: 4.5, maxMs: 5.75, count: 2, behindMax: 100 });
    expect(data.faults).toEqual([{ id: 0, type: "crash", target: "primary", label: "crash primary", startMs: 140, endMs: 180 }]);
    expect(data.provenance.scenario).toBe("real: unit");
    expect(rec.lagSamples()).toEqual({ s1: [3.25, 5.75] });
  });

  test("rows recorded out of order are sorted into time order (the operators need it)", () => {
    const rec = new LabRecorder(["n"], 0);
    rec.apply("n", 1, 0, 5000);
    rec.apply("n", 2, 0, 1000);
    const b = rec.batches();
    expect(Array.from(b[0].timesUs)).toEqual([1000, 5000]);
  });

  test("charts of real runs say wall-clock time, not virtual time", () => {
    const fig = realTimeAxis(lagChart([{ name: "s1", tMs: [0, 100], values: [1, 2] }]));
    expect(fig.layout.xaxis.title.text).toMatch(/^Wall-clock time since start/);
  });
});

/** An echo server on loopback, and a client that timestamps what comes back. */
async function echoServer(): Promise<{ port: number; close: () => Promise<void>; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on("data", (d) => s.write(d));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen({ host: "127.0.0.1", port: 0 }, () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    sockets,
    close: () => new Promise((r) => {
      sockets.forEach((s) => s.destroy());
      server.close(() => r());
    }),
  };
}

function client(port: number): Promise<{ socket: net.Socket; received: { at: number; text: string }[] }> {
  return new Promise((resolve) => {
    const received: { at: number; text: string }[] = [];
    const socket: net.Socket = net.connect({ host: "127.0.0.1", port }, () => resolve({ socket, received }));
    socket.on("data", (d: Buffer) => received.push({ at: performance.now(), text: d.toString() }));
    socket.on("error", () => undefined);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("DelayProxy: a slow or cut link on loopback", () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  test("adds the delay in each direction (a round trip costs twice), keeps bytes in order", async () => {
    const echo = await echoServer();
    const proxy = await DelayProxy.start({ targetPort: echo.port, delayMs: 30 });
    closers.push(() => proxy.close(), echo.close);
    const c = await client(proxy.port);
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) c.socket.write(`${i},`);
    while (c.received.map((r) => r.text).join("").split(",").length < 21) await sleep(5);
    expect(c.received[0].at - t0).toBeGreaterThanOrEqual(59);
    expect(c.received.map((r) => r.text).join("")).toBe(Array.from({ length: 20 }, (_, i) => `${i},`).join(""));
    c.socket.destroy();
  });

  test("setDelay never reorders: bytes sent after a shorter delay still come after earlier ones", async () => {
    const echo = await echoServer();
    const proxy = await DelayProxy.start({ targetPort: echo.port, delayMs: 80 });
    closers.push(() => proxy.close(), echo.close);
    const c = await client(proxy.port);
    c.socket.write("a");
    await sleep(5);
    proxy.setDelay(0);
    c.socket.write("b");
    while (c.received.map((r) => r.text).join("").length < 2) await sleep(5);
    expect(c.received.map((r) => r.text).join("")).toBe("ab");
    c.socket.destroy();
  });

  test("hold cuts the link (nothing arrives), release delivers what queued", async () => {
    const echo = await echoServer();
    const proxy = await DelayProxy.start({ targetPort: echo.port });
    closers.push(() => proxy.close(), echo.close);
    const c = await client(proxy.port);
    proxy.hold();
    c.socket.write("held");
    await sleep(100);
    expect(c.received).toEqual([]);
    expect(proxy.bytes.queuedUp).toBe(4);
    proxy.release();
    while (c.received.length === 0) await sleep(5);
    expect(c.received.map((r) => r.text).join("")).toBe("held");
    c.socket.destroy();
  });

  test("bytes in flight still arrive after their sender closed; discardQueued loses them (a host crash)", async () => {
    // The "target" sends bytes towards the client and closes at once.
    const server = net.createServer((s) => {
      s.end("from-the-dying-side");
    });
    await new Promise<void>((r) => server.listen({ host: "127.0.0.1", port: 0 }, () => r()));
    const port = (server.address() as net.AddressInfo).port;
    closers.push(() => new Promise((r) => server.close(() => r())));
    const proxy = await DelayProxy.start({ targetPort: port, delayMs: 50 });
    closers.push(() => proxy.close());
    const delivered = await client(proxy.port);
    while (delivered.received.length === 0) await sleep(5);
    expect(delivered.received.map((r) => r.text).join("")).toBe("from-the-dying-side");

    const lost = await client(proxy.port);
    await sleep(20); // the server has sent and closed; its bytes wait in the proxy
    const gone = proxy.discardQueued();
    expect(gone.down).toBe("from-the-dying-side".length);
    await sleep(100);
    expect(lost.received).toEqual([]);
  });

  test("listens on 127.0.0.1 only", async () => {
    const echo = await echoServer();
    const proxy = await DelayProxy.start({ targetPort: echo.port });
    closers.push(() => proxy.close(), echo.close);
    expect(((proxy as unknown as { server: net.Server }).server.address() as net.AddressInfo).address).toBe("127.0.0.1");
  });
});

describe("PeerProxy: partitions between etcd members by the sender's header", () => {
  test("reads X-Server-From", () => {
    const head = "GET /raft/stream/msgapp/88a4 HTTP/1.1\r\nHost: x\r\nX-Server-From: 88a4aa1b86b0c722\r\n\r\n";
    expect(etcdOrigin(head, (hex) => (hex === "88a4aa1b86b0c722" ? "e2" : undefined))).toBe("e2");
    expect(etcdOrigin("GET /version HTTP/1.1\r\n\r\n", () => "e1")).toBeNull();
  });

  test("a connection from a member on the other side is reset; from the same side it passes", async () => {
    const echo = await echoServer();
    let groups: string[][] | null = null;
    const proxy = await PeerProxy.start({
      owner: "e1", listenPort: 0, targetPort: echo.port,
      identify: (head) => /X-Server-From: (\w+)/.exec(head)?.[1] ?? null,
      allowed: (origin, owner) => groups === null || groups.some((g) => g.includes(origin) && g.includes(owner)),
    });
    const port = ((proxy as unknown as { server: net.Server }).server.address() as net.AddressInfo).port;
    try {
      const fromE2 = await client(port);
      const fromE3 = await client(port);
      fromE2.socket.write("GET / HTTP/1.1\r\nX-Server-From: e2\r\n\r\n");
      fromE3.socket.write("GET / HTTP/1.1\r\nX-Server-From: e3\r\n\r\n");
      while (fromE2.received.length === 0 || fromE3.received.length === 0) await sleep(5);
      groups = [["e1", "e2"], ["e3"]];
      proxy.enforce();
      await sleep(50);
      expect(fromE3.socket.destroyed || fromE3.socket.readableEnded).toBe(true);
      fromE2.socket.write("still here");
      while (!fromE2.received.map((r) => r.text).join("").includes("still here")) await sleep(5);
      const again = await client(port);
      again.socket.write("GET / HTTP/1.1\r\nX-Server-From: e3\r\n\r\n");
      await sleep(100);
      expect(again.received).toEqual([]);
      expect(proxy.refused).toBeGreaterThanOrEqual(2);
      fromE2.socket.destroy();
    } finally {
      await proxy.close();
      await echo.close();
    }
  });
});

describe("statistics and settings", () => {
  test("percentiles interpolate; medians of runs ignore missing values", () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(stats([]).p50).toBeNull();
    expect(stats([5, 1, 3])).toMatchObject({ count: 3, p50: 3, max: 5 });
    expect(median([3, null, 1, 2])).toBe(2);
  });

  test("a lognormal fitted by quantiles recovers its median", () => {
    const xs = Array.from({ length: 999 }, (_, i) => Math.exp(1 + 0.5 * inverseNormal((i + 1) / 1000)));
    const fit = fitLognormal(xs);
    expect(fit.mu).toBeCloseTo(1, 2);
    expect(fit.sigma).toBeCloseTo(0.5, 1);
  });

  test("the sync states pg_stat_replication shows for synchronous_standby_names", () => {
    expect(expectedSyncStates("")).toEqual({});
    expect(expectedSyncStates("FIRST 1 (s1, s2)")).toEqual({ s1: "sync", s2: "potential" });
    expect(expectedSyncStates("ANY 1 (s1, s2)")).toEqual({ s1: "quorum", s2: "quorum" });
    expect(expectedSyncStates("s1")).toEqual({});
    expect(expectedSyncStates("2 (s1, s2)")).toEqual({ s1: "sync", s2: "sync" });
  });
});

/** Acklam's rational approximation of the standard normal quantile (enough for a test). */
function inverseNormal(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const q = p < 0.5 ? Math.sqrt(-2 * Math.log(p)) : Math.sqrt(-2 * Math.log(1 - p));
  if (p < 0.02425 || p > 1 - 0.02425) {
    const x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < 0.5 ? x : -x;
  }
  const r = (p - 0.5) * (p - 0.5);
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * (p - 0.5)) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

describe("the simulator with measured parameters", () => {
  const params: PgSimParams = { clientOneWayMs: 0.15, commit: { mu: Math.log(2), sigma: 0.3 }, linkOneWayMs: 1, clients: 4 };

  test("every lab mode maps to a valid scenario, or says it has no equivalent", () => {
    for (const mode of ["async", "first1", "first1-apply", "any1"]) {
      expect(pgScenario(mode, params, { durationMs: 500, delayMs: 10 }), mode).not.toBeNull();
    }
    expect(simReplication("any1-apply")).toBeNull();
    expect(pgScenario("any1-apply", params, { durationMs: 500 })).toBeNull();
  });

  test("a synchronous standby behind a 10 ms link costs about two link crossings per commit", () => {
    const async = runSim(pgScenario("async", params, { durationMs: 2000, delayMs: 10 })!);
    const first1 = runSim(pgScenario("first1", params, { durationMs: 2000, delayMs: 10 })!);
    const p50 = (xs: number[]) => percentile(xs, 50) as number;
    expect(p50(first1.data.latency.write) - p50(async.data.latency.write)).toBeGreaterThan(20);
    expect(p50(first1.data.latency.write) - p50(async.data.latency.write)).toBeLessThan(25);
  });

  test("async failover with a 100 ms link loses about 100 ms of acknowledged writes; ANY 1 promoting the fast standby loses none", () => {
    const lost = runSim(pgScenario("async", params, { durationMs: 3000, delayMs: 100, crashAtMs: 2000, promote: "s1", replicas: ["s1", "s2"] })!);
    const rate = lost.lastSecondWrites;
    const windowMs = (lost.summary.lostAcknowledgedWrites / rate) * 1000;
    expect(windowMs).toBeGreaterThan(80);
    expect(windowMs).toBeLessThan(130);
    const safe = runSim(pgScenario("any1", params, { durationMs: 3000, delayMs: 100, crashAtMs: 2000, promote: "s2", replicas: ["s1", "s2"] })!);
    expect(safe.summary.lostAcknowledgedWrites).toBe(0);
  });

  test("the etcd scenario re-elects within one to two election timeouts (plus a vote round trip)", () => {
    const p = { heartbeatMs: 100, electionTimeoutMs: 1000, linkOneWayMs: 1, clients: 2, clientTimeoutMs: 500 };
    for (const seed of [1, 2, 3]) {
      const r = runSim(etcdScenario(p, { crashAtMs: 500, durationMs: 5000, seed }));
      expect(r.electionMs).toBeGreaterThanOrEqual(900);
      expect(r.electionMs).toBeLessThanOrEqual(2200);
      expect(r.writesResumeMs).not.toBeNull();
    }
  });

  test("verdicts", () => {
    expect(verdict(10, 11)).toEqual({ ratio: 1.1, verdict: "close" });
    expect(verdict(10, 18)).toEqual({ ratio: 1.8, verdict: "same order" });
    expect(verdict(10, 40)).toEqual({ ratio: 4, verdict: "off" });
    expect(verdict(5, null).verdict).toBe("no simulator equivalent");
  });
});

describe("without the binaries (a learner's laptop)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env.REPLICALAB_PG_BINDIR = saved.REPLICALAB_PG_BINDIR;
    process.env.REPLICALAB_ETCD = saved.REPLICALAB_ETCD;
    if (saved.REPLICALAB_PG_BINDIR === undefined) delete process.env.REPLICALAB_PG_BINDIR;
    if (saved.REPLICALAB_ETCD === undefined) delete process.env.REPLICALAB_ETCD;
  });

  test("the lookup says exactly what to install", () => {
    const pg = findPostgres({ REPLICALAB_PG_BINDIR: "/nonexistent" });
    const etcd = findEtcd({ REPLICALAB_ETCD: "/nonexistent/etcd", PATH: "/nonexistent" });
    expect(pg.ok).toBe(false);
    expect(etcd.ok).toBe(false);
    if (!pg.ok) expect(unavailableMessage(pg)).toContain("sudo apt-get install -y --no-install-recommends postgresql");
    if (!etcd.ok) expect(unavailableMessage(etcd)).toContain("sudo apt-get install -y --no-install-recommends etcd-server etcd-client");
  });

  test("the CLI stops with exit code 4 and that one line, before touching anything", async () => {
    process.env.REPLICALAB_PG_BINDIR = "/nonexistent";
    process.env.REPLICALAB_ETCD = "/nonexistent/etcd";
    for (const args of [["lab", "postgres", "up", "--dir", "/nonexistent/lab"], ["lab", "etcd", "up", "--dir", "/nonexistent/lab"], ["lab", "check"]]) {
      const c = captureIO();
      expect(await main(args, c.io), args.join(" ")).toBe(4);
      expect(c.stderr() + c.stdout()).toMatch(/install with `sudo apt-get install -y --no-install-recommends (postgresql|etcd-server etcd-client)`/);
    }
  });
});

describe("the lab command line", () => {
  test("bad input is one line and exit code 2", async () => {
    for (const args of [["lab", "postgres", "frob"], ["lab", "etcd", "up", "--port", "abc"], ["lab", "postgres", "failover", "--mode", "sync"], ["lab", "nope"], ["lab", "postgres", "up", "--bogus"], ["lab", "postgres", "commit-latency", "--standby", "postgres://x"]]) {
      const c = captureIO();
      expect(await main(args, c.io), args.join(" ")).toBe(2);
      expect(c.stderr().trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(c.stderr()).toMatch(/^replicalab lab: /);
    }
  });

  test("lab alone prints the usage (exit 2), --help too (exit 0)", async () => {
    const a = captureIO();
    expect(await main(["lab"], a.io)).toBe(2);
    expect(a.stdout()).toContain("replicalab lab postgres up");
    const b = captureIO();
    expect(await main(["lab", "--help"], b.io)).toBe(0);
    expect(b.stdout()).toContain("replicalab lab etcd partition");
  });

  test("the lab is registered in the top-level usage", async () => {
    const c = captureIO();
    await main(["--help"], c.io);
    expect(c.stdout()).toContain("replicalab lab");
  });
});
