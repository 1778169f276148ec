// The offline course site: nbconvert HTML pages rewritten to load everything from the site's own
// assets/ folder, an index page with the course map, and links between lessons.
//
// nbconvert's template links two scripts from the local system, which exist only on a machine with
// Debian's packages: require.js (file:///usr/share/javascript/requirejs/require.min.js, 26 kB) and
// MathJax 2 (file:///usr/share/javascript/mathjax/MathJax.js, 54 MB installed). Both are copied
// into assets/: require.js whole, MathJax as the subset its TeX-AMS_CHTML-full configuration loads
// (about 2 MB: the combined config, TeX input, CommonHTML output, extensions, TeX web fonts).
// plotly.js, which `show` inlines into the first chart output of each notebook (4.8 MB per page),
// becomes one shared assets/plotly.min.js, so the zipped site carries it once.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const common = require("./common");

const REQUIREJS = "/usr/share/javascript/requirejs/require.min.js";
const MATHJAX = "/usr/share/javascript/mathjax";
/** The parts of MathJax 2 that `MathJax.js?config=TeX-AMS_CHTML-full,Safe` loads. */
const MATHJAX_PARTS = [
  "MathJax.js", "config/TeX-AMS_CHTML-full.js", "extensions", "jax/input/TeX", "jax/element",
  "jax/output/CommonHTML", "fonts/HTML-CSS/TeX/woff", "fonts/HTML-CSS/TeX/otf", "localization/en",
];

const STYLE = `
.rl-nav{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;display:flex;gap:1em;align-items:center;
  justify-content:space-between;padding:.6em 1.2em;background:#f3f5f8;border-bottom:1px solid #d6dbe3}
.rl-nav.rl-bottom{border-top:1px solid #d6dbe3;border-bottom:none;margin-top:2em}
.rl-nav a{color:#0b5cad;text-decoration:none}.rl-nav a:hover{text-decoration:underline}
.rl-nav .rl-here{color:#555}.rl-nav .rl-none{color:#aaa}
`;

/** Copies require.js, the MathJax subset and plotly.js into `siteDir/assets`; returns what is missing. */
function copyAssets(siteDir) {
  const assets = path.join(siteDir, "assets");
  fs.mkdirSync(assets, { recursive: true });
  const missing = [];
  fs.copyFileSync(require.resolve("plotly.js-dist-min/plotly.min.js", { paths: [common.ROOT] }), path.join(assets, "plotly.min.js"));
  if (fs.existsSync(REQUIREJS)) fs.copyFileSync(REQUIREJS, path.join(assets, "require.min.js"));
  else missing.push(REQUIREJS);
  for (const part of MATHJAX_PARTS) {
    const from = path.join(MATHJAX, part);
    if (!fs.existsSync(from)) {
      missing.push(from);
      continue;
    }
    fs.cpSync(from, path.join(assets, "mathjax", part), { recursive: true, dereference: true });
  }
  fs.writeFileSync(path.join(assets, "course.css"), STYLE.trimStart());
  return missing;
}

function navHtml(lessons, index, where) {
  const prev = index > 0 ? lessons[index - 1] : undefined;
  const next = index < lessons.length - 1 ? lessons[index + 1] : undefined;
  const link = (l, rel, label) => (l
    ? `<a class="rl-${rel}" rel="${rel}" href="${l.name}.html">${label}</a>`
    : `<span class="rl-none">${label.replace(/<[^>]+>/g, "")}</span>`);
  return `<nav class="rl-nav rl-${where}" aria-label="lessons">` +
    `${link(prev, "prev", `&larr; ${prev ? common.escapeHtml(prev.title) : "previous"}`)}` +
    `<a class="rl-index" href="index.html">Course map</a>` +
    `${link(next, "next", `${next ? common.escapeHtml(next.title) : "next"} &rarr;`)}</nav>`;
}

/**
 * Rewrites one nbconvert page for the site. Throws when the page still refers to a local system
 * file or loads anything over the network (the site would then break on another machine).
 */
