import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { JANE, makeTestCtx, type TestCtx } from "../../test/helpers/ctx.ts";
import { DEMO_YAML } from "../../test/helpers/demo-config.ts";
import { parseOrg } from "../config/load.ts";
import { backupDatabase, backupName, listBackups, toPrune } from "./backup.ts";
import { runBackup } from "./backup-job.ts";
import { failuresSinceGood, lastGoodBackup, recentBackups } from "./backup-ledger.ts";
import { backupOwed, lastDueBackup } from "./backup-schedule.ts";
import { CheckFailed, checkDatabaseFile } from "./verify.ts";

let t: TestCtx;
beforeEach(() => {
  t = makeTestCtx();
});
afterEach(() => t.close());

const mode = (p: string) => statSync(p).mode & 0o777;

describe("backupDatabase", () => {
  test("copies the live database into one checked file, mode 0600, with every entry", async () => {
    await t.run(JANE, "mapped-with-family 12345 -- at school");
    const out = join(t.dir, "copy.db");
    const made = await backupDatabase(t.ctx.store.sqlite, out);
    const events = (
      t.ctx.store.sqlite.prepare("SELECT count(*) AS n FROM practice_events").get() as { n: number }
    ).n;
    expect(made.eventsBefore).toBe(events);
    expect(made.check).toMatchObject({ integrity: ["ok"], schema: "current", cases: 6, events });
    expect(made.check.projection).toEqual({ checked: 6, differing: [] });
    expect(mode(out)).toBe(0o600);
    // One file: nothing beside it, no partial left.
    expect(readdirSync(t.dir).filter((f) => f.startsWith("copy.db") || f.includes("partial"))).toEqual([
      "copy.db",
    ]);
    expect(checkDatabaseFile(out).agency).toEqual({
      id: "demo-family-services",
      name: "Demo Family Services",
    });
  });

  test("a copy whose dashboards differ from its entries fails its check and leaves no file", async () => {
    // What a projection gone wrong looks like: the row says nothing was done.
    t.ctx.store.sqlite.prepare("UPDATE cases SET states = '{}' WHERE id = '12346'").run();
    const out = join(t.dir, "bad.db");
    await expect(backupDatabase(t.ctx.store.sqlite, out)).rejects.toThrow(
      "the copy failed its check: the dashboards of 1 case (12346) differ from a rebuild from their entries",
    );
    expect(readdirSync(t.dir).filter((f) => f.includes("bad.db"))).toEqual([]);
  });

  test("never overwrites a file", async () => {
    const out = join(t.dir, "there.db");
    writeFileSync(out, "keep me");
    await expect(backupDatabase(t.ctx.store.sqlite, out)).rejects.toThrow(CheckFailed);
  });
});

describe("runBackup: the ledger and the folder", () => {
  const withDir = (dir: string, keep: number) =>
    parseOrg(`${DEMO_YAML}\nbackup: { dir: ${dir}, keep: ${keep} }\n`, join(t.dir, "sos.config.yaml"));

  test("backups into backup.dir are named by time, recorded, and pruned to keep", async () => {
    const org = withDir("backups", 2);
    let clock = Date.parse("2026-12-01T02:00:00Z");
    const now = () => {
      clock += 1000;
      return new Date(clock);
    };
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await runBackup(org, t.ctx.store, { kind: "scheduled" }, now);
      if (!r.ok) throw new Error(r.error);
      made.push(r.made.path);
      expect(r.pruned).toEqual(i < 2 ? [] : [made[0]]);
    }
    const dir = join(t.dir, "backups");
    expect(mode(dir)).toBe(0o700);
    expect(listBackups(dir, "demo-family-services")).toEqual(made.slice(1));
    expect(made[0]).toBe(join(dir, "demo-family-services-20261201T020001.000Z.db"));
    expect(recentBackups(t.ctx.store, 10).map((r) => r.status)).toEqual(["ok", "ok", "ok"]);
    expect(lastGoodBackup(t.ctx.store, "scheduled")?.path).toBe(made[2]);
  });

  test("a failure is recorded with why, and prunes nothing", async () => {
    writeFileSync(join(t.dir, "in-the-way"), "a file where the folder should be");
    const org = withDir("in-the-way/backups", 1);
    const r = await runBackup(org, t.ctx.store, { kind: "scheduled" });
    expect(r).toMatchObject({ ok: false });
    expect(r.ok === false && r.error).toMatch(/is in the way: the backup folder's path holds a file/);
    expect(failuresSinceGood(t.ctx.store).map((f) => f.error)).toEqual([r.ok === false ? r.error : ""]);
    expect(lastGoodBackup(t.ctx.store)).toBeUndefined();
    expect(existsSync(join(t.dir, "in-the-way"))).toBe(true);
  });
});

describe("names, pruning and the schedule's catch-up", () => {
  test("names sort in time order; only this agency's stamped files are pruned", () => {
    expect(backupName("north", new Date("2026-12-01T02:00:00.000Z"))).toBe("north-20261201T020000.000Z.db");
    expect(toPrune(["a", "b", "c", "d"], 2)).toEqual(["a", "b"]);
    expect(toPrune(["a"], 2)).toEqual([]);
    writeFileSync(join(t.dir, "north-20261201T020000Z.db"), "");
    writeFileSync(join(t.dir, "north-before-migration-20261101T020000Z.db"), "");
    writeFileSync(join(t.dir, "south-20261201T020000Z.db"), "");
    expect(listBackups(t.dir, "north")).toEqual([join(t.dir, "north-20261201T020000Z.db")]);
  });

  test("a backup is owed at start-up when its time came with no good backup since", () => {
    const tz = "Europe/London";
    const now = new Date("2026-12-01T10:00:00Z");
    expect(lastDueBackup("0 2 * * *", tz, now)?.toISOString()).toBe("2026-12-01T02:00:00.000Z");
    expect(backupOwed("0 2 * * *", tz, now, null)).toBe(true);
    expect(backupOwed("0 2 * * *", tz, now, new Date("2026-11-30T02:00:30Z"))).toBe(true);
    expect(backupOwed("0 2 * * *", tz, now, new Date("2026-12-01T02:00:30Z"))).toBe(false);
    // Weekly on Sunday 03:00, in the agency's zone (Sydney is ahead of UTC).
    expect(lastDueBackup("0 3 * * 0", "Australia/Sydney", now)?.toISOString()).toBe(
      "2026-11-28T16:00:00.000Z",
    );
  });
});
