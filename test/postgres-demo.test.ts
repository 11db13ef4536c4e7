import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { shownUrl } from "../src/store/pg/url.ts";
import { JANE } from "./helpers/ctx.ts";
import { PATIENCE_MS } from "./helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";

// `sos demo` as a child process into an empty PostgreSQL database and into a new SQLite file: the
// same agency, the same cases, the same dashboards; a database already holding cases or another
// agency refused on both, and nothing written.
const SOS = resolve(import.meta.dirname, "../bin/sos.js");
let dir: string;
const dbs: { url: string; drop(): Promise<void> }[] = [];

function sos(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const child = spawn(process.execPath, [SOS, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => done({ code, out, err }));
    child.stdin.end();
  });
}

async function newDb(): Promise<string> {
  const db = await emptyPgDatabase();
  dbs.push(db);
  return db.url;
}

/** Rows per table that the demo writes: equal counts before and after mean nothing was added. */
async function counts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of ["cases", "practice_events", "audit", "staff", "teams"])
      out[t] = Number((await client.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    return out;
  } finally {
    await client.end();
  }
}

const OTHER = `agency: { name: Hillside, timeZone: Europe/London }
teams: [{ name: North Team }]
staff: [{ email: ada@h.example, name: Ada Admin, role: admin }]
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-pg-demo-"));
  writeFileSync(join(dir, "other.config.yaml"), OTHER);
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!PG_AVAILABLE)(
  "sos demo on PostgreSQL (child processes)",
  { timeout: PATIENCE_MS * 4 },
  () => {
    test("an empty database gets the demo agency and cases as a new SQLite file does, and the same dashboards", async () => {
      const url = await newDb();
      const onPg = { DATABASE_URL: url };
      const onFile = { SOS_DB: join(dir, "demo.db") };
      const [a, b] = [await sos(["demo"], onPg), await sos(["demo"], onFile)];
      expect(a.err).toBe("");
      expect(b.err).toBe("");
      expect([a.code, b.code]).toEqual([0, 0]);
      const [pgFirst, fileFirst] = [a.out.split("\n")[0]!, b.out.split("\n")[0]!];
      expect(pgFirst).toBe(
        `Filled ${shownUrl(url)}: Demo Family Services, ${/(\d+) staff/.exec(fileFirst)?.[1]} staff, 6 cases of Jane Smith with ${/(\d+) recorded/.exec(fileFirst)?.[1]} recorded elements.`,
      );
      expect(fileFirst.replace(/^Created demo\.db: /, "")).toBe(
        pgFirst.slice(`Filled ${shownUrl(url)}: `.length),
      );
      // The password is never printed: the try line keeps to the DATABASE_URL already set.
      expect(a.out.split("\n")[1]).toBe(
        `Try: SOS_CONFIG=${DEMO_CONFIG} npx sos dashboard --worker jane.smith@demo-agency.example --dashboard statutory-cp --today 2016-03-01`,
      );
      const asks = [
        ["dashboard", "--worker", JANE, "--dashboard", "statutory-cp", "--today", "2016-03-01"],
        ["dashboard", "--agency", "--format", "csv", "--today", "2016-03-01"],
        ["stuck", "--today", "2016-03-01"],
      ];
      for (const ask of asks) {
        const [p, f] = [await sos(ask, onPg), await sos(ask, onFile)];
        expect(p.err, ask.join(" ")).toBe("");
        expect([p.code, p.out], ask.join(" ")).toEqual([f.code, f.out]);
      }
      expect((await sos(asks[0]!, onPg)).out).toContain("12345");
    });

    test("a database that already holds cases is refused on both, and nothing is added", async () => {
      const url = await newDb();
      expect((await sos(["demo"], { DATABASE_URL: url })).code).toBe(0);
      const before = await counts(url);
      const again = await sos(["demo"], { DATABASE_URL: url });
      expect([again.code, again.out, again.err]).toEqual([
        2,
        "",
        `sos: ${shownUrl(url)} already holds cases; sos demo only fills a new database. Set DATABASE_URL to an empty database.\n`,
      ]);
      expect(await counts(url)).toEqual(before);
      const file = { SOS_DB: join(dir, "twice.db") };
      expect((await sos(["demo"], file)).code).toBe(0);
      const onFile = await sos(["demo"], file);
      expect([onFile.code, onFile.err]).toEqual([
        2,
        "sos: twice.db already holds cases; sos demo only fills a new database. Use --db with a new path.\n",
      ]);
    });

    test("another agency's database is refused as on the file, before anything is written", async () => {
      const url = await newDb();
      const other = { SOS_CONFIG: join(dir, "other.config.yaml") };
      expect((await sos(["migrate"], { ...other, DATABASE_URL: url })).code).toBe(0);
      const file = join(dir, "other.db");
      expect((await sos(["migrate"], { ...other, SOS_DB: file })).code).toBe(0);
      const before = await counts(url);
      const [p, f] = [await sos(["demo"], { DATABASE_URL: url }), await sos(["demo"], { SOS_DB: file })];
      expect(p.code).toBe(f.code);
      expect(p.code).not.toBe(0);
      expect(p.err).toContain("belongs to Hillside (agency id hillside)");
      expect(p.err.replace(shownUrl(url), "<db>")).toBe(f.err.replace("other.db", "<db>"));
      expect(await counts(url)).toEqual(before);
    });

    test("--db with DATABASE_URL set is refused, naming both", async () => {
      const r = await sos(["demo", "--db", "x.db"], { DATABASE_URL: "postgres://sos@127.0.0.1:1/nowhere" });
      expect([r.code, r.out, r.err]).toEqual([
        2,
        "",
        "sos: --db names a SQLite file, but DATABASE_URL is set, so the demo would go into PostgreSQL; nothing was opened: unset DATABASE_URL to use --db, or leave --db out.\n",
      ]);
    });
  },
);
