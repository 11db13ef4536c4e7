import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { tokenHash } from "../src/api/clients.ts";
import { shownUrl } from "../src/store/pg/url.ts";
import { SAM } from "./helpers/ctx.ts";
import { PATIENCE_MS, runSos, type SosRun } from "./helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";

/**
 * `sos audit`, `sos sync` and `sos api-client` as real child processes, each asked the same of a
 * PostgreSQL database (`DATABASE_URL`) and of a SQLite file: the same exit code, output and
 * refusals, the database named as each store names it. A refusal on PostgreSQL changes no row.
 */

const DEMO = readFileSync(resolve(import.meta.dirname, "../examples/demo.config.yaml"), "utf8");

/** The demo config without the staff entries of these emails. */
function without(...emails: string[]): string {
  const [head, ...entries] = DEMO.split(/(?=^ {2}- email: )/m);
  return [head, ...entries.filter((e) => !emails.some((m) => e.startsWith(`  - email: ${m}\n`)))].join("");
}

let dir: string;
let db: { url: string; drop(): Promise<void> } | undefined;
let pool: pg.Pool | undefined;
let onPg: Record<string, string>;
let onFile: Record<string, string>;

const config = (name: string) => join(dir, `${name}.yaml`);

/** What each store prints, its own name for the database written as <db>. */
function same(r: SosRun, where: string) {
  return { code: r.code, out: r.out.replaceAll(where, "<db>"), err: r.err.replaceAll(where, "<db>") };
}

/** `sos …` on both stores, with `extra` in the environment: what each said, for comparing. */
async function both(args: string[], extra: Record<string, string> = {}) {
  const pgRun = await runSos(dir, args, { ...onPg, ...extra });
  const fileRun = await runSos(dir, args, { ...onFile, ...extra });
  return { pg: pgRun, file: fileRun, onPg: same(pgRun, shownUrl(db!.url)), onFile: same(fileRun, "same.db") };
}

/** The rows a refused command must leave as they were (every table it could write). */
async function pgRows(): Promise<string> {
  const q = async (sql: string) => (await pool!.query(sql)).rows;
  return JSON.stringify([
    await q("SELECT * FROM meta"),
    await q("SELECT id, name, active FROM teams ORDER BY id"),
    await q("SELECT id, email, name, role, team_ids, active FROM staff ORDER BY id"),
    await q("SELECT * FROM api_clients ORDER BY id"),
    await q("SELECT * FROM audit ORDER BY id"),
  ]);
}

const suite = PG_AVAILABLE ? describe : describe.skip;

