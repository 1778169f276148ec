/**
 * The live view: a run played in (sped-up or slowed-down) real time in ONE display entry of the
 * notebook, at most 10 frames per second, ending with its final frame. The simulation runs in
 * slices of virtual time (`runUntil`) with real-time waits in between (src/views/pacing.ts), so the
 * result is exactly `experiment()`'s: same summary, same data, same `eventHash`. Headless (see
 * kernel.ts) it runs at full speed and shows only the final frame.
 */
import { collectLatencies } from "../notebook/experiment";
import type { Observable } from "rxjs";
import type { ChartData, LatencySamples } from "../charts/types";
import { type EventBatch } from "../events";
import { throughputPerWindow, type ThroughputWindow } from "../metrics/operators/throughput";
import { availabilitySeries, lagSeries, throughputSeries } from "../metrics/series";
import { summarize } from "../metrics/summary";
import { defaultWindowMs, type Experiment } from "../notebook/experiment";
import { Simulation } from "../sim/simulation";
import { VERSION } from "../version";
import { headlessReason, newDisplayEntry } from "./kernel";
import { liveFrameHtml } from "./live-frame";
import { Pacer, realClock, type Clock } from "./pacing";
import { defaultKey, RunRecorder } from "./recorder";
import { checkReproduced, resolveSource, type RunSource, type SourceOptions } from "./source";
import type { StoryDetail } from "./story";

export const MAX_FPS = 10;
/** Without a speed, a run is shown in about this much real time. */
export const DEFAULT_LIVE_SECONDS = 10;

export interface LiveOptions extends SourceOptions {
  /** Virtual time per real time: 5 shows 1 virtual second every 200 ms. Default: the run takes about 10 s. */
  speed?: number;
  /** Frames per second, at most 10 (default 10). */
  fps?: number;
  /** Longest real time a live run may take (s, default 60): a slower speed is raised to fit. */
  maxSeconds?: number;
  /** The store key each node shows (default: the first key the script names; null: none, then log positions). */
  key?: string | null;
  /** Metric windows (ms); default as `experiment()`. */
  windowMs?: number;
  /** Record the client history (as `experiment()`). */
  recordHistory?: boolean;
  /** Which events become story lines (default "auto"). */
  story?: StoryDetail;
  /** Story lines shown (default 6). */
  eventLines?: number;
  /** Pace in real time (true) or jump to the end (false). Default: paced unless headless (kernel.ts). */
  interactive?: boolean;
  /** Where frames go (each call replaces the last). Default: a new tslab display entry; none outside a kernel. */
  display?: (html: string) => void;
  /** The pacing clock (tests pass a fake one). */
  clock?: Clock;
}

/** What `live()` returns: the run as `experiment()` returns it, plus how it was shown. */
export interface LiveRun extends Experiment {
  live: {
    /** Display updates made (frames shown). */
    frames: number;
    /** Paced in real time (false: headless, jumped to the end). */
    interactive: boolean;
    /** Why it was (not) paced. */
    reason: string;
    speed: number;
    fps: number;
    /** Real time the view took. */
    wallMs: number;
    /** The final frame's HTML (what stays in the notebook). */
    html: string;
  };
}

/**
 * Plays a run live in the notebook and returns it (as `experiment()` would). Await it: a cell that
 * does not await it may end before the run does, and its errors would vanish.
 *
 * @example
 * const run = await live("data/scenarios/nb02-primary-crash.json", { speed: 5 });  // 1 virtual s per 200 ms
 * run.summary.eventHash === experiment("data/scenarios/nb02-primary-crash.json").summary.eventHash; // true
 */
