/**
 * The `replicalab` command line: `replicalab <command> ...`. Each command lives in src/cli/ and is
 * registered here; bin/replicalab.js calls `main`.
 */
export { main, usage } from "./cli/main";
