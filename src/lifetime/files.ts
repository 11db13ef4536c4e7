import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Files that hold children's records (backups, restored databases, subject-access exports) are
 * readable by their owner only: mode 0600 from the moment they exist, never widened afterwards.
 */
export const PRIVATE_MODE = 0o600;

/** Creates an empty private file; refuses (EEXIST) when something is already there. */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, "wx", PRIVATE_MODE));
  // The umask can only narrow the mode; set it exactly, in case the file system ignored it.
  chmodSync(path, PRIVATE_MODE);
}

/** A name beside `path` for writing before renaming into place: same folder, so the rename is atomic. */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}

/**
 * Writes `content` to a private file at `path`, whole or not at all: written beside it, flushed,
 * then `commit` runs (an audit line, say, on either store) and only then is it renamed into place.
 * If `commit` throws, no file appears.
 */
export async function writePrivateFile(
  path: string,
  content: string | Buffer,
  commit: () => Promise<void> = async () => {},
): Promise<void> {
  const tmp = writePartial(path, content);
  try {
    await commit();
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The content written and flushed to a private file beside `path`: its name. */
function writePartial(path: string, content: string | Buffer): string {
  const tmp = partialPath(path);
  rmSync(tmp, { force: true });
  const fd = openSync(tmp, "wx", PRIVATE_MODE);
  try {
    writeSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fsyncSync(fd);
    chmodSync(tmp, PRIVATE_MODE);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  return tmp;
}

/** Flushes a folder's entries (a rename into it) to disk, where the platform allows it. */
export function syncFolder(path: string): void {
  try {
    const fd = openSync(path, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform lets a folder be opened for fsync; the rename itself has happened.
  }
}
