/**
 * The `replicalab` command line: `replicalab <command> ...`. Each command lives in src/cli/ and is
 * registered here; bin/replicalab.js calls `main`.
 */
import { main, registerCommand, usage } from "./cli/main";

registerCommand("export", "replicalab export <scenario.json> [--chart lag,availability,latency,throughput] [--format png|svg] [--theme notebook|slides] [--out DIR] [--seed N]", () => async (argv, io) => {
  const { exportCommand } = await import("./cli/export");
  const { experiment } = await import("./notebook/experiment");
  return exportCommand(argv, io, { runScenario: async (file, seed) => experiment(file, { seed }).data });
});

registerCommand("check-history", "replicalab check-history <history> --format jepsen-etcd|porcupine-kv|replicalab [--json] [--timeout-ms N]", () => async (argv, io) => {
  const { checkHistoryCommand } = await import("./cli/check-history");
  return checkHistoryCommand(argv, io);
});

registerCommand("lab", "replicalab lab check | postgres|etcd up|down|status|<experiment> | compare  (real PostgreSQL and etcd on loopback; replicalab lab --help)", () => async (argv, io) => (await import("./lab/cli")).labCommand(argv, io));
export { main, usage };
