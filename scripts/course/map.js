#!/usr/bin/env node
// Prints the course map (lesson, estimated time, exercises, goals) as a Markdown table, from the
// notebooks as they are now: paste it into docs/instructor.md after adding or changing a notebook.
//   node scripts/course/map.js [--notebooks a.ipynb,b.ipynb]
"use strict";
const common = require("./common");

const lessons = common.selectedNotebooks(common.parseArgs(process.argv.slice(2))).map((f) => common.lessonInfo(f));
const cell = (s) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
console.log("| # | lesson | time | exercises | goals (after the lesson, learners can ...) |");
console.log("| --- | --- | --- | --- | --- |");
for (const l of lessons) {
  const goals = l.goals.map((g) => cell(g.replace(/[;,.]$/, ""))).join("; ");
  console.log(`| ${l.name.split("-")[0]} | [${cell(l.title.replace(/^\d+\s*·\s*/, ""))}](../notebooks/${l.name}.ipynb) | ${l.minutes} min | ${l.exercises} | ${goals || "(none listed)"} |`);
}
const total = lessons.reduce((s, l) => s + l.minutes, 0);
console.log(`\nTotal: about ${total} minutes (${(total / 60).toFixed(1)} hours) for ${lessons.length} lessons.`);
