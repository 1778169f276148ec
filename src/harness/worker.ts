import { parentPort } from "node:worker_threads";
import { runTask, type SeedTask } from "./pool";

/** A pool worker: runs each chunk of seeds it is sent and answers with their outcomes. */
parentPort?.on("message", (tasks: SeedTask[]) => {
  parentPort!.postMessage(tasks.map(runTask));
});
