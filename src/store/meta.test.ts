import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, beforeEach, expect, test } from "vitest";
import { readAgency, schemaState, writeAgency } from "./meta.ts";
import { MIGRATIONS_DIR, openStore } from "./open.ts";
import { openStoreReadOnly } from "./open-readonly.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-meta-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("the agency is recorded once: its name may change, its id and the row may not", () => {
  const store = openStore(join(dir, "sos.db"));
  expect(readAgency(store)).toBeNull();
  writeAgency(store, { id: "north", name: "Northshire" }, "2026-12-01T00:00:00.000Z");
  writeAgency(store, { id: "north", name: "Northshire Council" }, "2026-12-02T00:00:00.000Z");
  expect(readAgency(store)).toEqual({ id: "north", name: "Northshire Council" });
  expect(() => store.sqlite.prepare("UPDATE meta SET agency_id = 'demo'").run()).toThrow(
    "the agency a database belongs to does not change",
  );
  expect(() => store.sqlite.prepare("DELETE FROM meta").run()).toThrow(
    "the agency a database belongs to is never removed",
  );
  expect(() =>
    store.sqlite
      .prepare("INSERT INTO meta (id, agency_id, agency_name, recorded_at) VALUES (2, 'x', 'X', 'now')")
      .run(),
  ).toThrow(/CHECK constraint failed/);
  store.close();
});

test("the schema is told apart without writing: none, behind, current, ahead", () => {
  const path = join(dir, "sos.db");
  writeFileSync(path, "");
  let ro = openStoreReadOnly(path);
  expect(schemaState(ro)).toBe("none");
  ro.close();

  // A database as the version before this one left it: every migration but the last.
  const old = join(dir, "migrations");
  cpSync(MIGRATIONS_DIR, old, { recursive: true });
  const journal = JSON.parse(readFileSync(join(old, "meta/_journal.json"), "utf8"));
  const last = journal.entries.pop();
  writeFileSync(join(old, "meta/_journal.json"), JSON.stringify(journal));
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  sqlite.close();
  ro = openStoreReadOnly(path);
  expect(schemaState(ro)).toBe("behind");
  ro.close();

  openStore(path).close();
  ro = openStoreReadOnly(path);
  expect(schemaState(ro)).toBe("current");
  ro.close();

  const newer = new Database(path);
  newer.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('x', ?)").run(last.when + 1);
  newer.close();
  ro = openStoreReadOnly(path);
  expect(schemaState(ro)).toBe("ahead");
  ro.close();
});
