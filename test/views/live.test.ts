/**
 * The live view: the same run as a plain one (eventHash, summary, chart data), paced in real time
 * with at most 10 display updates per second, and only the final frame when headless.
 */
import { describe, expect, test } from "vitest";
import { experiment } from "../../src/notebook/experiment";
import { headlessReason } from "../../src/views/kernel";
import { live } from "../../src/views/live";
import type { Clock } from "../../src/views/pacing";
import { asyncLag, failover, witnessStory } from "../helpers/stories";

/** A clock that only moves when slept on (plus `cost` ms per display, to play a slow notebook). */
function fakeClock() {
  let now = 0;
  const clock: Clock & { slept: number; advance(ms: number): void } = {
    now: () => now,
    sleep: async (ms) => {
      clock.slept += ms;
      now += ms;
    },
    slept: 0,
    advance: (ms) => (now += ms),
  };
  return clock;
}

describe("live view", () => {
  test("a live run and a plain run of the same scenario and seed are the same run", async () => {
    for (const s of [failover(), witnessStory()]) {
      const frames: string[] = [];
      const run = await live(s, { speed: 5, interactive: true, clock: fakeClock(), display: (h) => frames.push(h) });
      const plain = experiment(s);
      expect(run.summary.eventHash).toBe(plain.summary.eventHash);
      expect(run.simulation.eventHash).toBe(plain.simulation.eventHash);
      expect(run.summary).toEqual(plain.summary);
      expect(run.data).toEqual(plain.data);
      expect(run.windows).toEqual(plain.windows);
      expect(frames.length).toBeGreaterThan(3);
    }
  });

  test("with another seed too, and with recorded history", async () => {
    const run = await live(asyncLag(), { seed: 7, speed: 4, interactive: true, clock: fakeClock(), display: () => undefined, recordHistory: true });
    const plain = experiment(asyncLag(), { seed: 7, recordHistory: true });
    expect(run.summary.eventHash).toBe(plain.summary.eventHash);
    expect(run.history).toEqual(plain.history);
  });

  test("display updates stay within the frame bound: at most fps x real duration, plus the first and last", async () => {
    const s = failover(); // 6 s of virtual time
    for (const [speed, fps] of [[5, 10], [2, 10], [10, 4], [60, 10]] as const) {
      const clock = fakeClock();
      const frames: string[] = [];
      const run = await live(s, { speed, fps, interactive: true, clock, display: (h) => frames.push(h) });
      const realMs = s.durationMs / speed;
      const bound = Math.ceil((realMs * fps) / 1000) + 1;
      expect(frames.length, `speed ${speed}, fps ${fps}`).toBeLessThanOrEqual(bound);
      expect(frames.length).toBeGreaterThanOrEqual(Math.min(bound, 3) - 1);
      expect(run.live.frames).toBe(frames.length);
      // Paced in real time: the waits add up to the run's length at that speed.
      expect(clock.slept).toBeGreaterThanOrEqual(realMs - 1000 / fps);
      expect(clock.slept).toBeLessThanOrEqual(realMs + 1000 / fps);
    }
  });

  test("fps is capped at 10, and a slow notebook gets fewer frames, never faster ones", async () => {
    const clock = fakeClock();
    const shownAt: number[] = [];
    // Each display costs 250 ms of real time.
    await live(failover(), { speed: 5, fps: 50, interactive: true, clock, display: () => { shownAt.push(clock.now()); clock.advance(250); } });
    const gaps = shownAt.slice(1).map((t, i) => t - shownAt[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(100);
    expect(shownAt.length).toBeLessThanOrEqual(Math.ceil(6000 / 5 / 250) + 2);
  });

  test("frames advance through virtual time and end with the final frame", async () => {
    const frames: string[] = [];
    const run = await live(witnessStory(), { speed: 1, interactive: true, clock: fakeClock(), display: (h) => frames.push(h) });
    const times = frames.map((h) => Number(/t = (\d+) ms of 3000 ms/.exec(h)?.[1]));
    expect(times[0]).toBe(0);
    expect(times[times.length - 1]).toBe(3000);
    expect(times.slice(1).every((t, i) => t >= times[i])).toBe(true);
    expect(frames[frames.length - 1]).toBe(run.live.html);
    expect(run.live.html).toContain("finished");
    expect(run.live.html).toContain("balance = 20");
    expect(run.live.html).toContain("link A ⇄ B restored");
    expect(run.live.html).not.toContain("<script");
    expect(run.live.html).not.toContain("replicalab-chart"); // not counted as a Plotly chart by the notebook tests
  });

  test("a live frame shows the node strip, the charts so far and the events in words", async () => {
    const frames: string[] = [];
    await live(failover(), { speed: 5, interactive: true, clock: fakeClock(), display: (h) => frames.push(h) });
    const during = frames.find((h) => /t = 3\.\d\d s/.test(h))!;
    expect(during).toContain("primary · DOWN");
    expect(during).toMatch(/elected primary in term \d/);
    expect(during).toContain("db1 crashed");
    for (const title of ["Lag (ms)", "Answered ok", "Conflicts"]) expect(during).toContain(title);
    expect(during.length).toBeLessThan(30_000);
  });

  test("headless: no pacing, one display update (the final frame), quickly", async () => {
    const clock = fakeClock();
    const frames: string[] = [];
    const run = await live(failover(), { speed: 0.01, interactive: false, clock, display: (h) => frames.push(h) });
    expect(clock.slept).toBe(0);
    expect(frames).toEqual([run.live.html]);
    expect(run.live.interactive).toBe(false);
  });

  test("outside a kernel: nothing displayed, the final frame's HTML returned, a short echo", async () => {
    const started = Date.now();
    const run = await live(witnessStory(), { speed: 0.001 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.live).toMatchObject({ frames: 0, interactive: false });
    expect(run.live.reason).toMatch(/not in a notebook kernel/);
    expect(run.live.html).toContain("quorum-witness");
    const { inspect } = await import("util");
    expect(inspect(run)).toMatch(/^LiveRun quorum-witness \(seed 1\): 0 frames/);
  });

  test("a slow speed is raised so a live run takes at most maxSeconds", async () => {
    const clock = fakeClock();
    const run = await live(failover(), { speed: 0.001, maxSeconds: 3, interactive: true, clock, display: () => undefined });
    expect(run.live.speed).toBeCloseTo(2, 5);
    expect(clock.slept).toBeLessThanOrEqual(3100);
  });

  test("real pacing: a short run at high speed takes about its real duration", async () => {
    const frames: string[] = [];
    const run = await live(witnessStory(), { speed: 10, interactive: true, display: (h) => frames.push(h) });
    expect(run.live.wallMs).toBeGreaterThanOrEqual(250);
    expect(frames.length).toBeLessThanOrEqual(Math.ceil(300 / 100) + 1);
  });
});

describe("headless detection", () => {
  const parent = (cmd: string) => () => cmd;
  test("REPLICALAB_HEADLESS decides first, then CI, then the process that started the kernel", () => {
    expect(headlessReason({ REPLICALAB_HEADLESS: "1" }, parent("jupyter-notebook"))).toMatch(/REPLICALAB_HEADLESS/);
    expect(headlessReason({ REPLICALAB_HEADLESS: "0", CI: "1" }, parent("/usr/bin/python3 scripts/run-notebook.py x"))).toBeNull();
    expect(headlessReason({ CI: "true" }, parent("jupyter-notebook"))).toMatch(/CI/);
    expect(headlessReason({}, parent("/usr/bin/python3 scripts/run-notebook.py notebooks/04.ipynb --out x"))).toMatch(/run-notebook\.py/);
    expect(headlessReason({}, parent("/usr/bin/python3 /usr/bin/jupyter-nbconvert --execute x.ipynb"))).toMatch(/nbconvert/);
    expect(headlessReason({}, parent("/usr/bin/python3 /usr/bin/jupyter-notebook --no-browser"))).toBeNull();
    expect(headlessReason({}, parent(""))).toBeNull();
  });
});
