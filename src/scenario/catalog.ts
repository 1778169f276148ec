import { readdirSync, readFileSync } from "fs";
import { join } from "path";

/**
 * Scenario files come in kinds: cluster scenarios (replication, this module's format: no `kind`
 * field), and the atomic-commit, saga and sharded experiments (`"kind": "atomic-commit"` / `"saga"` /
 * `"sharded"`), each with its own format. This lists the files of one kind in a folder, sorted.
 */
export function scenarioFilesOfKind(dir: string, kind = "cluster"): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .filter((f) => kindOf(join(dir, f)) === kind)
    .sort();
}

/** The `kind` a scenario file declares ("cluster" when it declares none, or is not readable JSON). */
export function kindOf(path: string): string {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as { kind?: unknown };
    return typeof value.kind === "string" ? value.kind : "cluster";
  } catch {
    return "cluster";
  }
}
