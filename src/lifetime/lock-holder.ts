import { readFileSync, statSync } from "node:fs";
import { lockPath } from "./server-lock.ts";

/** The process holding a database's lock, as far as the operating system says. */
export interface LockHolder {
  readonly pid: number;
  /** `sos start` or `sos restore`, when its command line says which */
  readonly command: string | null;
}

/**
 * Which process holds `<database>.lock`, when the operating system will say: on Linux,
 * `/proc/locks` lists each POSIX lock with its holder's pid and the locked file's inode. The pid
 * the lock file itself records cannot be read while it is held (the holder keeps it locked
 * exclusively), and a pid written anywhere else could be a dead process's. null when this is not
 * Linux, or the lock is not listed (it was let go meanwhile).
 */
export function lockHolder(dbPath: string): LockHolder | null {
  let inode: number;
  let locks: string;
  try {
    inode = statSync(lockPath(dbPath)).ino;
    locks = readFileSync("/proc/locks", "utf8");
  } catch {
    return null;
  }
  for (const line of locks.split("\n")) {
    // "1: POSIX  ADVISORY  WRITE 4242 fe:00:2244658 0 EOF": the pid, then major:minor:inode.
    const m = /^\d+:\s+(?:POSIX|OFDLCK)\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    const pid = Number(m?.[1]);
    if (m && Number(m[2]) === inode && pid > 0 && pid !== process.pid)
      return { pid, command: commandOf(pid) };
  }
  return null;
}

/** `sos <word>` from the process's arguments (`node …/bin/sos.js start`), or null. */
function commandOf(pid: number): string | null {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const at = args.findIndex((a) => /(^|\/)sos(\.js)?$/.test(a));
    const word = at >= 0 ? args[at + 1] : undefined;
    return word && /^[a-z-]+$/.test(word) ? `sos ${word}` : null;
  } catch {
    return null;
  }
}
