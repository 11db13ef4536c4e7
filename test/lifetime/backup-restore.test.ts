import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_YAML, OTHER_AGENCY_YAML, writeConfig } from "../helpers/demo-config.ts";
import { fingerprint, makePreAgencyDb } from "../helpers/files.ts";
import { demoDb, SPAWNING, serve, sos } from "./run.ts";

const mode = (p: string) => statSync(p).mode & 0o777;
const count = (db: string, sql: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-lifetime-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A folder of its own for each test: its database, config and backups. */
function place(name: string): string {
  const d = join(dir, name);
  rmSync(d, { recursive: true, force: true });
  return mkdtempSync(`${d}-`);
}

describe("sos backup", () => {
  test("--out copies the database, checks the copy and says so; status shows it", SPAWNING, async () => {
    const d = place("backup-out");
    const db = demoDb(d);
    const r = await sos(d, ["backup", "--out", "copy.db"], { SOS_DB: db });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Backed up sos\.db to copy\.db \(\d+ KB, [\d.]+ s\), file mode 0600\.$/);
    expect(lines[1]).toBe(
      "Checked the copy: integrity ok; 6 cases, 43 entries; every case's dashboard matches a rebuild from its entries; the database held 43 entries when the copy began, and every one is in it.",
    );
    expect(mode(join(d, "copy.db"))).toBe(0o600);
    expect(count(join(d, "copy.db"), "SELECT count(*) AS n FROM practice_events")).toBe(43);

    const again = await sos(d, ["backup", "--out", "copy.db"], { SOS_DB: db });
    expect(again.code).toBe(2);
    expect(again.err).toBe(
      "sos: copy.db already exists: give --out a new file name (a backup never overwrites one)\n",
    );
    const none = await sos(d, ["backup"], { SOS_DB: db });
    expect(none.code).toBe(2);
    expect(none.err).toContain("has no backup.dir: give --out FILE, or add backup: { dir: … } to the config");

    const status = await sos(d, ["backup", "status"], { SOS_DB: db });
    expect(status.code).toBe(0);
    expect(status.out).toMatch(
      /^Last good backup: \d\d\/\d\d\/\d\d \d\d:\d\d \(less than a minute ago\), copy\.db, \d+ KB, 6 cases, 43 entries\.\n/,
    );
    expect(status.out).toContain("No backup folder or schedule in the config");
  });

  test(
    "into backup.dir: named by time, pruned to keep; a failure is one line, recorded and shown",
    SPAWNING,
    async () => {
      const d = place("backup-dir");
      const db = demoDb(d);
      writeConfig(
        join(d, "sos.config.yaml"),
        `${DEMO_YAML}\nbackup: { dir: backups, keep: 2, schedule: "0 2 * * *" }\n`,
      );
      for (let i = 0; i < 3; i++) {
        const r = await sos(d, ["backup"], { SOS_DB: db });
        expect(r.code).toBe(0);
        if (i === 2)
          expect(r.out).toMatch(
            /Removed 1 older backup \(backup\.keep is 2\): backups\/demo-family-services-\d{8}T\d{6}\.\d{3}Z\.db\./,
          );
      }
      const files = readdirSync(join(d, "backups"));
      expect(files).toHaveLength(2);
      for (const f of files) expect(f).toMatch(/^demo-family-services-\d{8}T\d{6}\.\d{3}Z\.db$/);

      writeConfig(join(d, "sos.config.yaml"), `${DEMO_YAML}\nbackup: { dir: in-the-way/backups }\n`);
      writeFileSync(join(d, "in-the-way"), "a file where a folder should be");
      const failed = await sos(d, ["backup"], { SOS_DB: db });
      expect(failed.code).toBe(1);
      expect(failed.err.split("\n").filter(Boolean)).toHaveLength(1);
      expect(failed.err).toMatch(
        /^sos: backup failed: .*in-the-way.* is in the way: the backup folder's path holds a file\./,
      );
      const status = await sos(d, ["backup", "status"], { SOS_DB: db });
      expect(status.out).toMatch(/1 failed since then; the latest: in-the-way\/backups is in the way/);
      expect(status.out).toMatch(/failed +in-the-way\/backups\/demo-family-services-\d{8}T\d{6}\.\d{3}Z\.db/);
    },
  );
});

