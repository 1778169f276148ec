#!/usr/bin/env node
// The `replicalab` command. The TypeScript sources are compiled to lib/ by `npm install` (prepare).
"use strict";
// A reader that stops early (`replicalab run x.json | head`) is not an error.
process.stdout.on("error", (error) => {
  if (error && error.code === "EPIPE") process.exit(0);
  throw error;
});
const { main } = require("../lib/cli");
main(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`replicalab: internal error: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
