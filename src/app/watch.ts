import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

/** How long the files must be quiet before a change is acted on: an editor's save is several events. */
export const SETTLE_MS = 300;

export interface FileWatch {
  /** watch the files `files()` names now (after a reload that names another staff file) */
  refresh(): void;
  close(): void;
}

/**
 * Calls `changed` once the named files have been quiet for `settleMs` after a change. Each file's
 * folder is watched, not the file: editors save by writing a new file and renaming it over the old
 * one, and a watch on the old file would see nothing after the first save.
 */
export function watchFiles(
  files: () => readonly string[],
  changed: () => void,
  opts: { settleMs?: number; log?: (line: string) => void } = {},
): FileWatch {
  const settleMs = opts.settleMs ?? SETTLE_MS;
  const watchers = new Map<string, { watcher: FSWatcher; names: Set<string> }>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const soon = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) changed();
    }, settleMs);
  };

  const refresh = () => {
    if (closed) return;
    const wanted = new Map<string, Set<string>>();
    for (const f of files()) {
      const names = wanted.get(dirname(f)) ?? new Set<string>();
      names.add(basename(f));
      wanted.set(dirname(f), names);
    }
    for (const [dir, w] of watchers) {
      if (!wanted.has(dir)) {
        w.watcher.close();
        watchers.delete(dir);
      }
    }
    for (const [dir, names] of wanted) {
      const existing = watchers.get(dir);
      if (existing) {
        existing.names.clear();
        for (const n of names) existing.names.add(n);
        continue;
      }
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          // Some platforms name no file: then any change in the folder is looked at.
          if (name === null || watchers.get(dir)?.names.has(name.toString())) soon();
        });
        watcher.on("error", () => {
          opts.log?.(`config: stopped watching ${dir} (it went away); SIGHUP still reloads`);
          watcher.close();
          watchers.delete(dir);
        });
        watchers.set(dir, { watcher, names });
      } catch (e) {
        opts.log?.(
          `config: can't watch ${dir} (${(e as NodeJS.ErrnoException).code ?? "error"}); SIGHUP still reloads`,
        );
      }
    }
  };

  refresh();
  return {
    refresh,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const w of watchers.values()) w.watcher.close();
      watchers.clear();
    },
  };
}
