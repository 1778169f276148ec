/**
 * The scrubbable replay: frame counts and bounds, every frame consistent with the recorded events
 * at its time (node states, links, messages) and with the run paused at that time (values, terms),
 * the figure's frames patching what the recording says, and its size.
 */
import { describe, expect, test } from "vitest";
import type { SimEvent } from "../../src/events";
import { experiment } from "../../src/notebook/experiment";
import type { Scenario } from "../../src/scenario/types";
import { Simulation } from "../../src/sim/simulation";
import type { ClusterSnapshot, Recording } from "../../src/views/model";
import { recordRun, MAX_FRAMES } from "../../src/views/record";
import { frameIndex, replayFigure, replayFrame } from "../../src/views/replay";
import { asChartFigure, replay } from "../../src/views/show";
import { chartHtml } from "../../src/charts/display";
import { asyncLag, failover, splitBrain, witnessStory } from "../helpers/stories";

function eventsOf(s: Scenario): { events: SimEvent[]; eventHash: string } {
  const sim = new Simulation(s);
  const events: SimEvent[] = [];
  sim.events$.subscribe((e) => events.push(e));
  sim.run();
  return { events, eventHash: sim.eventHash };
}

/** Node states and links from the events at or before t alone (roles start as the scenario says). */
function stateFromEvents(s: Scenario, events: readonly SimEvent[], tMs: number) {
  const names = s.nodes.map((n) => n.id);
  const up = names.map(() => true);
  const role: string[] = s.nodes.map((n) => n.role);
  const down = new Set<string>();
  for (const e of events) {
    if (e.timeMs > tMs) break;
    if (e.type === "crash" && names.includes(e.node)) up[names.indexOf(e.node)] = false;
    else if (e.type === "recover" && names.includes(e.node)) up[names.indexOf(e.node)] = true;
    else if (e.type === "promote") role[names.indexOf(e.node)] = "primary";
    else if (e.type === "demote") role[names.indexOf(e.node)] = "replica";
    else if (e.type === "data-loss" && role[names.indexOf(e.node)] === "primary") role[names.indexOf(e.node)] = "replica";
    else if (e.type === "link-down") down.add(`${e.from}>${e.to}`);
    else if (e.type === "link-up") down.delete(`${e.from}>${e.to}`);
  }
  return { up, role, down };
}

function expectConsistent(s: Scenario, rec: Recording): void {
  const { events, eventHash } = eventsOf(s);
  expect(rec.eventHash).toBe(eventHash);
  const paused = new Simulation(s);
  const key = rec.key === null ? -1 : paused.keys.names.indexOf(rec.key);
  for (const frame of rec.frames) {
    const fromEvents = stateFromEvents(s, events, frame.tMs);
    paused.runUntil(frame.tMs);
    frame.nodes.forEach((node, i) => {
      const where = `${node.name} at ${frame.tMs} ms`;
      expect(node.up, where).toBe(fromEvents.up[i]);
      expect(node.role, where).toBe(fromEvents.role[i]);
      expect(node.term, where).toBe(paused.nodes[i].epoch);
      if (key >= 0) {
        const v = paused.nodes[i].store.get(key);
        expect(node.value, where).toBe(Number.isNaN(v) ? null : v);
      }
    });
    for (const link of frame.links) {
      const [a, b] = [frame.nodes[link.a].name, frame.nodes[link.b].name];
      expect(link.abUp, `${a}>${b} at ${frame.tMs}`).toBe(!fromEvents.down.has(`${a}>${b}`));
      expect(link.baUp, `${b}>${a} at ${frame.tMs}`).toBe(!fromEvents.down.has(`${b}>${a}`));
    }
  }
}

const byName = (f: ClusterSnapshot, name: string) => f.nodes.find((n) => n.name === name)!;

