import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { MIGRATIONS_DIR, openStore } from "./open.ts";
import { coverageRows } from "./rebuild.ts";
import { decodeStates } from "./states-format.ts";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("migrations build the whole schema on an empty database, in a folder that did not exist", () => {
  dir = mkdtempSync(join(tmpdir(), "sos-migrate-"));
  const store = openStore(join(dir, "nested", "sos.db"));
  const tables = (
    store.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  expect(tables).toEqual(
    expect.arrayContaining([
      "allocations",
      "audit",
      "cases",
      "idempotency",
      "practice_events",
      "staff",
      "teams",
    ]),
  );
  const applied = store.sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as {
    n: number;
  };
  expect(applied.n).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith(".sql")).length);
  expect(store.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
  expect(store.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
  store.close();
});

test("opening again applies nothing twice and keeps the data", () => {
  dir = mkdtempSync(join(tmpdir(), "sos-migrate-"));
  const path = join(dir, "sos.db");
  const a = openStore(path);
  a.sqlite.prepare("INSERT INTO teams (id, name) VALUES ('t', 'T')").run();
  a.close();
  const b = openStore(path);
  expect(b.sqlite.prepare("SELECT name FROM teams").all()).toEqual([{ name: "T" }]);
  b.close();
});

test("the move of the projection onto cases, and into its compact form, carries existing rows across", async () => {
  const { cpSync, readFileSync, writeFileSync } = await import("node:fs");
  dir = mkdtempSync(join(tmpdir(), "sos-migrate-"));
  // A database as it was before migration 0003: only the first three migrations applied.
  const old = join(dir, "migrations");
  cpSync(MIGRATIONS_DIR, old, { recursive: true });
  const journal = JSON.parse(readFileSync(join(old, "meta/_journal.json"), "utf8"));
  journal.entries = journal.entries.filter((e: { idx: number }) => e.idx < 3);
  writeFileSync(join(old, "meta/_journal.json"), JSON.stringify(journal));
  const Database = (await import("better-sqlite3")).default;
  const { drizzle } = await import("drizzle-orm/better-sqlite3");
  const { migrate } = await import("drizzle-orm/better-sqlite3/migrator");
  const path = join(dir, "sos.db");
  const sqlite = new Database(path);
  migrate(drizzle(sqlite), { migrationsFolder: old });
  sqlite.exec(`INSERT INTO teams (id, name) VALUES ('t', 'T');
    INSERT INTO staff (email, name, role, team_ids) VALUES ('a@b.example', 'A', 'worker', '["t"]');
    INSERT INTO cases (id, child_name, opened_on, service, abuse_types, worker_id, team_id, created_at)
      VALUES ('1', 'C', '2016-01-01', 'voluntary', '[]', 1, 't', 'now');
    INSERT INTO element_states VALUES ('1', 'safety-scale', 2, '2016-01-02', '2016-01-09', 6);`);
  sqlite.close();
  const store = openStore(path);
  const stored = (store.sqlite.prepare("SELECT states FROM cases").get() as { states: string }).states;
  expect(JSON.parse(stored)).toEqual([0, 0, 0, 0, 0, [2, "2016-01-02", "2016-01-09", 6], 0, 0, 0, 0, 0, 0]);
  expect(decodeStates(stored)).toEqual({
    "safety-scale": { count: 2, firstOn: "2016-01-02", lastOn: "2016-01-09", lastValue: 6 },
  });
  // The coverage counts start from the cases there are: one open voluntary case, with a scale.
  expect(coverageRows(store)).toEqual([
    { team: "t", service: "voluntary", element: -1, cases: 1 },
    { team: "t", service: "voluntary", element: 5, cases: 1 },
  ]);
  store.close();
});
