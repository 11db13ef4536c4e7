import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PG_MIGRATIONS_DIR } from "../src/store/pg/open.ts";
import { JANE, SAM } from "./helpers/ctx.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";

// `sos` as a child process with DATABASE_URL: the commands that run on PostgreSQL do, on a database
// of the test server; the others are refused before anything is opened.
const SOS = resolve(import.meta.dirname, "../bin/sos.js");
let dir: string;
let db: { url: string; drop(): Promise<void> } | undefined;

function sos(args: string[], env: Record<string, string>, input = "") {
  return new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const child = spawn(process.execPath, [SOS, ...args], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        SOS_DB: join(dir, "never.db"),
        ...env,
      },
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
    child.stdin.end(input);
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-pg-cli-"));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("DATABASE_URL chooses the store", () => {
  test("anything but a PostgreSQL URL is refused in one sentence, and no SQLite file is made", async () => {
    const r = await sos(["chat", "--as", JANE], { DATABASE_URL: "mysql://localhost/sos" });
    expect([r.code, r.err]).toEqual([
      2,
      "sos: DATABASE_URL must be a PostgreSQL URL (postgres://user@host:5432/database), so nothing was opened: unset it to use the SQLite file (SOS_DB).\n",
    ]);
  });

  test("a command that still reads the SQLite file is refused on PostgreSQL, naming those that run", async () => {
    const url = "postgres://sos:secret@127.0.0.1:1/nowhere";
    for (const command of ["dashboard", "digest", "backup"]) {
      const r = await sos([command], { DATABASE_URL: url });
      expect(r.code).toBe(2);
      expect(r.err).toBe(
        `sos: sos ${command} does not run on PostgreSQL yet (DATABASE_URL is postgres://sos@127.0.0.1:1/nowhere), so nothing was opened: only \`sos migrate\`, \`sos chat\`, \`sos start\` do; unset DATABASE_URL to use the SQLite file (SOS_DB).\n`,
      );
      expect(r.err).not.toContain("secret");
    }
  });
});

describe.skipIf(!PG_AVAILABLE)("sos on PostgreSQL (child processes)", () => {
  test("chat before migrate is refused; migrate sets it up; chat then records, once per line", async () => {
    db = await emptyPgDatabase();
    const env = { DATABASE_URL: db.url, SOS_TODAY: "2016-03-01" };
    const early = await sos(["chat", "--as", SAM], env, "whoami\n");
    expect(early.code).toBe(2);
    expect(early.err).toMatch(/is not set up yet .*run `sos migrate` first\.\n$/);

    const m = await sos(["migrate"], env);
    expect(m.err).toBe("");
    expect(m.code).toBe(0);
    // Every migration in the folder, however many this round's branches add.
    const count = readMigrationFiles({ migrationsFolder: PG_MIGRATIONS_DIR }).length;
    expect(m.out).toContain(` is up to date (${count} migrations applied).\n`);
    expect(m.out).toContain(
      `Agency:    ${new URL(db.url).toString()} now belongs to Demo Family Services (agency id demo-family-services); another agency's config is refused.`,
    );

    const chat = await sos(["chat", "--as", SAM], env, "open 70001 Ana 4 cp\nmapped-with-family 70001\n");
    expect(chat.err).toBe("");
    expect(chat.code).toBe(0);
    expect(chat.out).toContain("Recorded Mapping with Family on 01/03/16 (today) for case 70001 (Ana 4).");

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query("SELECT case_id, element, surface FROM practice_events");
      expect(rows.rows).toEqual([{ case_id: "70001", element: "mapping-with-family", surface: "cli" }]);
    } finally {
      await client.end();
    }
    const again = await sos(["migrate"], env);
    expect(again.out).toContain("Staff:     unchanged");
  });
});
