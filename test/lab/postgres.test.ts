/**
 * Real PostgreSQL streaming replication on loopback (Debian's postgresql package): a primary and two
 * standbys in a folder of this test, on ports of its own (26432+), then the experiments at reduced
 * durations. Latency assertions use a delay proxy (20 ms each way) so the effect is far above loopback
 * noise, and medians of repeated runs. At the end nothing of the lab may run or hold a port.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { main } from "../../src/cli";
import { commitLatency, failover, labTarget, standbyWrite } from "../../src/lab/pg-experiments";
import { PgLab, queryOnce } from "../../src/lab/postgres";
import { busyPorts, labProcesses, startWatchdog } from "../../src/lab/process";
import { captureIO, removeLabDir, skipWithout, testLabDir } from "./helpers";

const DIR = testLabDir("pg");
const PORT = 26432;
const FAILOVER_PORT = 26442;
const CLI_PORT = 26452;
const ALL_PORTS = [PORT, PORT + 1, PORT + 2, FAILOVER_PORT, FAILOVER_PORT + 1, FAILOVER_PORT + 2, CLI_PORT, CLI_PORT + 1, CLI_PORT + 2];

describe.skipIf(skipWithout(["postgres"]))("real PostgreSQL: a primary and two streaming standbys", () => {
  let pg: PgLab;
  let stopWatchdog: () => void = () => undefined;

  beforeAll(async () => {
    stopWatchdog = startWatchdog(DIR);
    const t0 = Date.now();
    pg = await PgLab.fresh({ dir: DIR, port: PORT });
    console.log(`lab cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 120_000);

  afterAll(async () => {
    await pg?.down();
    const left = await removeLabDir(DIR);
    stopWatchdog();
    expect(left.processes, "server processes left behind").toBe(0);
  }, 60_000);

  test("both standbys stream; every server listens on 127.0.0.1 only", async () => {
    const st = await pg.status();
    expect(st.map((s) => s.role)).toEqual(["primary", "standby", "standby"]);
    expect(st[0].replication.map((r) => `${r.application}:${r.state}`)).toEqual(["s1:streaming", "s2:streaming"]);
    for (const n of pg.nodes) {
      const [r] = await queryOnce<{ listen_addresses: string; data_directory: string }>(pg.config(n.name), "SELECT current_setting('listen_addresses') AS listen_addresses, current_setting('data_directory') AS data_directory");
      expect(r.listen_addresses).toBe("127.0.0.1");
      expect(r.data_directory.startsWith(DIR)).toBe(true);
    }
  });

  test("a write sent to a standby is refused with SQLSTATE 25006; reads are answered", async () => {
    const r = await standbyWrite(labTarget(pg), "s2");
    expect(r.sqlstate).toBe("25006");
    expect(r.message).toMatch(/read-only transaction/);
    expect(r.readOk).toBe(true);
    expect(r.run.windows.availability.some((w) => w.failed === 1)).toBe(true);
  });

  test("commit latency by mode with s1 behind a 20 ms link: FIRST 1 (s1) pays the round trip, ANY 1 does not", async () => {
    const r = await commitLatency(labTarget(pg), { modes: ["async", "first1", "any1"], delaysMs: [20], seconds: 1, clients: 4, repeat: 2 });
    const p50 = Object.fromEntries(r.summary.map((s) => [s.mode, s.p50 as number]));
    console.log(`commit p50 with s1 +20 ms: ${JSON.stringify(p50)}; lag ${JSON.stringify(r.summary[0].lag)}`);
    expect(p50.first1 - p50.async).toBeGreaterThan(20); // the added round trip is 40 ms
    expect(p50.any1).toBeLessThan(p50.first1);
    // The kit's lag (commit -> visible on the standby): s1 is at least one delayed crossing behind.
    const lag = r.summary.find((s) => s.mode === "async")!.lag;
    expect(lag.s1.p50).toBeGreaterThanOrEqual(15); // one 20 ms crossing, less the probe's resolution
    expect(lag.s2.p50 as number).toBeLessThan(lag.s1.p50 as number);
    // Real measurements drew through the kit's metric operators: one lag series per standby.
    expect(r.runs[0].run.data.lag.map((s) => s.name).sort()).toEqual(["s1", "s2"]);
    expect(r.runs[0].run.data.latency.write.length).toBeGreaterThan(10);
    // The cluster is back to plain async, both standbys straight to the primary.
    const st = await pg.status();
    expect(st[0].replication.every((x) => x.syncState === "async" && x.state === "streaming")).toBe(true);
  }, 120_000);

  test("failover, async, s1 100 ms behind: acknowledged writes are lost when s1 is promoted", async () => {
    const r = await failover({ dir: DIR, port: FAILOVER_PORT, mode: "async", delayMs: 100, writeMs: 1500, promote: "s1" });
    console.log(`async failover: ${r.lost} of ${r.acknowledged} acknowledged writes lost; ${r.notes.join("; ")}`);
    expect(r.lost).toBeGreaterThan(0);
    expect(r.missingByStandby.s2).toBeLessThanOrEqual(r.lost);
    expect(r.lost).toBe(r.ackedIds.filter((id) => !new Set(r.presentOn.s1).has(id)).length);
  }, 120_000);

  test("failover, FIRST 1 (s1) remote_apply: nothing acknowledged is lost", async () => {
    const r = await failover({ dir: DIR, port: FAILOVER_PORT, mode: "first1-apply", delayMs: 100, writeMs: 1500, promote: "s1" });
    console.log(`remote_apply failover: ${r.lost} lost of ${r.acknowledged}; ${r.committedUnacknowledged} committed without an acknowledgement`);
    expect(r.acknowledged).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
  }, 120_000);

  test("failover, ANY 1 (s1, s2) with s1 lagging: promoting s1 loses writes, s2 had them", async () => {
    const r = await failover({ dir: DIR, port: FAILOVER_PORT, mode: "any1", delayMs: 100, writeMs: 1500, promote: "s1" });
    console.log(`ANY 1 failover: promoted s1 lost ${r.lost}; s2 lacked ${r.missingByStandby.s2}`);
    expect(r.lost).toBeGreaterThan(0);
    // The guarantee of ANY 1: every acknowledged write is on at least one standby.
    const onS1 = new Set(r.presentOn.s1);
    const onS2 = new Set(r.presentOn.s2);
    expect(r.ackedIds.filter((id) => !onS1.has(id) && !onS2.has(id))).toEqual([]);
    // And the fast standby is the complete one (0 here, unless s2 stalled for 100 ms on a busy machine).
    expect(r.missingByStandby.s2).toBeLessThan(r.lost);
    expect(labProcesses(`${DIR}/postgres-failover`)).toEqual([]);
  }, 120_000);

  test("the command line: up, status, down on ports of its own", async () => {
    const sub = `${DIR}/cli`;
    const up = captureIO();
    expect(await main(["lab", "postgres", "up", "--dir", sub, "--port", String(CLI_PORT), "--seed", "copy"], up.io), up.stderr()).toBe(0);
    expect(up.stdout()).toContain(`postgres://postgres@127.0.0.1:${CLI_PORT}/postgres`);
    const st = captureIO();
    expect(await main(["lab", "postgres", "status", "--dir", sub, "--json"], st.io)).toBe(0);
    const status = JSON.parse(st.stdout()) as { running: boolean; nodes: { role: string; replication: { state: string }[] }[] };
    expect(status.running).toBe(true);
    expect(status.nodes[0].replication.map((r) => r.state)).toEqual(["streaming", "streaming"]);
    const down = captureIO();
    expect(await main(["lab", "postgres", "down", "--dir", sub], down.io)).toBe(0);
    expect(down.stdout()).toMatch(/stopped .*primary/);
    expect(labProcesses(sub)).toEqual([]);
    expect(await busyPorts([CLI_PORT, CLI_PORT + 1, CLI_PORT + 2])).toEqual([]);
  }, 120_000);

  test("down stops everything: no process, no port", async () => {
    const report = await pg.down();
    expect(report.stopped.map((s) => s.name).sort()).toEqual(["primary", "s1", "s2"]);
    expect(labProcesses(DIR)).toEqual([]);
    expect(await busyPorts(ALL_PORTS)).toEqual([]);
  }, 60_000);
});