export async function live(source: RunSource, options: LiveOptions = {}): Promise<LiveRun> {
  const started = (options.clock ?? realClock).now();
  const resolved = resolveSource(source, options);
  const { scenario } = resolved;
  const durationMs = scenario.durationMs;
  const fps = Math.min(MAX_FPS, Math.max(0.1, options.fps ?? MAX_FPS));
  const maxSeconds = Math.max(1, options.maxSeconds ?? 60);
  const speed = Math.max(options.speed ?? durationMs / (DEFAULT_LIVE_SECONDS * 1000), durationMs / (maxSeconds * 1000));
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`views: live speed must be a positive number, got ${options.speed}`);

  const simulation = new Simulation(scenario, { recordHistory: options.recordHistory, bugs: options.bugs });
  const windowMs = options.windowMs ?? defaultWindowMs(durationMs);
  const key = options.key === undefined ? defaultKey(simulation) : options.key;
  const recorder = new RunRecorder(simulation, { windowMs, key, story: options.story });
  const extra = attachExperimentStreams(simulation.batches$, windowMs);

  const entry = options.display === undefined ? newDisplayEntry() : undefined;
  const display = options.display ?? (entry ? (html: string) => entry.html(html) : undefined);
  let interactive: boolean;
  let reason: string;
  if (options.interactive !== undefined) {
    interactive = options.interactive;
    reason = "the interactive option";
  } else if (display === undefined) {
    interactive = false;
    reason = "not in a notebook kernel (the final frame's HTML is in live.html)";
  } else {
    const why = headlessReason();
    interactive = why === null;
    reason = why ?? "an interactive notebook";
  }

  const witnesses = scenario.nodes.map((n) => n.role === "witness");
  const eventLines = Math.max(1, options.eventLines ?? 6);
  const frame = (status: string): string => {
    const snapshot = recorder.snapshot();
    return liveFrameHtml({
      title: scenario.name, tMs: snapshot.tMs, durationMs, status, snapshot, mode: scenario.replication.mode, witnesses, key,
      story: recorder.lines.slice(-eventLines), series: recorder.series(), faults: recorder.faults,
      provenance: { scenario: scenario.name, seed: scenario.seed, version: VERSION },
    });
  };
  let frames = 0;
  const show = (html: string) => {
    if (display === undefined) return;
    display(html);
    frames++;
  };

  const speedText = `live · ${formatSpeed(speed)}`;
  if (interactive && display !== undefined) {
    const pacer = new Pacer(options.clock ?? realClock, 1000 / fps);
    simulation.runUntil(0);
    show(frame(speedText));
    pacer.shown();
    for (;;) {
      const virtualMs = (await pacer.next()) * speed;
      if (virtualMs >= durationMs) break;
      simulation.runUntil(virtualMs);
      show(frame(speedText));
      pacer.shown();
    }
  }
  simulation.run();
  checkReproduced(resolved, simulation.eventHash);
  const html = frame(interactive ? "finished" : "finished (not paced: headless)");
  show(html);

  const experiment: Experiment = {
    scenario,
    summary: summarize(simulation),
    simulation,
    data: {
      provenance: { scenario: scenario.name, seed: scenario.seed, version: VERSION },
      lag: lagSeries(recorder.lag),
      availability: availabilitySeries(recorder.availability),
      throughput: throughputSeries(extra.throughput),
      latency: extra.latency,
      faults: recorder.faults,
    } satisfies ChartData,
    windows: { availability: recorder.availability, lag: recorder.lag, throughput: extra.throughput },
    history: simulation.history ? [...simulation.history, ...simulation.unfinishedHistory()] : null,
  };
  const result: LiveRun = {
    ...experiment,
    live: { frames, interactive, reason, speed, fps, wallMs: Math.round((options.clock ?? realClock).now() - started), html },
  };
  // A cell that ends with `await live(...)` echoes its value: one line, not the whole simulation.
  Object.defineProperty(result, Symbol.for("nodejs.util.inspect.custom"), {
    enumerable: false,
    value: () => `LiveRun ${scenario.name} (seed ${scenario.seed}): ${frames} frames in ${(result.live.wallMs / 1000).toFixed(1)} s, eventHash ${simulation.eventHash}`,
  });
  return result;
}

function formatSpeed(speed: number): string {
  return speed >= 1 ? `${Number(speed.toPrecision(3))}× real time` : `slow motion, ${Number((1 / speed).toPrecision(3))}× slower than real time`;
}

/** The streams `experiment()` collects besides lag and availability (which the recorder has). */
function attachExperimentStreams(batches: Observable<EventBatch>, windowMs: number): { throughput: ThroughputWindow[]; latency: LatencySamples } {
  const throughput: ThroughputWindow[] = [];
  batches.pipe(throughputPerWindow(windowMs)).subscribe((w) => throughput.push(w));
  const latency = collectLatencies(batches);
  return { throughput, latency };
}