describe("sos restore", () => {
  let d: string;
  let db: string;
  let backup: string;
  beforeAll(async () => {
    d = place("restore");
    db = demoDb(d);
    backup = join(d, "backup.db");
    const r = await sos(d, ["backup", "--out", backup], { SOS_DB: db });
    expect(r.code).toBe(0);
  }, SPAWNING.timeout);

  test(
    "into a new place: checked first, file 0600, the same records, and an audit line",
    SPAWNING,
    async () => {
      const fresh = join(d, "fresh", "sos.db");
      const r = await sos(d, ["restore", "backup.db"], { SOS_DB: fresh });
      expect(r.err).toBe("");
      expect(r.out).toBe(
        "Checked backup.db: integrity ok; 6 cases, 43 entries; every case's dashboard matches a rebuild from its entries.\n" +
          "Restored fresh/sos.db from backup.db (Demo Family Services), file mode 0600.\n" +
          "`sos start` serves it.\n",
      );
      expect(mode(fresh)).toBe(0o600);
      const dash = await sos(d, ["dashboard", "--today", "2016-03-01"], { SOS_DB: fresh });
      const original = await sos(d, ["dashboard", "--today", "2016-03-01"], { SOS_DB: db });
      expect(dash.out).toBe(original.out);
      const audit = await sos(d, ["audit"], { SOS_DB: fresh });
      expect(audit.out.trimEnd().split("\n").at(-1)).toMatch(
        /the system \(cli\) {2}restored the database from backup\.db$/,
      );
    },
  );

  test("over a database holding cases: refused unless --force, which moves it aside", SPAWNING, async () => {
    const before = fingerprint(db);
    const refused = await sos(d, ["restore", "backup.db"], { SOS_DB: db });
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(
      "sos: sos.db holds 6 cases, so nothing was restored: add --force to restore over it (it is moved aside, not deleted).\n",
    );
    expect(fingerprint(db)).toEqual(before);
    const forced = await sos(d, ["restore", "backup.db", "--force"], { SOS_DB: db });
    expect(forced.code).toBe(0);
    const aside =
      /Moved the database that was at sos\.db to (sos\.db\.replaced-\d{8}T\d{6}Z) \(6 cases\): a restore deletes nothing\./.exec(
        forced.out,
      );
    expect(aside).not.toBeNull();
    expect(mode(join(d, aside![1]!))).toBe(0o600);
    expect(count(join(d, aside![1]!), "SELECT count(*) AS n FROM cases")).toBe(6);
    expect(existsSync(`${db}-wal`) && statSync(`${db}-wal`).size > 0).toBe(false);
  });

  test("another agency's backup is refused unless --force; a damaged file always", SPAWNING, async () => {
    const other = join(d, "other");
    rmSync(other, { recursive: true, force: true });
    const o = mkdtempSync(`${other}-`);
    const cfg = writeConfig(join(o, "northshire.yaml"), OTHER_AGENCY_YAML);
    const made = await sos(o, ["migrate"], { SOS_DB: join(o, "n.db"), SOS_CONFIG: cfg });
    expect(made.code).toBe(0);
    const ob = await sos(o, ["backup", "--out", "n-backup.db"], { SOS_DB: join(o, "n.db"), SOS_CONFIG: cfg });
    expect(ob.code).toBe(0);
    const target = join(d, "for-other", "sos.db");
    const refused = await sos(d, ["restore", join(o, "n-backup.db")], { SOS_DB: target });
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "belongs to Northshire Children's Services (agency id northshire) but the config ",
    );
    expect(refused.err).toContain(
      "so nothing was restored: set SOS_CONFIG to that agency's config, or add --force if this is right.",
    );
    expect(existsSync(target)).toBe(false);
    expect((await sos(d, ["restore", join(o, "n-backup.db"), "--force"], { SOS_DB: target })).code).toBe(0);

    const damaged = join(d, "damaged.db");
    writeFileSync(damaged, "this is not a database at all, just some bytes ".repeat(200));
    const bad = await sos(d, ["restore", "damaged.db", "--force"], { SOS_DB: join(d, "x", "sos.db") });
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      "sos: damaged.db is not a database SQLite can read (SQLITE_NOTADB), so nothing was restored.\n",
    );
  });

  test(
    "while a server holds the database: refused, saying how it knows and what to do",
    SPAWNING,
    async () => {
      const target = join(d, "served", "sos.db");
      expect((await sos(d, ["restore", "backup.db"], { SOS_DB: target })).code).toBe(0);
      const server = serve(d, { SOS_DB: target });
      try {
        await server.waitFor("Console:");
        const refused = await sos(d, ["restore", "backup.db", "--force"], { SOS_DB: target });
        expect(refused.code).toBe(2);
        expect(refused.err).toBe(
          "sos: a server is running on served/sos.db (a running `sos start` holds the lock on served/sos.db.lock), so nothing was restored: stop it first (Ctrl+C in its terminal, or SIGTERM to its process, e.g. `systemctl stop` for a service), then restore.\n",
        );
        const second = await sos(d, ["start"], { SOS_DB: target });
        expect(second.code).toBe(2);
        expect(second.err).toContain("another sos is already serving served/sos.db");
      } finally {
        expect(await server.stop()).toBe(0);
      }
      const after = await sos(d, ["restore", "backup.db", "--force"], { SOS_DB: target });
      expect(after.code).toBe(0);
    },
  );
});

