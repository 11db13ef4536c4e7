import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { readContext } from "../../src/app/context.ts";
import { DEMO_CONFIG } from "../../src/app/paths.ts";
import { dayClock } from "../../src/commands/clock.ts";
import { loadOrg } from "../../src/config/load.ts";
import { loadDemoData } from "../../src/demo/load.ts";
import { MIGRATIONS_DIR } from "../../src/store/open.ts";
import { syncOrg } from "../../src/store/org-sync.ts";
import * as schema from "../../src/store/schema.ts";

const hash = (p: string) =>
  existsSync(p) ? createHash("sha256").update(readFileSync(p)).digest("hex") : "absent";

/** The database file, its WAL and whether its shared-memory file exists: equal means nothing was written. */
export function fingerprint(dbPath: string): { db: string; wal: string; shm: boolean } {
  return { db: hash(dbPath), wal: hash(`${dbPath}-wal`), shm: existsSync(`${dbPath}-shm`) };
}

/** The tag of the first migration this change added: a database without it was made before agencies were kept. */
const FIRST_AGENCY_MIGRATION = "0006_agency_meta";

/**
 * The demo's records, made with today's code in a scratch database and copied into an older schema
 * column by column (only the columns that schema has), so later migrations never break the helper.
 */
function copyDemoRecords(org: ReturnType<typeof loadOrg>, into: Database.Database): void {
  const scratch = new Database(":memory:");
  try {
    const db = drizzle(scratch, { schema });
    migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    const store = { db, sqlite: scratch, path: ":memory:", close: () => scratch.close() };
    syncOrg(store, org);
    loadDemoData(readContext(org, store, dayClock("2016-03-01", org.agency.timeZone)));
    for (const table of ["cases", "allocations", "practice_events", "audit"]) {
      const have = new Set(
        (into.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name),
      );
      const rows = scratch.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<
        string,
        unknown
      >[];
      for (const row of rows) {
        const cols = Object.keys(row).filter((c) => have.has(c));
        into
          .prepare(
            `INSERT INTO ${table} (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
          )
          .run(...cols.map((c) => row[c]));
      }
    }
  } finally {
    scratch.close();
  }
}

/**
 * A demo database as the version before agencies were recorded left it (its migrations only, no
 * `meta`), with the demo's staff and cases in it.
 */
export function makePreAgencyDb(dbPath: string): void {
  const old = mkdtempSync(join(tmpdir(), "sos-old-migrations-"));
  try {
    cpSync(MIGRATIONS_DIR, old, { recursive: true });
    const journalPath = join(old, "meta/_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const cut = journal.entries.findIndex((e) => e.tag === FIRST_AGENCY_MIGRATION);
    if (cut < 0) throw new Error(`no migration ${FIRST_AGENCY_MIGRATION}`);
    journal.entries = journal.entries.slice(0, cut);
    writeFileSync(journalPath, JSON.stringify(journal));
    const sqlite = new Database(dbPath);
    sqlite.pragma("journal_mode = WAL");
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: old });
    const store = { db, sqlite, path: dbPath, close: () => sqlite.close() };
    const org = loadOrg(DEMO_CONFIG);
    syncOrg(store, org);
    copyDemoRecords(org, sqlite);
    store.close();
  } finally {
    rmSync(old, { recursive: true, force: true });
  }
}
