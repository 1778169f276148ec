/**
 * A real 3-member etcd cluster on loopback (Debian's etcd-server): health, put/get over the JSON
 * gateway, leader loss and re-election, and a minority partition (stale serializable reads,
 * failing linearizable reads and writes). Ports of its own (26790+); nothing left behind.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { main } from "../../src/cli";
import { EtcdLab } from "../../src/lab/etcd";
import { leaderLoss, partition } from "../../src/lab/etcd-experiments";
import { busyPorts, labProcesses, startWatchdog } from "../../src/lab/process";
import { captureIO, removeLabDir, skipWithout, testLabDir } from "./helpers";

const DIR = testLabDir("etcd");
const PORT = 26790;
const PARTITION_PORT = 26830;
const CLI_PORT = 26860;

describe.skipIf(skipWithout(["etcd"]))("real etcd: three members on loopback", () => {
  let etcd: EtcdLab;
  let stopWatchdog: () => void = () => undefined;

  beforeAll(async () => {
    stopWatchdog = startWatchdog(DIR);
    const t0 = Date.now();
    etcd = await EtcdLab.fresh({ dir: DIR, port: PORT });
    console.log(`etcd up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }, 60_000);

  afterAll(async () => {
    await etcd?.down();
    const left = await removeLabDir(DIR);
    stopWatchdog();
    expect(left.processes, "server processes left behind").toBe(0);
  }, 60_000);

  test("one leader that every member agrees on; puts and both kinds of reads over the JSON gateway", async () => {
    const st = await etcd.status();
    expect(st.filter((s) => s.isLeader)).toHaveLength(1);
    expect(new Set(st.map((s) => s.leaderName)).size).toBe(1);
    const put = await etcd.gateway("e1").put("lab/test", "hello");
    expect(put.ok).toBe(true);
    const lin = await etcd.gateway("e2").get("lab/test");
    expect(lin.ok && lin.value.value).toBe("hello");
    const ser = await etcd.gateway("e3").get("lab/test", { serializable: true });
    expect(ser.ok).toBe(true);
  });

  test("killing the leader: a new one within a few election timeouts, then writes succeed again", async () => {
    const r = await leaderLoss(etcd, { repeat: 1, beforeMs: 500, afterMs: 300 });
    const run = r.runs[0];
    console.log(`leader ${run.killed} killed: new leader ${run.newLeader} after ${run.electionMs} ms, writes resumed after ${run.writesResumeMs} ms; put p50 ${run.puts.p50} ms`);
    expect(run.newLeader).not.toBe(run.killed);
    expect(run.electionMs).toBeGreaterThan(r.electionTimeoutMs * 0.5);
    expect(run.electionMs).toBeLessThan(15_000);
    expect(run.writesResumeMs).not.toBeNull();
    expect(run.run.data.faults.map((f) => f.label)).toEqual([`crash ${run.killed}`]);
    // The killed member was restarted and rejoined.
    expect((await etcd.status()).every((s) => s.running && s.leaderName === run.newLeader)).toBe(true);
  }, 120_000);

  test("a minority of one: stale serializable reads, no linearizable reads, no writes, no leader; then it heals", async () => {
    const r = await partition({ dir: DIR, port: PARTITION_PORT, partitionMs: 4000, timeoutMs: 1500 });
    console.log(`partition: ${JSON.stringify({ ...r, run: undefined })}`);
    expect(r.acknowledged).toBe("during");
    expect(r.serializableRead).toMatchObject({ ok: true, value: "before" });
    expect(r.linearizableRead.ok).toBe(false);
    expect(r.minorityWrite.ok).toBe(false);
    expect(r.noLeaderAfterMs).not.toBeNull();
    expect(r.majorityPuts).toBeGreaterThan(0);
    expect(r.readAfterHeal).toBe("during");
    expect(labProcesses(`${DIR}/etcd-partition`)).toEqual([]);
  }, 120_000);

  test("the command line: up, status, down on ports of its own", async () => {
    const sub = `${DIR}/cli`;
    const up = captureIO();
    expect(await main(["lab", "etcd", "up", "--dir", sub, "--port", String(CLI_PORT)], up.io), up.stderr()).toBe(0);
    const st = captureIO();
    expect(await main(["lab", "etcd", "status", "--dir", sub], st.io)).toBe(0);
    expect(st.stdout()).toContain("LEADER");
    const down = captureIO();
    expect(await main(["lab", "etcd", "down", "--dir", sub], down.io)).toBe(0);
    expect(labProcesses(sub)).toEqual([]);
    expect(await busyPorts([CLI_PORT, CLI_PORT + 1, CLI_PORT + 2, CLI_PORT + 10, CLI_PORT + 11, CLI_PORT + 12])).toEqual([]);
  }, 60_000);

  test("down stops everything: no process, no port", async () => {
    await etcd.down();
    expect(labProcesses(DIR)).toEqual([]);
    const ports = [PORT, PORT + 1, PORT + 2, PORT + 10, PORT + 11, PORT + 12, PARTITION_PORT, PARTITION_PORT + 1, PARTITION_PORT + 2, PARTITION_PORT + 10, PARTITION_PORT + 20];
    expect(await busyPorts(ports)).toEqual([]);
  }, 60_000);
});