suite("audit, sync and api-client on PostgreSQL as on the SQLite file", { timeout: PATIENCE_MS * 4 }, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sos-pg-admin-"));
    writeFileSync(config("demo"), DEMO);
    // Robin has no team: one of six gone is under the quarter that needs accepting.
    writeFileSync(config("one-gone"), without("robin.ellis@demo-agency.example"));
    writeFileSync(
      config("two-gone"),
      without("ah.hin.xeng@demo-agency.example", "alison.camp@demo-agency.example"),
    );
    writeFileSync(config("other"), DEMO.replace("name: Demo Family Services", "name: Other Family Services"));
    db = await emptyPgDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    const common = { SOS_CONFIG: config("demo"), SOS_TODAY: "2016-03-01" };
    onPg = { ...common, DATABASE_URL: db.url, SOS_DB: join(dir, "never.db") };
    onFile = { ...common, SOS_DB: join(dir, "same.db") };
    const lines = "open 70002 Bea 6 cp\nmapped-with-family 70002 12/02/16\nopen 70003 Cal 2 fs\n";
    for (const env of [onPg, onFile]) {
      expect((await runSos(dir, ["migrate"], env)).code).toBe(0);
      expect((await runSos(dir, ["chat", "--as", SAM], env, lines)).code).toBe(0);
    }
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("sos audit reads the same trail, narrowed the same, in every format", async () => {
    const asks = [
      ["audit"],
      ["audit", "--case", "70002"],
      ["audit", "--staff", SAM, "--format", "json"],
      ["audit", "--since", "2016-03-01", "--format", "csv"],
      ["audit", "--since", "2016-03-02"],
    ];
    for (const ask of asks) {
      const r = await both(ask);
      expect(r.pg.err, ask.join(" ")).toBe("");
      expect(r.onPg, ask.join(" ")).toEqual(r.onFile);
    }
    const trail = await runSos(dir, ["audit", "--case", "70002"], onPg);
    expect(trail.out).toContain("Audit trail (case 70002)");
    expect(trail.out).toContain("70002");
  });

  test("sos audit's bad input is refused in the same words on both", async () => {
    const before = await pgRows();
    const asks = [
      ["audit", "--staff", "nobody@demo-agency.example"],
      ["audit", "--since", "2016-02-30"],
      ["audit", "--format", "xml"],
      ["audit", "--bogus"],
    ];
    for (const ask of asks) {
      const r = await both(ask);
      expect(r.pg.code, ask.join(" ")).toBe(2);
      expect(r.pg.out, ask.join(" ")).toBe("");
      expect(r.onPg, ask.join(" ")).toEqual(r.onFile);
    }
    expect((await both(["audit", "--staff", "nobody@demo-agency.example"])).pg.err).toBe(
      "sos: --staff nobody@demo-agency.example: no one with that email has ever been on the staff list\n",
    );
    expect(await pgRows()).toBe(before);
  });

  test("sos sync: a dry run, then the sync, say the same; a second sync changes nothing", async () => {
    const one = { SOS_CONFIG: config("one-gone") };
    const dry = await both(["sync", "--dry-run"], one);
    expect(dry.onPg).toEqual(dry.onFile);
    expect(dry.pg.out).toContain(
      `Dry run, nothing written: a sync of one-gone.yaml into ${shownUrl(db!.url)} would change: 1 person left the config.`,
    );
    const synced = await both(["sync"], one);
    expect(synced.pg.err).toBe("");
    expect(synced.onPg).toEqual(synced.onFile);
    expect(synced.pg.out).toBe("Staff:     1 person left the config.\n");
    const gone = await pool!.query(
      "SELECT active FROM staff WHERE email = 'robin.ellis@demo-agency.example'",
    );
    expect(gone.rows).toEqual([{ active: false }]);
    const again = await both(["sync"], one);
    expect(again.onPg).toEqual(again.onFile);
    expect(again.pg.out).toBe(
      "Staff:     unchanged: the database already has the config's teams and staff.\n",
    );
    const back = await both(["sync"]);
    expect(back.onPg).toEqual(back.onFile);
    expect(back.pg.out).toBe("Staff:     1 person back.\n");
  });

  test("a sync marking a third of the staff gone is refused, and written only once accepted", async () => {
    const two = { SOS_CONFIG: config("two-gone") };
    const dry = await both(["sync", "--dry-run"], two);
    expect(dry.onPg).toEqual(dry.onFile);
    expect(dry.pg.out).toContain("It would be refused: ");
    const before = await pgRows();
    const refused = await both(["sync"], two);
    expect(refused.pg.code).toBe(2);
    expect(refused.pg.out).toBe("");
    expect(refused.pg.err).toContain("--accept-staff-changes");
    expect(refused.onPg).toEqual(refused.onFile);
    expect(await pgRows()).toBe(before);

    const accepted = await both(["sync", "--accept-staff-changes"], two);
    expect(accepted.pg.err).toBe("");
    expect(accepted.onPg).toEqual(accepted.onFile);
    expect(accepted.pg.out).toBe("Staff:     2 people left the config.\n");
    const active = await pool!.query("SELECT count(*)::integer AS n FROM staff WHERE active");
    expect(active.rows).toEqual([{ n: 4 }]);
    const back = await both(["sync"]);
    expect(back.onPg).toEqual(back.onFile);
    expect(back.pg.out).toBe("Staff:     2 people back.\n");
  });

  test("another agency's config, or an unknown option, is refused the same and writes nothing", async () => {
    const before = await pgRows();
    for (const [args, extra] of [
      [["sync"], { SOS_CONFIG: config("other") }],
      [["sync", "--dry-run"], { SOS_CONFIG: config("other") }],
      [["sync", "--bogus"], {}],
    ] as const) {
      const r = await both([...args], extra);
      expect(r.pg.code, args.join(" ")).toBe(2);
      expect(r.pg.out, args.join(" ")).toBe("");
      expect(r.onPg, args.join(" ")).toEqual(r.onFile);
    }
    const other = await runSos(dir, ["sync"], { ...onPg, SOS_CONFIG: config("other") });
    expect(other.err).toContain("Demo Family Services");
    expect(await pgRows()).toBe(before);
  });

  test("sos api-client adds, lists and revokes the same; the token is shown once and only its hash kept", async () => {
    const empty = await both(["api-client", "list"]);
    expect(empty.onPg).toEqual(empty.onFile);
    expect(empty.pg.out).toBe("No API clients yet: sos api-client add NAME --scopes … adds one.\n");

    const add = [
      "api-client",
      "add",
      "case-system",
      "--scopes",
      "dashboards:read,cases:read",
      "--team",
      "north",
    ];
    const added = await both(add);
    expect(added.pg.err).toBe("");
    const token = /^ {2}(sos_\S+)$/m.exec(added.pg.out)?.[1];
    const fileToken = /^ {2}(sos_\S+)$/m.exec(added.file.out)?.[1];
    expect(token).toBeDefined();
    expect(token).not.toBe(fileToken);
    expect(added.onPg.out.replace(token!, "<token>")).toBe(added.onFile.out.replace(fileToken!, "<token>"));
    expect(added.pg.out).toContain(
      "Added API client case-system (dashboards:read, cases:read; teams north).",
    );
    const stored = await pool!.query("SELECT token_hash FROM api_clients WHERE name = 'case-system'");
    expect(stored.rows).toEqual([{ token_hash: tokenHash(token!) }]);
    expect(await pgRows()).not.toContain(token!);

    const listed = await both(["api-client", "list"]);
    expect(listed.onPg).toEqual(listed.onFile);
    expect(listed.pg.out).toBe("case-system  dashboards:read,cases:read  teams north  added 2016-03-01\n");

    const revoked = await both(["api-client", "revoke", "case-system"]);
    expect(revoked.onPg).toEqual(revoked.onFile);
    expect(revoked.pg.out).toBe("Revoked case-system: its token is refused from now on.\n");
    const twice = await both(["api-client", "revoke", "case-system"]);
    expect(twice.onPg).toEqual(twice.onFile);
    expect(twice.pg.out).toBe(
      "case-system was revoked already (2016-03-01T12:00:00.000Z); nothing changed.\n",
    );

    // Each change is in the audit trail, as on the file.
    const trail = await both(["audit", "--format", "csv"]);
    expect(trail.onPg).toEqual(trail.onFile);
    expect(trail.pg.out).toContain("api-client add");
    expect(trail.pg.out).toContain("api-client revoke");
  });

  test("sos api-client's bad input is refused in the same words on both, and writes nothing", async () => {
    const before = await pgRows();
    const asks = [
      ["api-client", "revoke", "no-such-client"],
      ["api-client", "add", "case-system", "--scopes", "dashboards:read"],
      ["api-client", "add", "reports", "--scopes", "everything"],
      ["api-client", "add", "reports", "--scopes", "dashboards:read", "--team", "south"],
      ["api-client", "add", "Bad Name", "--scopes", "dashboards:read"],
      ["api-client", "frob"],
      ["api-client", "list", "--bogus"],
    ];
    for (const ask of asks) {
      const r = await both(ask);
      expect(r.pg.code, ask.join(" ")).toBe(2);
      expect(r.pg.out, ask.join(" ")).toBe("");
      expect(r.onPg, ask.join(" ")).toEqual(r.onFile);
    }
    expect((await both(["api-client", "revoke", "no-such-client"])).pg.err).toBe(
      "sos: there is no API client called no-such-client (sos api-client list shows them)\n",
    );
    expect(await pgRows()).toBe(before);
  });

  test("on a database to migrate, another agency's config or a sync needing acceptance is refused before migrating", async () => {
    const own = await emptyPgDatabase();
    const client = new pg.Client({ connectionString: own.url });
    await client.connect();
    try {
      const env = { ...onPg, DATABASE_URL: own.url };
      expect((await runSos(dir, ["migrate"], env)).code).toBe(0);
      // The last migration forgotten: the schema is "behind", as after an upgrade of the app.
      await client.query(
        "DELETE FROM drizzle.__drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)",
      );
      const applied = async () =>
        JSON.stringify(
          (await client.query("SELECT hash, created_at FROM drizzle.__drizzle_migrations ORDER BY id")).rows,
        );
      const before = [
        await applied(),
        JSON.stringify((await client.query("SELECT * FROM staff ORDER BY id")).rows),
      ];
      const other = await runSos(dir, ["sync"], { ...env, SOS_CONFIG: config("other") });
      expect([other.code, other.out]).toEqual([2, ""]);
      expect(other.err).toBe(
        `sos: ${shownUrl(own.url)} belongs to Demo Family Services (agency id demo-family-services) but the config other.yaml is for Other Family Services (agency id other-family-services), so nothing was changed: set SOS_CONFIG to that agency's config or SOS_DB to another database (the same agency under a new name keeps its records with agency.id: demo-family-services in the config).\n`,
      );
      const two = await runSos(dir, ["sync"], { ...env, SOS_CONFIG: config("two-gone") });
      expect([two.code, two.out]).toEqual([2, ""]);
      expect(two.err).toContain(
        "so nothing was changed: if that is right, run `sos sync --accept-staff-changes`.",
      );
      expect([
        await applied(),
        JSON.stringify((await client.query("SELECT * FROM staff ORDER BY id")).rows),
      ]).toEqual(before);

      // A schema from a newer version is refused, as the SQLite file's is, and not written to.
      await client.query(
        "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-a-newer-version', 99999999999999)",
      );
      const newer = await applied();
      const ahead = await runSos(dir, ["sync"], env);
      expect([ahead.code, ahead.out, ahead.err]).toEqual([
        2,
        "",
        `sos: ${shownUrl(own.url)} was made by a newer version of sos-dashboards than this one, so nothing was changed: update this copy before using it.\n`,
      ]);
      expect(await applied()).toBe(newer);
    } finally {
      await client.end();
      await own.drop();
    }
  });
});
