/**
 * Provenance inside exported SVG files: a `<title>` (shown as the tooltip and read by screen
 * readers) and a `<metadata>` element with the provenance as JSON, both as the first children of the
 * root `<svg>`, where SVG expects them. Pure string functions.
 */
import { provenanceText } from "./provenance";
import type { Provenance } from "./types";

/** `svg` with a title ("<chart title> · <provenance>") and a JSON provenance metadata element. */
export function addSvgMetadata(svg: string, title: string, p: Provenance): string {
  const root = /<svg\b[^>]*>/.exec(svg);
  if (root === null) throw new Error("not an SVG document");
  const end = root.index + root[0].length;
  const meta = `<title>${xmlEscape(`${title} · ${provenanceText(p)}`)}</title>` +
    `<metadata id="replicalab-provenance">${xmlEscape(JSON.stringify(p))}</metadata>`;
  return svg.slice(0, end) + meta + svg.slice(end);
}

/** The provenance stored by `addSvgMetadata`, or undefined. */
export function readSvgProvenance(svg: string): Provenance | undefined {
  const m = /<metadata id="replicalab-provenance">([^<]*)<\/metadata>/.exec(svg);
  return m ? (JSON.parse(xmlUnescape(m[1])) as Provenance) : undefined;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function xmlUnescape(s: string): string {
  return s.replace(/&quot;/g, "\"").replace(/&gt;/g, ">").replace(/&lt;/g, "<").replace(/&amp;/g, "&");
}
