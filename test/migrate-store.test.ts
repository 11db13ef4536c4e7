import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { syncContext } from "../src/app/context.ts";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { pgContext } from "../src/app/pg-context.ts";
import { dayClock } from "../src/commands/clock.ts";
import { runCommand } from "../src/commands/run.ts";
import { loadOrg } from "../src/config/load.ts";
import { openStore } from "../src/store/open.ts";
import { copyPlan, NOT_COPIED } from "../src/store/pg/copy-plan.ts";
import { openPgStore } from "../src/store/pg/open.ts";
import { EMPTY_STATES_TEXT } from "../src/store/states-format.ts";
import { AH_HIN, JANE, MORGAN, makeTestCtx, ROBIN, SAM, type TestCtx } from "./helpers/ctx.ts";
import { PATIENCE_MS, startSos } from "./helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";

// `sos migrate-store` as a child process, from a demo agency's SQLite file into databases of the
// test PostgreSQL server.
const SOS = resolve(import.meta.dirname, "../bin/sos.js");

function sos(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; err: string }>((done) => {
    const child = spawn(process.execPath, [SOS, ...args], {
      cwd: t.dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", SOS_TODAY: "2016-03-01", ...env },
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

// Every kind of record: entries, an undo, a transfer, a correction, a move, a close and a reopen,
// leave, a snooze, a case erased (its erasure record stays) and an API client.
const WRITES: [string, string][] = [
  [JANE, "three-houses 12345 yesterday"],
  [JANE, "scale 12346 6 -- after the network meeting"],
  [JANE, "mapped-with-family 12346"],
  [JANE, "undo"],
  [SAM, "open 70001 Ana Lee 4 cp"],
  [SAM, `assign 70001 ${AH_HIN}`],
  [AH_HIN, "mapped-with-family 70001"],
  [SAM, "edit 12345 abuse N"],
  [SAM, "move 12346 voluntary"],
  [SAM, "close 12345 safe at home -- plan holding"],
  [SAM, "reopen 12345"],
  [SAM, "open 70002 Bo Tan 6 cp"],
  [JANE, "away 2016-03-07 2016-03-09"],
  [SAM, "snooze 12346 14"],
];
// What users see, asked of both stores after the copy.
const READS: [string, string][] = [
  [JANE, "case 12345"],
  [JANE, "case 12346"],
  [AH_HIN, "case 70001"],
  [JANE, "mine"],
  [SAM, "team"],
  [SAM, "stuck"],
  [MORGAN, "agency"],
  [ROBIN, "whoami"],
];

let t: TestCtx;
const dbs: { url: string; drop(): Promise<void> }[] = [];
async function emptyDb() {
  const db = await emptyPgDatabase();
  dbs.push(db);
  return db;
}

/** Every table's rows on the target, for "nothing changed". */
async function pgSnapshot(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: string[] = [];
    for (const table of copyPlan()) {
      const r = await client.query(`SELECT row_to_json(x)::text AS r FROM "${table.name}" x ORDER BY 1`);
      out.push(table.name, ...r.rows.map((row: { r: string }) => row.r));
    }
    return out.join("\n");
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  t = makeTestCtx({ demo: true });
  for (const [who, text] of WRITES) expect((await t.run(who, text)).text).not.toMatch(/^Sorry/);
  t.ctx.store.close();
  const env = { SOS_DB: t.dbPath };
  const erased = await sos(["erase", "--case", "70002", "--as", ROBIN, "--reason", "opened in error"], env);
  expect(erased.err).toBe("");
  const client = await sos(["api-client", "add", "reporting", "--scopes", "cases:read"], env);
  expect(client.err).toBe("");
}, 120_000);
afterAll(async () => {
  for (const db of dbs) await db.drop();
  rmSync(t.dir, { recursive: true, force: true });
});

test("every SQLite table, and every column of it, is in what the copy covers (but the serving state it names)", () => {
  const sqlite = new Database(t.dbPath, { readonly: true });
  try {
    const tables = (
      sqlite
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations' ORDER BY name",
        )
        .pluck()
        .all() as string[]
    )
      .filter((name) => !Object.hasOwn(NOT_COPIED, name))
      .map((name) => ({
        name,
        columns: (sqlite.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
          .map((c) => c.name)
          .sort(),
      }));
    const covered = copyPlan()
      .map((p) => ({ name: p.name, columns: p.columns.map((c) => c.name).sort() }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(covered).toEqual(tables);
  } finally {
    sqlite.close();
  }
});

describe.skipIf(!PG_AVAILABLE)("sos migrate-store (child processes)", () => {
  test("a demo agency copied answers every /sos command as it did on SQLite, and a second copy is refused", async () => {
    const org = loadOrg(DEMO_CONFIG);
    const sqliteStore = openStore(t.dbPath);
    const { ctx: onSqlite } = syncContext(org, sqliteStore, dayClock("2016-03-01", org.agency.timeZone));
    const ask = (ctx: typeof onSqlite, who: string, text: string) => {
      const actor = ctx.people.byEmail(who);
      if (!actor) throw new Error(`no ${who}`);
      return runCommand(ctx, { actor, text, surface: "cli", audience: "private" });
    };
    const before = [];
    for (const [who, text] of READS) before.push(await ask(onSqlite, who, text));
    sqliteStore.close();

    const db = await emptyDb();
    const r = await sos(["migrate-store", "--from", `sqlite:${t.dbPath}`], { DATABASE_URL: db.url });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Copied .*sos\.db into postgres:\/\/.*: \d+ rows in \d+ tables, \d+\.\d s\.\n/);
    expect(r.out).toMatch(/^ {2}practice_events +\d+$/m);
    expect(r.out).toMatch(/^ {2}erasures +1$/m);
    expect(r.out).toMatch(/^ {2}api_clients +1$/m);
    expect(r.out).toContain("set DATABASE_URL to this database");

    const target = await openPgStore(db.url, { max: 2 });
    try {
      const { ctx: onPg } = await pgContext(org, target, dayClock("2016-03-01", org.agency.timeZone));
      for (const [i, [who, text]] of READS.entries())
        expect({ text, reply: await ask(onPg, who, text) }).toEqual({ text, reply: before[i] });
      // The next entry gets the next id on both: the sequences were set past the copied ids.
      const again = openStore(t.dbPath);
      try {
        const { ctx: onSqliteAgain } = syncContext(org, again, dayClock("2016-03-01", org.agency.timeZone));
        const a = await ask(onSqliteAgain, AH_HIN, "network 70001 3");
        const b = await ask(onPg, AH_HIN, "network 70001 3");
        expect(b).toEqual(a);
        expect(a.ok).toBe(true);
      } finally {
        again.close();
      }
    } finally {
      await target.close();
    }

    const held = await pgSnapshot(db.url);
    const second = await sos(["migrate-store", "--from", `sqlite:${t.dbPath}`, "--to", db.url], {});
    expect(second.code).toBe(1);
    expect(second.err).toMatch(
      /^sos: postgres:\/\/\S+ already holds records \(\w+: \d+ rows?\), so nothing was copied: migrate-store writes only into an empty database\.\n$/,
    );
    expect(await pgSnapshot(db.url)).toBe(held);
  }, 180_000);

  test("a file at another schema version is refused before the target is touched", async () => {
    const newer = join(t.dir, "newer.db");
    copyFileSync(t.dbPath, newer);
    const file = new Database(newer);
    file
      .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('later', ?)")
      .run(Date.now() + 86_400_000 * 365 * 50);
    file.close();
    const db = await emptyDb();
    const r = await sos(["migrate-store", "--from", `sqlite:${newer}`, "--to", db.url], {});
    expect([r.code, r.err]).toEqual([
      1,
      `sos: ${newer} was written by a newer version of sos than this one: copy it with that version, so nothing was copied.\n`,
    ]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const tables = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(tables.rows).toEqual([]);
    } finally {
      await client.end();
    }
  }, 120_000);

  test("kept coverage counts that differ from the cases roll the whole copy back", async () => {
    const drifted = join(t.dir, "drifted.db");
    copyFileSync(t.dbPath, drifted);
    const file = new Database(drifted);
    file.prepare("UPDATE team_coverage SET cases = cases + 1 WHERE element = -1").run();
    file.close();
    const db = await emptyDb();
    const r = await sos(["migrate-store", "--from", `sqlite:${drifted}`, "--to", db.url], {});
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^sos: \d+ coverage counts? differs? from the cases once copied, so nothing was copied\.\n$/,
    );
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const n = await client.query(
        "SELECT (SELECT count(*) FROM cases)::integer AS cases, (SELECT count(*) FROM practice_events)::integer AS events",
      );
      expect(n.rows).toEqual([{ cases: 0, events: 0 }]);
    } finally {
      await client.end();
    }
  }, 120_000);

  test("two claims of one digest in a file whose index was dropped by hand: refused in a sentence, nothing copied", async () => {
    const doubled = join(t.dir, "doubled-claims.db");
    copyFileSync(t.dbPath, doubled);
    const file = new Database(doubled);
    file.exec("DROP INDEX digest_runs_one_claim");
    const run = file.prepare(
      "INSERT INTO digest_runs (kind, scope, period, platform, status, scheduled_for, started_at) VALUES ('team', 'north', '2016-W09', 'slack', 'posted', ?, ?)",
    );
    for (let i = 0; i < 2; i++) run.run("2016-02-29T08:00:00.000Z", "2016-02-29T08:00:00.000Z");
    file.close();
    const db = await emptyDb();
    const r = await sos(["migrate-store", "--from", `sqlite:${doubled}`, "--to", db.url], {});
    expect([r.code, r.err]).toEqual([
      1,
      "sos: the SQLite file's digest_runs holds two rows where PostgreSQL's unique index digest_runs_one_claim allows one (the file's own index is missing), so nothing was copied.\n",
    ]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const n = await client.query("SELECT count(*)::integer AS cases FROM cases");
      expect(n.rows).toEqual([{ cases: 0 }]);
    } finally {
      await client.end();
    }
  }, 120_000);

  test("a dashboard state that differs from its entries rolls the whole copy back", async () => {
    const drifted = join(t.dir, "drifted-states.db");
    copyFileSync(t.dbPath, drifted);
    const file = new Database(drifted);
    file.prepare(`UPDATE cases SET states = '${EMPTY_STATES_TEXT}' WHERE id = '12345'`).run();
    file.close();
    const db = await emptyDb();
    const r = await sos(["migrate-store", "--from", `sqlite:${drifted}`, "--to", db.url], {});
    expect([r.code, r.err]).toEqual([
      1,
      "sos: 1 case's dashboard state differs from its entries once copied, so nothing was copied.\n",
    ]);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const n = await client.query("SELECT count(*)::integer AS cases FROM cases");
      expect(n.rows).toEqual([{ cases: 0 }]);
    } finally {
      await client.end();
    }
  }, 120_000);

  test(
    "a file a running sos start holds is refused, naming it; once it has stopped (its lock file left behind) the copy goes ahead",
    async () => {
      const dir = join(t.dir, "serving");
      mkdirSync(dir);
      const served = join(dir, "sos.db");
      copyFileSync(t.dbPath, served);
      const db = await emptyDb();
      const app = await startSos(dir, { SOS_DB: served, SOS_TODAY: "2016-03-01" });
      let stopped = false;
      try {
        const r = await sos(["migrate-store", "--from", `sqlite:${served}`, "--to", db.url], {});
        expect([r.code, r.err]).toEqual([
          1,
          `sos: \`sos start\` (process ${app.child.pid}) is using ${served} (it holds the lock on ${served}.lock), so nothing was copied: stop it first, then run migrate-store again.\n`,
        ]);
        // Refused before the target was touched: not even migrated.
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          const tables = await client.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
          );
          expect(tables.rows).toEqual([]);
        } finally {
          await client.end();
        }
        expect(await app.stop()).toBe(0);
        stopped = true;
        // The dead server's lock file is still there: the operating system let go of its lock.
        expect(existsSync(`${served}.lock`)).toBe(true);
        const after = await sos(["migrate-store", "--from", `sqlite:${served}`, "--to", db.url], {});
        expect(after.err).toBe("");
        expect(after.code).toBe(0);
        expect(after.out).toMatch(/^Copied /);
      } finally {
        if (!stopped) await app.stop();
      }
    },
    PATIENCE_MS * 4,
  );

  test("a missing or wrong --from or --to is one sentence, exit 2", async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [
        ["migrate-store"],
        {},
        "sos: --from must name the SQLite file to copy, like --from sqlite:./data/sos.db. See `sos migrate-store --help`.\n",
      ],
      [
        ["migrate-store", "--from", "sqlite:nope.db", "--to", "postgres://x@127.0.0.1:1/db"],
        {},
        "sos: can't find nope.db: check the path given to --from.\n",
      ],
      [
        ["migrate-store", "--from", "sqlite:nope.db"],
        {},
        "sos: --to must name the PostgreSQL database to copy into (or set DATABASE_URL), like --to postgres://sos@db.example:5432/sos.\n",
      ],
      [
        ["migrate-store", "--from", "sqlite:nope.db", "--to", "mysql://x/db"],
        {},
        "sos: --to must be a PostgreSQL URL, like postgres://sos@db.example:5432/sos.\n",
      ],
    ];
    for (const [args, env, err] of cases) expect(await sos(args, env)).toMatchObject({ code: 2, err });
  }, 120_000);
});