function rewritePage(html, lessons, index) {
  let out = html
    .replace(/(<script[^>]*\bsrc=")file:\/\/\/usr\/share\/javascript\/requirejs\/require(?:\.min)?\.js(")/g, "$1assets/require.min.js$2")
    .replace(/(<script[^>]*\bsrc=")file:\/\/\/usr\/share\/javascript\/mathjax\/MathJax\.js([^"]*")/g, "$1assets/mathjax/MathJax.js$2");
  // The inlined plotly.js (one script per page, in the first chart output) -> the shared copy.
  const marker = /<script type="text\/javascript">\/\* plotly\.js [^*]*, inlined by replicalab \*\//;
  const m = marker.exec(out);
  if (m) {
    const end = out.indexOf("</script>", m.index);
    out = `${out.slice(0, m.index)}<script type="text/javascript" src="assets/plotly.min.js"></script>${out.slice(end + "</script>".length)}`;
  }
  out = out.replace(/<title>[^<]*<\/title>/, `<title>${common.escapeHtml(lessons[index].title)} · replicalab course</title>`);
  out = out.replace(/<\/head>/, `<link rel="stylesheet" href="assets/course.css">\n</head>`);
  out = out.replace(/(<body[^>]*>)/, `$1\n${navHtml(lessons, index, "top")}`);
  out = out.replace(/<\/body>/, `${navHtml(lessons, index, "bottom")}\n</body>`);
  const bad = externalReferences(out);
  if (bad.length > 0) throw new Error(`${lessons[index].name}.html still loads ${bad.join(", ")}`);
  return out;
}

/** src/href attributes of script, link, img and iframe elements that point off the site. */
function externalReferences(html) {
  const refs = [];
  const re = /<(script|link|img|iframe|source|video|audio)\b[^>]*?\b(src|href)="([^"]*)"/gi;
  let m;
  while ((m = re.exec(html)) !== null) {
    const url = m[3];
    if (/^(file:|https?:|\/\/|\/)/i.test(url)) refs.push(url);
  }
  return refs;
}

function indexHtml(lessons, meta) {
  const total = lessons.reduce((s, l) => s + l.minutes, 0);
  const rows = lessons.map((l) => {
    const goals = l.goals.length > 0
      ? `<ul>${l.goals.map((g) => `<li>${common.inlineMarkdown(g)}</li>`).join("")}</ul>`
      : "<p class=\"none\">(no learning goals listed)</p>";
    const extras = [`${l.exercises} exercise${l.exercises === 1 ? "" : "s"}`, `${l.charts} chart${l.charts === 1 ? "" : "s"}`];
    if (l.failed) extras.push("<strong>did not run to the end in this build</strong>");
    return `<tr><td class="num">${common.escapeHtml(l.name.split("-")[0])}</td>` +
      `<td><a href="${l.name}.html">${common.escapeHtml(l.title)}</a>${goals}</td>` +
      `<td class="time">${l.minutes} min</td><td class="extra">${extras.join(" · ")}</td></tr>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>replicalab course map</title>
<style>
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:.2em}.sub{color:#555;margin-top:0}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.6em .5em;vertical-align:top;text-align:left}
td.num{font-weight:bold;color:#667}td.time{white-space:nowrap}td.extra{color:#555;font-size:.9em}
td ul{margin:.3em 0 0 1.1em;padding:0;font-size:.92em;color:#333}a{color:#0b5cad}.none{color:#999;margin:.3em 0}
code{background:#f3f3f6;padding:0 .2em;border-radius:3px}footer{margin-top:2em;color:#777;font-size:.85em}
</style></head>
<body>
<h1>replicalab: the course map</h1>
<p class="sub">${lessons.length} lessons · about ${Math.round(total / 5) * 5} minutes in all (${(total / 60).toFixed(1)} h). Work through them in order: each builds on the one before.</p>
<table>
<thead><tr><th>#</th><th>Lesson and its goals</th><th>Time</th><th></th></tr></thead>
<tbody>
${rows}
</tbody></table>
<footer>Built ${common.escapeHtml(meta.builtAt)} with replicalab ${common.escapeHtml(meta.version)}. Every page works offline, from a folder or a zip;
the charts are interactive (hover, zoom, double-click to reset). Times are estimates for a first pass with the exercises.</footer>
</body></html>
`;
}

module.exports = { copyAssets, rewritePage, externalReferences, indexHtml, navHtml };
