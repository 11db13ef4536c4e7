import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CASES_HEADER, caseRow, writeCsv } from "./helpers/csv-files.ts";
import { JANE, ROBIN, SAM } from "./helpers/ctx.ts";
import { DEMO_YAML, writeConfig } from "./helpers/demo-config.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";
import { type Run, SPAWNING, sos } from "./lifetime/run.ts";

// A child's records over their lifetime on PostgreSQL: the subject-access export, an erasure,
// retention and an import, each run as `sos` child processes on a database of the test server and on
// a SQLite file, saying the same on both.

let root: string;
let db: { url: string; drop(): Promise<void> } | undefined;
/** each store's own folder (the exports are written in it) and environment */
let stores: { name: string; dir: string; env: Record<string, string> }[] = [];

const CHAT =
  "open 70001 Zebedee Quarrington 4 cp\n" +
  "mapped-with-family 70001 -- Zebedee told us about the shouting\n" +
  "scale 70001 6 -- a calmer week at home\n" +
  "open 70002 Quillon Vantreight 6 fs\n" +
  "scale 70002 5 -- Quillon slept well\n" +
  "close 70002 safe-at-home -- Quillon is safe with his gran\n" +
  "open 70003 Ysolde Marchbank 2 cp\n";

/** Run on both stores: the PostgreSQL run first, then the file's. */
async function both(args: string[], input = ""): Promise<[Run, Run]> {
  const runs: Run[] = [];
  for (const s of stores) runs.push(await sos(s.dir, args, s.env, input));
  return [runs[0]!, runs[1]!];
}

/** The same command says the same on both stores (exit code, output, errors). */
async function same(args: string[], input = ""): Promise<Run> {
  const [onPg, onFile] = await both(args, input);
  expect(onPg, `${args.join(" ")} on PostgreSQL`).toEqual(onFile);
  return onPg;
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: db!.url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Every row of every table on PostgreSQL in which any text or JSON column holds `needle`. */
async function rowsHolding(needle: string): Promise<string[]> {
  const columns = await query<{ table_schema: string; table_name: string; column_name: string }>(
    `SELECT table_schema, table_name, column_name FROM information_schema.columns
     WHERE table_schema IN ('public', 'drizzle') AND data_type IN ('text', 'json', 'jsonb', 'character varying')`,
  );
  const found: string[] = [];
  for (const c of columns) {
    const [row] = await query<{ n: string }>(
      `SELECT count(*)::text AS n FROM "${c.table_schema}"."${c.table_name}" WHERE strpos(lower("${c.column_name}"::text), lower($1)) > 0`,
      [needle],
    );
    if (row && row.n !== "0") found.push(`${c.table_name}.${c.column_name}: ${row.n}`);
  }
  return found;
}

/** What differs between two runs of the same export only by when it ran: the instants, the times of day. */
function timeless(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<instant>")
    .replace(/\b\d\d:\d\d\b/g, "<time>");
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sos-pg-lifetime-"));
  if (!PG_AVAILABLE) return;
  db = await emptyPgDatabase();
  const config = writeConfig(
    join(root, "sos.config.yaml"),
    `${DEMO_YAML}\nretention: { afterClosing: { years: 7 } }\n`,
  );
  const base = { SOS_CONFIG: config, SOS_TODAY: "2016-03-01" };
  stores = [
    { name: "postgres", dir: join(root, "pg"), env: { ...base, DATABASE_URL: db.url } },
    { name: "sqlite", dir: join(root, "file"), env: { ...base, SOS_DB: join(root, "file", "sos.db") } },
  ];
  for (const s of stores) {
    mkdirSync(s.dir);
    expect((await sos(s.dir, ["migrate"], s.env)).code, s.name).toBe(0);
    const chat = await sos(s.dir, ["chat", "--as", SAM], s.env, CHAT);
    expect([chat.code, chat.err], s.name).toEqual([0, ""]);
  }
}, SPAWNING.timeout);

