import { withProvenance } from "./provenance";
import { applyTheme } from "./theme";
import type { ChartOptions, Figure } from "./types";

/** The last step of every builder: provenance in the corner (if known), then the theme. */
export function finishFigure(fig: Figure, opts: ChartOptions): Figure {
  return applyTheme(opts.provenance ? withProvenance(fig, opts.provenance) : fig, opts.theme ?? "notebook");
}
