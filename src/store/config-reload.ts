import type { Store } from "./open.ts";
import { type ConfigReloadRow, configReload } from "./schema.ts";

/** What a reload did, as kept for `sos config check`. */
export interface ReloadRecord {
  readonly at: string;
  readonly trigger: "file" | "signal";
  readonly applied: boolean;
  /** applied: what changed; refused: why, in one line */
  readonly summary: string;
  readonly problems: readonly string[];
}

/** Which process began serving which config, when: kept the same on both stores. */
export interface StartRecord {
  readonly pid: number;
  readonly at: string;
  readonly configPath: string;
  readonly timeZone: string;
}

/** The one `config_reload` row a start leaves on the SQLite file: no reload yet since it. */
export function startRow(start: StartRecord) {
  return {
    id: 1,
    pid: start.pid,
    startedAt: start.at,
    configPath: start.configPath,
    timeZone: start.timeZone,
    at: null,
    trigger: null,
    applied: null,
    summary: null,
    problems: null,
  };
}

/** `sos start` began serving this config: any earlier process's reload is no longer the story. */
export function recordStart(store: Store, start: StartRecord): void {
  const row = startRow(start);
  store.db.insert(configReload).values(row).onConflictDoUpdate({ target: configReload.id, set: row }).run();
}

/** The reload's outcome; inside the reload's own transaction when it applied. */
export function recordReload(store: Store, r: ReloadRecord): void {
  store.db
    .update(configReload)
    .set({
      at: r.at,
      trigger: r.trigger,
      applied: r.applied,
      summary: r.summary,
      problems: [...r.problems],
    })
    .run();
}

/** null when no `sos start` has run on this database since reloads were kept. */
export function readReloadState(store: Store): ConfigReloadRow | null {
  const exists = store.sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'config_reload'")
    .get();
  if (exists === undefined) return null;
  return store.db.select().from(configReload).get() ?? null;
}