describe("recording a run for replay", () => {
  test("has the requested number of frames, evenly spaced, bounded to 2..200", () => {
    const s = witnessStory();
    const rec = recordRun(s, { frames: 30 });
    expect(rec.frames).toHaveLength(30);
    expect(rec.frames[0].tMs).toBe(0);
    expect(rec.frames[29].tMs).toBe(3000);
    expect(rec.frames[1].tMs - rec.frames[0].tMs).toBeCloseTo(3000 / 29, 3);
    expect(recordRun(s).frames).toHaveLength(60);
    expect(recordRun(s, { frames: 5000 }).frames).toHaveLength(MAX_FRAMES);
    expect(recordRun(s, { frames: 1 }).frames).toHaveLength(2);
    expect(() => recordRun(s, { fromMs: 2000, toMs: 1000 })).toThrow(/replay window/);
  });

  test("the recorded run is the plain run: same eventHash as experiment()", () => {
    for (const s of [witnessStory(), failover()]) expect(recordRun(s, { frames: 17 }).eventHash).toBe(experiment(s).summary.eventHash);
  });

  test("every frame matches the events up to its time and the run paused there (witness story)", () => {
    const s = witnessStory();
    const rec = recordRun(s, { frames: 60 });
    expectConsistent(s, rec);
    // The story's values: A takes $100 at 1000 ms (committed with C at 1025), B learns it at 1045.
    const at = (t: number) => rec.frames[frameIndex({ frameTimesMs: rec.frames.map((f) => f.tMs) } as never, { atMs: t })];
    expect(byName(at(500), "A").value).toBe(120);
    expect(byName(at(1100), "A").value).toBe(20);
    expect(byName(at(1100), "C").value).toBe(20);
    expect(byName(at(2900), "B").value).toBe(20);
    expect(at(1000).links[0]).toMatchObject({ abUp: false, baUp: false });
    expect(at(2900).links[0]).toMatchObject({ abUp: true, baUp: true });
    expect(byName(at(1000), "C").role).toBe("witness");
  });

  test("every frame matches the events (a failover, a partition under async)", () => {
    for (const s of [failover(), asyncLag()]) expectConsistent(s, recordRun(s, { frames: 40, key: null }));
    const rec = recordRun(failover(), { frames: 61 });
    const t3 = rec.frames.find((f) => f.tMs === 3000)!;
    expect(byName(t3, "db1").up).toBe(false);
    const newPrimary = t3.nodes.find((n) => n.up && n.role === "primary");
    expect(newPrimary?.term).toBeGreaterThan(1);
    expect(rec.key).toBeNull(); // a workload without a script: log positions instead of a key
    expect(byName(t3, newPrimary!.name).applied).toBeGreaterThan(0);
  });

  test("a zoomed window shows the quorum messages between A and the witness, each really in flight", () => {
    const s = witnessStory();
    const rec = recordRun(s, { frames: 66, fromMs: 995, toMs: 1060 });
    const { events } = eventsOf(s);
    const names = s.nodes.map((n) => n.id);
    const kindsSeen = new Set<string>();
    rec.traffic.forEach((links, k) => {
      const t = rec.frames[k].tMs;
      for (const link of links) {
        const [from, to] = [names[link.from], names[link.to]];
        link.kinds.forEach((x) => kindsSeen.add(`${from}>${to}:${x.kind}`));
        if (link.marker.progress > 0 && link.marker.progress < 1) {
          // In flight at t: sent at or before t on that link, delivered after t.
          const sent = events.some((e) => e.type === "send" && e.from === from && e.to === to && e.message === link.marker.kind && e.timeMs <= t);
          const pending = events.some((e) => e.type === "deliver" && e.from === from && e.to === to && e.message === link.marker.kind && e.timeMs > t);
          expect(sent && pending, `${link.marker.kind} ${from}>${to} at ${t}`).toBe(true);
        }
      }
    });
    for (const m of ["A>C:prepare", "C>A:promise", "A>C:accept", "C>A:accepted", "A>C:decide", "B>C:prepare", "C>B:promise"]) expect(kindsSeen).toContain(m);
    // Messages refused by the cut link show as lost; liveness pings are not drawn.
    expect(rec.traffic.flat().some((l) => names[l.from] === "A" && names[l.to] === "B" && l.marker.dropped)).toBe(true);
    expect([...kindsSeen].some((k) => k.endsWith(":ping"))).toBe(false);
  });

  test("messages are off for coarse frames unless asked for", () => {
    expect(recordRun(failover(), { frames: 20 }).traffic.flat()).toEqual([]);
    expect(recordRun(failover(), { frames: 20, messages: true }).traffic.flat().length).toBeGreaterThan(0);
    const votes = recordRun(failover(), { frames: 20, messages: ["vote-request", "vote"] }).traffic.flat();
    expect(votes.length).toBeGreaterThan(0);
    expect(votes.every((l) => l.kinds.every((k) => k.kind === "vote-request" || k.kind === "vote"))).toBe(true);
  });

  test("re-running an experiment reproduces it, and says so when it cannot", () => {
    const run = experiment(witnessStory());
    expect(recordRun(run, { frames: 10 }).eventHash).toBe(run.summary.eventHash);
    const buggy = experiment(failover(), { bugs: ["zombie-node"] });
    expect(() => recordRun(buggy, { frames: 10 })).toThrow(/bugs/);
    expect(recordRun(buggy, { frames: 10, bugs: ["zombie-node"] }).eventHash).toBe(buggy.summary.eventHash);
  });
});

