/**
 * Two looks for the same figure: `notebook` (fits a notebook column, resizes with it) and `slides`
 * (1920x1080, type readable from the back of a room, thick lines, high contrast). Builders make a
 * figure once; `applyTheme` restyles it, so the exporter can render a notebook chart for slides.
 */
import type { Annotation, Figure, Font, ThemeName, Trace } from "./types";

export interface Theme {
  /** Fixed pixel width, or undefined to follow the page (notebook). */
  width: number | undefined;
  height: number;
  fontFamily: string;
  textColour: string;
  gridColour: string;
  fontPx: number;
  titlePx: number;
  axisTitlePx: number;
  tickPx: number;
  legendPx: number;
  /** Provenance and fault labels: small, but still legible on a projector. */
  notePx: number;
  linePx: number;
  markerPx: number;
  faultOpacity: number;
  margin: { l: number; r: number; t: number; b: number };
}

export const THEMES: Readonly<Record<ThemeName, Theme>> = {
  notebook: {
    width: undefined, height: 440,
    fontFamily: "Arial, Helvetica, sans-serif", textColour: "#222222", gridColour: "#E6E6E6",
    fontPx: 13, titlePx: 18, axisTitlePx: 14, tickPx: 12, legendPx: 12, notePx: 10,
    linePx: 2, markerPx: 6, faultOpacity: 0.18,
    margin: { l: 70, r: 30, t: 90, b: 80 },
  },
  slides: {
    width: 1920, height: 1080,
    fontFamily: "Arial, Helvetica, sans-serif", textColour: "#000000", gridColour: "#BDBDBD",
    fontPx: 26, titlePx: 44, axisTitlePx: 32, tickPx: 26, legendPx: 28, notePx: 18,
    linePx: 5, markerPx: 12, faultOpacity: 0.22,
    margin: { l: 150, r: 60, t: 190, b: 170 },
  },
};

/** A copy of `fig` styled with `theme`; every size is set absolutely, so re-theming is safe. */
export function applyTheme(fig: Figure, themeName: ThemeName): Figure {
  const theme = THEMES[themeName];
  const font = (size: number): Font => ({ size, color: theme.textColour, family: theme.fontFamily });
  const axisStyle = { tickfont: font(theme.tickPx), gridcolor: theme.gridColour, linecolor: theme.textColour,
    showline: true, linewidth: themeName === "slides" ? 2 : 1, automargin: true };
  const { layout } = fig;
  return {
    ...fig,
    data: fig.data.map((trace) => styleTrace(trace, theme)),
    layout: {
      ...layout,
      font: font(theme.fontPx),
      title: { ...layout.title, font: font(theme.titlePx), x: 0, xanchor: "left", pad: { l: theme.margin.r } },
      xaxis: { ...layout.xaxis, ...axisStyle, title: { ...layout.xaxis.title, font: font(theme.axisTitlePx) } },
      yaxis: { ...layout.yaxis, ...axisStyle, title: { ...layout.yaxis.title, font: font(theme.axisTitlePx) } },
      // Above the plot, under the title: never covers data, and reads left to right like the title.
      legend: { orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom", font: font(theme.legendPx) },
      shapes: layout.shapes.map((s) => ({ ...s, opacity: theme.faultOpacity })),
      annotations: layout.annotations.map((a) => styleAnnotation(a, theme)),
      width: theme.width,
      height: theme.height,
      autosize: theme.width === undefined,
      margin: { ...theme.margin },
      paper_bgcolor: "#FFFFFF",
      plot_bgcolor: "#FFFFFF",
    },
    config: { ...fig.config, responsive: theme.width === undefined, displaylogo: false },
  };
}

function styleTrace(trace: Trace, theme: Theme): Trace {
  const styled: Trace = { ...trace };
  if (trace.type === "scatter") {
    styled.line = { ...trace.line, width: theme.linePx };
    if (trace.mode !== "lines") styled.marker = { ...trace.marker, size: theme.markerPx };
  }
  if (trace.texttemplate !== undefined) styled.textfont = { size: theme.tickPx, color: theme.textColour, family: theme.fontFamily };
  return styled;
}

function styleAnnotation(a: Annotation, theme: Theme): Annotation {
  const colour = a.name === "provenance" ? "#555555" : theme.textColour;
  // The provenance line sits at the bottom edge of the figure, inside the bottom margin.
  const yshift = a.name === "provenance" ? -(theme.margin.b - theme.notePx * 1.6) : a.yshift;
  return { ...a, yshift, font: { size: theme.notePx, color: colour, family: theme.fontFamily } };
}
