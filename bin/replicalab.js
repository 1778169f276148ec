#!/usr/bin/env node
// The `replicalab` command. The TypeScript sources are compiled to lib/ by `npm install` (prepare).
"use strict";
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