afterAll(async () => {
  await db?.drop();
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!PG_AVAILABLE)("a child's records over their lifetime, on PostgreSQL", () => {
  test(
    "sos export --case: the same JSON and HTML from both stores, mode 0600, and the export audited",
    SPAWNING,
    async () => {
      for (const format of ["json", "html"]) {
        const r = await same([
          "export",
          "--case",
          "70001",
          "--format",
          format,
          "--out",
          `70001.${format}`,
          "--as",
          ROBIN,
        ]);
        expect(r.code).toBe(0);
        expect(r.out).toContain("everything held about case 70001, 2 entries");
        const [onPg, onFile] = stores.map((s) => join(s.dir, `70001.${format}`));
        expect(statSync(onPg!).mode & 0o777).toBe(0o600);
        expect(timeless(readFileSync(onPg!, "utf8"))).toBe(timeless(readFileSync(onFile!, "utf8")));
        expect(readFileSync(onPg!, "utf8")).toContain("Zebedee told us about the shouting");
      }
      const audited = await query<{ action: string; case_id: string }>(
        "SELECT action, case_id FROM audit WHERE action = 'export-case' ORDER BY id",
      );
      expect(audited).toEqual([
        { action: "export-case", case_id: "70001" },
        { action: "export-case", case_id: "70001" },
      ]);
      // Not an admin, or no such case: refused alike, and no file.
      const notAdmin = await same(["export", "--case", "70001", "--out", "no.json", "--as", JANE]);
      expect(notAdmin.code).toBe(2);
      const none = await same(["export", "--case", "79999", "--out", "no.json", "--as", ROBIN]);
      expect(none.err).toBe("sos: there is no case 79999, so nothing was exported.\n");
    },
  );

  test(
    "sos erase: the same answer on both; on PostgreSQL the child is in no row of any table, and a plain DELETE is still refused",
    SPAWNING,
    async () => {
      expect(await rowsHolding("Zebedee")).not.toEqual([]);
      const named = await same([
        "erase",
        "--case",
        "70001",
        "--as",
        ROBIN,
        "--reason",
        "Zebedee opened in error",
      ]);
      expect(named.code).toBe(2);
      const r = await same(["erase", "--case", "70001", "--as", ROBIN, "--reason", "opened in error"]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        "case 70001: erased on 01/03/16, by Robin Ellis (the reason is kept with the erasure): 2 entries, 1 allocation and 5 audit lines.\n" +
          "Backups made before now still hold this case until they are pruned (backup.keep); the erasure is in `sos audit`.\n",
      );
      for (const needle of ["Zebedee", "Quarrington", "told us about the shouting", "a calmer week"])
        expect(await rowsHolding(needle), needle).toEqual([]);
      const [erasure] = await query<{ case_id: string; under: string; reason: string; done: boolean }>(
        "SELECT case_id, under, reason, finished_at IS NOT NULL AS done FROM erasures",
      );
      expect(erasure).toEqual({ case_id: "70001", under: "erasure", reason: "opened in error", done: true });

      const again = await same(["erase", "--case", "70001", "--as", ROBIN, "--reason", "x"]);
      expect(again.err).toBe(
        "sos: case 70001 was already removed, under erasure, on 01/03/16: there is nothing left to erase.\n",
      );
      const exported = await same(["export", "--case", "70001", "--out", "gone.json", "--as", ROBIN]);
      expect(exported.err).toBe(
        "sos: case 70001 was removed under erasure on 01/03/16: nothing about the child is held any more, so there is nothing to export.\n",
      );
      // Outside the erasure path the record stays append-only.
      for (const statement of [
        "DELETE FROM practice_events",
        "DELETE FROM cases WHERE id = '70003'",
        "DELETE FROM audit WHERE action = 'erase'",
      ])
        await expect(query(statement), statement).rejects.toThrow(
          /append-only|only by sos retention or sos erase/,
        );
      expect(await query("SELECT id FROM cases ORDER BY id")).toEqual([{ id: "70002" }, { id: "70003" }]);
      // An id erased as opened in error may be given to a new case (unlike one removed under retention).
      const reopened = await same(["chat", "--as", SAM], "open 70001 Another Child 5 cp\n");
      expect(reopened.code).toBe(0);
      expect(reopened.out).not.toContain("removed");
      expect(await query("SELECT id FROM cases ORDER BY id")).toEqual([
        { id: "70001" },
        { id: "70002" },
        { id: "70003" },
      ]);
    },
  );

  test(
    "sos retention: the same dry run and --apply on both; the case id stays taken and its child is in no row",
    SPAWNING,
    async () => {
      const early = await same(["retention", "--dry-run"]);
      expect(early.out).toContain("No case is due for removal.");
      const dry = await same(["retention", "--dry-run", "--today", "2023-03-02"]);
      expect(dry.out).toContain("1 case is due for removal:");
      expect(dry.out).toContain("70002");
      expect(dry.out).not.toContain("Quillon");
      expect(await rowsHolding("Quillon")).not.toEqual([]);
      const applied = await same(["retention", "--apply", "--as", ROBIN, "--today", "2023-03-02"]);
      expect(applied.code).toBe(0);
      expect(applied.out).toContain(
        "case 70002: removed under retention on 02/03/23, by Robin Ellis (7 years after closing): 1 entry, 1 record of a correction, move, close or reopen, 1 allocation and 3 audit lines.\n",
      );
      for (const needle of ["Quillon", "Vantreight", "slept well", "safe with his gran"])
        expect(await rowsHolding(needle), needle).toEqual([]);
      expect(await query("SELECT id FROM cases ORDER BY id")).toEqual([{ id: "70001" }, { id: "70003" }]);
      const after = await same(["retention", "--dry-run", "--today", "2023-03-02"]);
      expect(after.out).toContain("No case is due for removal.");
      // A case id removed under retention cannot be opened again as someone else's.
      const reused = await same(["chat", "--as", SAM], "open 70002 Newcomer Child 3 cp\n");
      expect(reused.out).toContain(
        "Case 70002 was removed under the retention policy on 02/03/23, and its id is not used again",
      );
      expect(await query("SELECT id FROM cases ORDER BY id")).toEqual([{ id: "70001" }, { id: "70003" }]);
    },
  );

  test("sos import: the same dry run, import and dashboard on both", SPAWNING, async () => {
    const rows = [
      [...CASES_HEADER],
      caseRow({
        case_id: "40001",
        child_name: "Ann Lee",
        age: "7",
        service: "cp",
        abuse_types: "N",
        date_opened: "01/02/16",
        worker_email: JANE,
      }),
      caseRow({
        case_id: "40002",
        child_name: "Bo Tran",
        age: "9",
        service: "fs",
        abuse_types: "PA",
        date_opened: "02/02/16",
        worker_email: JANE,
      }),
    ];
    for (const st of stores) writeCsv(st.dir, "cases.csv", rows);
    const dry = await same(["import", "cases", "cases.csv", "--as", ROBIN, "--dry-run"]);
    expect(dry.out).toBe(
      "Checked cases.csv (2 rows): would open 2 cases, 0 already there. Nothing was written (--dry-run).\n",
    );
    const done = await same(["import", "cases", "cases.csv", "--as", ROBIN]);
    expect(done.code).toBe(0);
    expect(done.out).toContain("Imported cases.csv: opened 2 cases, 0 already there.");
    const again = await same(["import", "cases", "cases.csv", "--as", ROBIN]);
    expect(again.out).toBe("cases.csv: 0 new cases, 2 already there. Nothing was written.\n");
    const board = await same(["dashboard", "--worker", JANE]);
    expect(board.out).toContain("40001");
    expect(board.out).toContain("40002");
    const refused = await same(["import", "cases", "cases.csv", "--as", SAM]);
    expect(refused.code).toBe(2);
  });
});
