/** What every lab system shares: the lab folder, its trash, and the "not installed" error. */
import * as fs from "fs";
import * as path from "path";

/** The default lab folder. */
export function labDir(dir?: string): string {
  return path.resolve(dir ?? process.env.REPLICALAB_LAB_DIR ?? ".lab");
}

/** Thrown when the lab's binaries are missing; its message says what to install. */
export class LabUnavailableError extends Error {}

const removals = new Set<Promise<void>>();

/**
 * Moves a stopped cluster's folder to `<lab>/trash/` at once and deletes it in the background
 * (deleting thousands of small files takes seconds on a busy machine; nothing waits for it).
 */
export function removeInBackground(root: string, dir: string): void {
  if (!fs.existsSync(dir)) return;
  const trash = path.join(root, "trash", `${path.basename(dir)}-${Date.now()}-${process.pid}`);
  fs.mkdirSync(path.dirname(trash), { recursive: true });
  fs.renameSync(dir, trash);
  deleteLater(trash);
}

/** Deletes (in the background) what earlier processes left in the trash. */
export function emptyTrash(root: string): void {
  const trash = path.join(root, "trash");
  if (!fs.existsSync(trash)) return;
  for (const old of fs.readdirSync(trash)) if (!old.endsWith(`-${process.pid}`)) deleteLater(path.join(trash, old));
}

function deleteLater(dir: string): void {
  const p = fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  removals.add(p);
  void p.then(() => removals.delete(p));
}

/** Resolves when every background removal of this process is done (tests, before they check the disk). */
export async function removalsDone(): Promise<void> {
  await Promise.all([...removals]);
}

export function ensureLabRoot(root: string): void {
  fs.mkdirSync(root, { recursive: true });
  const readme = path.join(root, "README");
  if (!fs.existsSync(readme)) {
    fs.writeFileSync(readme, "Created by `replicalab lab`: data of the real-systems lab (PostgreSQL, etcd).\n" +
      "Stop the servers with `npx replicalab lab postgres down` / `npx replicalab lab etcd down`; then this folder can be deleted.\n");
  }
}

