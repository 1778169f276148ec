/**
 * Provenance: which scenario, seed and replicalab version produced a chart, so a chart pasted into
 * slides can always be reproduced. Shown small in the bottom-right corner and kept on the figure for
 * the exporter's file metadata.
 */
import type { Annotation, Figure, Provenance } from "./types";

/** "async-failover · seed 42 · replicalab 0.1.0" */
export function provenanceText(p: Provenance): string {
  return `${p.scenario} · seed ${p.seed} · replicalab ${p.version}`;
}

/** The corner annotation (the theme places it at the figure's bottom edge and sizes it). */
export function provenanceAnnotation(p: Provenance): Annotation {
  return {
    name: "provenance", text: provenanceText(p), showarrow: false,
    xref: "paper", yref: "paper", x: 1, y: 0, xanchor: "right", yanchor: "top",
  };
}

/** `fig` carrying `p` (replacing any earlier provenance) both as a field and as the corner note. */
export function withProvenance(fig: Figure, p: Provenance): Figure {
  const others = fig.layout.annotations.filter((a) => a.name !== "provenance");
  return { ...fig, provenance: p, layout: { ...fig.layout, annotations: [...others, provenanceAnnotation(p)] } };
}
