#!/usr/bin/env node
// Notebook files for the course, in the one shape the repo commits: nbformat 4.5, cell ids, no
// outputs, the replicalab TypeScript kernelspec. Two commands:
//
//   node scripts/make-notebook.js from SRC OUT.ipynb   build a notebook from a "percent" text file
//   node scripts/make-notebook.js clean NB.ipynb...    normalise notebooks in place (after editing
//                                                     in Jupyter: drops outputs, adds missing ids)
//
// Percent format (as jupytext's): a line `// %%` starts a code cell, `// %% [markdown]` a markdown
// cell whose lines drop their leading `// `. Text before the first marker is ignored. Cell ids are
// a hash of the cell's content (and its rank among identical cells), so regenerating an unchanged
// notebook gives the same file and inserting a cell does not renumber the others.
"use strict";
const fs = require("node:fs");
const crypto = require("node:crypto");

const KERNELSPEC = { name: "replicalab-ts", display_name: "TypeScript (replicalab)", language: "typescript" };
const LANGUAGE_INFO = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" };

/** Splits percent-format text into cells. */
function parsePercent(text) {
  const cells = [];
  let current = null;
  for (const line of text.split("\n")) {
    const marker = /^\/\/ %%(?:\s+\[(\w+)\])?\s*$/.exec(line);
    if (marker) {
      current = { cell_type: marker[1] === "markdown" ? "markdown" : "code", lines: [] };
      cells.push(current);
    } else if (current) {
      current.lines.push(current.cell_type === "markdown" ? line.replace(/^\/\/ ?/, "") : line);
    }
  }
  return cells.map((c) => ({ cell_type: c.cell_type, source: trimBlankLines(c.lines).join("\n") }));
}

function trimBlankLines(lines) {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === "") start++;
  while (end > start && lines[end - 1].trim() === "") end--;
  return lines.slice(start, end);
}

/** Jupyter stores a source as lines that keep their "\n" (all but the last). */
function sourceLines(source) {
  const lines = source.split("\n");
  return lines.map((l, i) => (i < lines.length - 1 ? l + "\n" : l)).filter((l) => l !== "");
}

function joinSource(source) {
  return Array.isArray(source) ? source.join("") : source;
}

function contentId(cell, seen) {
  const base = crypto.createHash("sha1").update(cell.cell_type + "\0" + joinSource(cell.source)).digest("hex").slice(0, 8);
  const n = seen.get(base) ?? 0;
  seen.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

/** The committed shape of a cell: no outputs or counts, a valid unique id. */
function cleanCell(cell, seen, usedIds) {
  const out = { cell_type: cell.cell_type, id: cell.id, metadata: cell.metadata ?? {}, source: sourceLines(joinSource(cell.source)) };
  if (!out.id || !/^[a-zA-Z0-9_-]{1,64}$/.test(out.id) || usedIds.has(out.id)) out.id = contentId(cell, seen);
  usedIds.add(out.id);
  if (cell.cell_type === "code") {
    out.execution_count = null;
    out.outputs = [];
  }
  if (cell.attachments) out.attachments = cell.attachments;
  return out;
}

function cleanNotebook(nb) {
  const seen = new Map();
  const usedIds = new Set();
  const metadata = { ...(nb.metadata ?? {}), kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO };
  return { cells: nb.cells.map((c) => cleanCell(c, seen, usedIds)), metadata, nbformat: 4, nbformat_minor: 5 };
}

function notebookFromPercent(text) {
  const seen = new Map();
  return cleanNotebook({ cells: parsePercent(text).map((c) => ({ ...c, id: contentId(c, seen) })), metadata: {} });
}

/** Serialised as Jupyter does (sorted keys, 1-space indent, trailing newline), so a save in Jupyter
 * followed by `clean` gives back the same bytes. */
function serialize(nb) {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys(value[k])]));
}

function main(argv) {
  const [command, ...args] = argv;
  if (command === "from" && args.length === 2) {
    fs.writeFileSync(args[1], serialize(notebookFromPercent(fs.readFileSync(args[0], "utf8"))));
    console.log(`wrote ${args[1]}`);
  } else if (command === "clean" && args.length > 0) {
    for (const file of args) {
      const before = fs.readFileSync(file, "utf8");
      const after = serialize(cleanNotebook(JSON.parse(before)));
      if (after !== before) fs.writeFileSync(file, after);
      console.log(`${after === before ? "clean" : "cleaned"} ${file}`);
    }
  } else {
    console.error("usage: make-notebook.js from SRC OUT.ipynb | clean NB.ipynb...");
    return 2;
  }
  return 0;
}

module.exports = { parsePercent, notebookFromPercent, cleanNotebook, serialize, KERNELSPEC };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