describe("a backup before a migration", () => {
  test(
    "sos migrate on a database made by an earlier version copies it first and says where",
    SPAWNING,
    async () => {
      const d = place("pre-migration");
      const db = join(d, "sos.db");
      makePreAgencyDb(db);
      const cases = count(db, "SELECT count(*) AS n FROM cases");
      const events = count(db, "SELECT count(*) AS n FROM practice_events");
      const r = await sos(d, ["migrate"], { SOS_DB: db });
      expect(r.code).toBe(0);
      const m =
        /^Backup: {4}before migrating, copied the database to (demo-family-services-before-migration-\d{8}T\d{6}\.\d{3}Z\.db) \(mode 0600\): integrity ok; 6 cases, 43 entries; every case's dashboard matches a rebuild from its entries\.$/m.exec(
          r.out,
        );
      expect(m, r.out).not.toBeNull();
      const copy = join(d, m![1]!);
      expect(mode(copy)).toBe(0o600);
      // The copy is the database as it was: the earlier schema (no agency table), every record.
      expect(count(copy, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'meta'")).toBe(0);
      expect([
        count(copy, "SELECT count(*) AS n FROM cases"),
        count(copy, "SELECT count(*) AS n FROM practice_events"),
      ]).toEqual([cases, events]);
      const status = await sos(d, ["backup", "status"], { SOS_DB: db });
      expect(status.out).toMatch(/pre-migration +ok +demo-family-services-before-migration-/);
      // Up to date now: migrating again copies nothing.
      const again = await sos(d, ["migrate"], { SOS_DB: db });
      expect(again.out).not.toContain("Backup:");
    },
  );
});

describe("scheduled backups in sos start", () => {
  test("a backup missed while the app was down is made at start-up, into backup.dir", SPAWNING, async () => {
    const d = place("scheduled");
    const db = demoDb(d);
    // Every day at midnight: that time has always passed within the last day, and nothing was made.
    writeConfig(
      join(d, "sos.config.yaml"),
      `${DEMO_YAML}\nbackup: { dir: backups, keep: 3, schedule: "0 0 * * *" }\n`,
    );
    const server = serve(d, { SOS_DB: db });
    try {
      await server.waitFor(/^Backup: {4}Backed up .*\(caught up: none since its last scheduled time\)\.$/m);
      expect(server.out()).toMatch(
        /^Backups: {3}0 0 \* \* \* into backups, keeping 3; next \d\d\/\d\d\/\d\d 00:00$/m,
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(readdirSync(join(d, "backups"))).toHaveLength(1);
    const status = await sos(d, ["backup", "status"], { SOS_DB: db });
    expect(status.out).toMatch(/scheduled +ok +backups\/demo-family-services-\d{8}T\d{6}\.\d{3}Z\.db/);
    expect(status.out).not.toContain("Missed:");
  });

  test(
    "a scheduled backup that fails says so in one line on standard error, and status says why",
    SPAWNING,
    async () => {
      const d = place("scheduled-fail");
      const db = demoDb(d);
      writeFileSync(join(d, "in-the-way"), "a file where a folder should be");
      writeConfig(
        join(d, "sos.config.yaml"),
        `${DEMO_YAML}\nbackup: { dir: in-the-way/backups, schedule: "0 0 * * *" }\n`,
      );
      const server = serve(d, { SOS_DB: db });
      try {
        await server.waitFor("sos: backup failed:", "err");
        await server.waitFor("\n", "err");
        expect(server.err()).toMatch(
          /^sos: backup failed: .*in-the-way.* is in the way: the backup folder's path holds a file\. .*\n$/,
        );
      } finally {
        await server.stop();
      }
      const status = await sos(d, ["backup", "status"], { SOS_DB: db });
      expect(status.out).toMatch(
        /^No good backup has been made yet\.\n1 failed; the latest: in-the-way\/backups is in the way/,
      );
      expect(status.out).toMatch(/Missed: the backup due \d\d\/\d\d\/\d\d 00:00 has not been made/);
    },
  );
});