describe("the replay figure", () => {
  const rec = recordRun(witnessStory(), { frames: 60 });
  const fig = replayFigure(rec);

  test("one animation frame and one slider step per recorded frame, play and pause buttons", () => {
    expect(fig.frames).toHaveLength(60);
    const slider = (fig.layout.sliders as { steps: { args: [string[]] }[] }[])[0];
    expect(slider.steps.map((s) => s.args[0][0])).toEqual(fig.frames.map((f) => f.name));
    const buttons = (fig.layout.updatemenus as { buttons: { label: string; method: string }[] }[])[0].buttons;
    expect(buttons.map((b) => b.method)).toEqual(["animate", "animate"]);
    expect(fig.frameTimesMs).toEqual(rec.frames.map((f) => f.tMs));
  });

  test("each frame patches the node strip, values, events and cursors to the recording at its time", () => {
    const trace = (name: string) => fig.data.findIndex((t) => t.name === name);
    const captions = trace("node captions");
    const events = trace("events");
    const cursors = fig.data.map((t, i) => (t.name === "now" ? i : -1)).filter((i) => i >= 0);
    expect(cursors).toHaveLength(3);
    fig.frames.forEach((frame, k) => {
      const patch = (index: number) => frame.data[frame.traces.indexOf(index)];
      const snapshot = rec.frames[k];
      const text = patch(captions).text as string[];
      snapshot.nodes.forEach((node, i) => expect(text[i]).toContain(node.value === null ? "balance: –" : `balance = ${node.value}`));
      for (const c of cursors) expect(patch(c).x).toEqual([snapshot.tMs, snapshot.tMs]);
      expect((patch(events).text as string[])[0]).toContain(`t = ${snapshot.tMs.toFixed(0)} ms`);
      const lastLine = rec.story.filter((l) => l.tMs <= snapshot.tMs).pop();
      if (lastLine) expect((patch(events).text as string[]).join("\n")).toContain(lastLine.text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
    });
    // The cut link is dashed red while cut.
    const link = trace("link 0");
    const at = (tMs: number) => fig.frames[frameIndex(fig, { atMs: tMs })].data[fig.frames[0].traces.indexOf(link)];
    expect(at(1000).line).toMatchObject({ dash: "dash", color: "#D55E00" });
    expect(at(2900).line).toMatchObject({ dash: "solid" });
  });

  test("a crashed node is drawn down in the frames after its crash", () => {
    const r = recordRun(failover(), { frames: 61 });
    const f = replayFigure(r);
    const db1 = f.data.findIndex((t) => t.name === "db1");
    const fill = (k: number) => f.frames[k].data[f.frames[k].traces.indexOf(db1)].fillcolor;
    r.frames.forEach((snap, k) => expect(fill(k) === "#E6E6E6", `db1 at ${snap.tMs}`).toBe(!snap.nodes[0].up));
    expect(f.frames.map((_, k) => fill(k)).filter((c) => c === "#E6E6E6").length).toBeGreaterThan(10);
  });

  test("replayFrame gives a static figure of one frame, for export", () => {
    const k = frameIndex(fig, { atMs: 1100 });
    const still = replayFrame(fig, { atMs: 1100 }) as unknown as typeof fig;
    expect(still.layout.sliders).toBeUndefined();
    expect(still.layout.updatemenus).toBeUndefined();
    expect(still.layout.title.text).toContain(`t = ${rec.frames[k].tMs.toFixed(0)} ms`);
    const captions = fig.data.findIndex((t) => t.name === "node captions");
    expect((still.data[captions].text as string[])[0]).toContain("balance = 20");
    expect(fig.data[captions].text).not.toEqual(still.data[captions].text); // the replay itself is unchanged
    expect(() => replayFrame(fig, 1.5)).toThrow(RangeError);
  });

  test("stays small: bounded frames, downsampled series (sizes logged)", () => {
    const sizes: string[] = [];
    for (const [name, s, opts] of [
      ["witness, 60 frames", witnessStory(), { frames: 60 }],
      ["witness zoomed, 66 frames", witnessStory(), { frames: 66, fromMs: 995, toMs: 1060 }],
      ["split-brain, 60 frames", splitBrain(), { frames: 60 }],
      ["failover, 60 frames", failover(), { frames: 60 }],
      ["failover, 200 frames", failover(), { frames: 200, messages: true }],
      ["async lag, 60 frames", asyncLag(), { frames: 60 }],
    ] as const) {
      const html = chartHtml(asChartFigure(replay(s, opts)));
      sizes.push(`${name}: ${(html.length / 1024).toFixed(0)} KB`);
      expect(html.length).toBeLessThan(opts.frames === 200 ? 600_000 : 250_000);
    }
    console.log(`replay sizes (page HTML, without plotly.js): ${sizes.join("; ")}`);
  });
});
