import type { Store } from "../../src/store/open.ts";

/** Every row of every table, as text: two equal snapshots mean the database did not change. */
export function dbSnapshot(store: Store): string {
  const tables = store.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { name: string }[];
  return tables
    .map(
      ({ name }) =>
        `${name}\n${JSON.stringify(store.sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all())}`,
    )
    .join("\n");
}
