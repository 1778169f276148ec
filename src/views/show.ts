/**
 * `replay()` and `showReplay()`: the one-line calls notebooks use.
 *
 * A replay is shown through the chart module's `show`, so plotly.js is still inlined once per kernel
 * session, shared with every other chart. `show` hands `fig.data` to `Plotly.newPlot(el, data,
 * layout, config)`, and plotly.js takes a plain object in place of the data array as a whole figure
 * `{data, layout, config, frames}`: that is how the frames get through. (test/views checks that the
 * page draws the frames, so a change there cannot break replays silently.)
 */
import { show } from "../charts/display";
import type { Figure } from "../charts/types";
import type { Recording } from "./model";
import type { ReplayFigure } from "./plotly";
import { recordRun, type RecordOptions } from "./record";
import { replayFigure, type ReplayFigureOptions } from "./replay";
import type { RunSource } from "./source";

export type ReplayOptions = RecordOptions & ReplayFigureOptions;

export function isReplayFigure(x: unknown): x is ReplayFigure {
  return typeof x === "object" && x !== null && Array.isArray((x as ReplayFigure).frames) && Array.isArray((x as ReplayFigure).frameTimesMs);
}

export function isRecording(x: unknown): x is Recording {
  return typeof x === "object" && x !== null && Array.isArray((x as Recording).frames) && Array.isArray((x as Recording).story) && "traffic" in x;
}

/**
 * Records a run (a scenario file or object, an `Experiment`, or a `Recording`) and builds its
 * scrubbable replay figure.
 *
 * @example
 * const fig = replay(run, { frames: 60 });                       // the whole run
 * const zoom = replay(run, { frames: 80, fromMs: 995, toMs: 1060 }); // a few ms: every message moves
 */
export function replay(source: RunSource | Recording, options: ReplayOptions = {}): ReplayFigure {
  const rec = isRecording(source) ? source : recordRun(source, options);
  const fig = replayFigure(rec, options);
  Object.defineProperty(fig, Symbol.for("nodejs.util.inspect.custom"), {
    enumerable: false,
    value: () => `ReplayFigure ${rec.scenario.name}: ${fig.frames.length} frames, ${fig.data.length} traces (show it with showReplay)`,
  });
  return fig;
}

/**
 * Shows a replay below the cell (plotly.js inlined once per kernel session, as for every chart).
 * Takes a figure from `replay()`, or anything `replay()` takes (then with its options). Outside a
 * kernel returns the HTML (a div and a script; plotly.js itself is `plotlyScriptHtml()`).
 *
 * @example
 * showReplay(run, { frames: 60 });
 * showReplay("data/scenarios/nb02-primary-crash.json", { frames: 40, key: null });
 */
export function showReplay(figOrSource: ReplayFigure | Recording | RunSource, options: ReplayOptions = {}): string | undefined {
  const fig = isReplayFigure(figOrSource) ? figOrSource : replay(figOrSource, options);
  return show(asChartFigure(fig));
}

/** The replay in the shape the chart module's `show` draws: the whole figure in `data` (see above). */
export function asChartFigure(fig: ReplayFigure): Figure {
  const whole = { data: fig.data, layout: fig.layout, config: fig.config, frames: fig.frames };
  return {
    data: whole,
    layout: { height: fig.layout.height, width: fig.layout.width },
    config: {},
  } as unknown as Figure;
}
