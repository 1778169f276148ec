/**
 * Views: watching a run. Two one-line calls for notebooks:
 *
 * ```ts
 * import { experiment, live, showReplay, replay, replayFrame, createExporter } from "replicalab";
 *
 * // Live: the run plays in ONE output, updated at most 10 times a second, in real time sped up
 * // (speed 5: one virtual second per 200 ms). Await it. It returns the run, exactly as experiment()
 * // would (same summary, data and eventHash). Headless (run-notebook.py, nbconvert, CI) it jumps to
 * // the end and leaves the final frame.
 * const run = await live("data/scenarios/nb02-primary-crash.json", { speed: 5 });
 *
 * // Scrubbable replay: a Plotly figure with a time slider and play/pause. The node strip, messages
 * // between nodes, the latest events in words, and lag / availability / conflicts with a cursor.
 * showReplay(run, { frames: 60 });
 *
 * // Zoom into a few milliseconds to watch single messages (prepare, promise, accept ...) travel:
 * showReplay(run, { frames: 80, fromMs: 995, toMs: 1060 });
 *
 * // One frame for slides, as PNG or SVG:
 * const fig = replay(run, { frames: 60, theme: "slides" });
 * const exporter = await createExporter();
 * await exporter.exportChart(replayFrame(fig, { atMs: 4200 }), { format: "png", file: "out/failover.png" });
 * await exporter.close();
 * ```
 *
 * Options shared by both: `key` (the store key each node shows, default the first key the script
 * names, e.g. "balance"; null for none: log positions are shown instead), `seed`, `windowMs`, `story`
 * ("auto" | "faults" | "all": which events are told). Live: `speed`, `fps` (<= 10), `maxSeconds`,
 * `interactive`. Replay: `frames` (default 60, max 200), `fromMs`/`toMs`, `messages` ("auto" | boolean |
 * kinds), `theme` ("notebook" | "slides"), `eventLines`, `frameMs` (play speed).
 *
 * Design: `RunRecorder` subscribes to a run like any metric and reads the cluster between
 * `runUntil` slices; the renderers (`liveFrameHtml`, `replayFigure`) are pure functions of what it
 * recorded; the only real-time code is `pacing.ts`. Set `REPLICALAB_HEADLESS=1` to force headless
 * (kernel.ts says how it is detected otherwise).
 */
export { live, MAX_FPS, DEFAULT_LIVE_SECONDS, type LiveOptions, type LiveRun } from "./live";
export { replay, showReplay, asChartFigure, isReplayFigure, isRecording, type ReplayOptions } from "./show";
export { replayFigure, replayFrame, frameIndex, type ReplayFigureOptions } from "./replay";
export { recordRun, frameTimes, frameCount, DEFAULT_FRAMES, MAX_FRAMES, type RecordOptions } from "./record";
export { RunRecorder, defaultKey, type RecorderOptions, type ConflictWindow } from "./recorder";
export { liveFrameHtml, type LiveFrameModel } from "./live-frame";
export { StoryTeller, type StoryDetail } from "./story";
export { headlessReason, inKernel } from "./kernel";
export { Pacer, realClock, type Clock } from "./pacing";
export type { RunSource, SourceOptions } from "./source";
export type {
  ClusterSnapshot, NodeView, NodeRoleView, LinkView, StoryLine, LinkTraffic, ViewSeries, Recording,
} from "./model";
export type { ReplayFigure, ViewTrace, ViewFrame, TracePatch, ViewLayout } from "./plotly";
