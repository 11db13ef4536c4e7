import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, beforeAll, expect, test } from "vitest";
import { syncContext } from "../src/app/context.ts";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { dayClock } from "../src/commands/clock.ts";
import { loadOrg } from "../src/config/load.ts";
import { digestPoster } from "../src/digest/deliver.ts";
import type { Lease } from "../src/digest/lease.ts";
import type { DigestMessage } from "../src/digest/post.ts";
import { createRunner } from "../src/digest/runner.ts";
import { MIGRATIONS_DIR, openStore } from "../src/store/open.ts";
import { PATIENCE_MS, sos } from "./helpers/sos-start.ts";

// A database written by a version from before digest claims were unique (migrations up to 0016),
// holding two standing claims of one slot, upgraded by the real `sos migrate`: it succeeds, one
// claim stands per slot, the others are marked superseded with every part kept, `sos digest status`
// says so, and the next run posts nothing again.

const dir = mkdtempSync(join(tmpdir(), "sos-upgrade-claims-"));
const dbPath = join(dir, "sos.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as the version before 0017 shipped it. */
function migrationsUpTo(last: number): string {
  const out = join(dir, "old-migrations");
  mkdirSync(join(out, "meta"), { recursive: true });
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  for (const e of journal.entries)
    copyFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`), join(out, `${e.tag}.sql`));
  writeFileSync(join(out, "meta/_journal.json"), JSON.stringify(journal));
  return out;
}

const W10 = { period: "2016-W10", scheduled_for: "2016-03-07T08:00:00.000Z" };
// [id, kind, scope, platform, status, forced, started_at]
const RUNS: [number, string, string, string, string, number, string][] = [
  // team north on Slack: a run whose process stopped, then two posted (the older version posted twice)
  [1, "team", "north", "slack", "posting", 0, "2016-03-07T08:00:00.000Z"],
  [2, "team", "north", "slack", "posted", 0, "2016-03-07T08:01:00.000Z"],
  [3, "team", "north", "slack", "posted", 0, "2016-03-07T08:02:00.000Z"],
  // a forced re-post sits outside the claim and is left alone
  [4, "team", "north", "slack", "posted", 1, "2016-03-07T09:00:00.000Z"],
  // the agency summary on Teams: unconfirmed stands before a later posting one
  [5, "agency", "agency", "teams", "posting", 0, "2016-03-07T08:00:00.000Z"],
  [6, "agency", "agency", "teams", "unconfirmed", 0, "2016-03-07T08:03:00.000Z"],
  // one claim only, and a failed try beside it: untouched
  [7, "team", "south", "slack", "failed", 0, "2016-03-07T08:00:00.000Z"],
  [8, "team", "south", "slack", "posted", 0, "2016-03-07T08:05:00.000Z"],
];

beforeAll(async () => {
  const old = new Database(dbPath);
  migrate(drizzle(old), { migrationsFolder: migrationsUpTo(16) });
  const run = old.prepare(
    `INSERT INTO digest_runs (id, kind, scope, period, platform, status, forced, scheduled_for, started_at, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [id, kind, scope, platform, status, forced, at] of RUNS)
    run.run(
      id,
      kind,
      scope,
      W10.period,
      platform,
      status,
      forced,
      W10.scheduled_for,
      at,
      status === "unconfirmed" ? "Its first message was sent twice, neither confirmed." : null,
    );
  const part = old.prepare(
    "INSERT INTO digest_parts (run_id, part, kind, status, ref, started_at) VALUES (?, ?, 'message', ?, ?, ?)",
  );
  for (const runId of [1, 2, 3, 4, 8]) part.run(runId, 0, "sent", `ts-${runId}`, "2016-03-07T08:00:00.000Z");
  part.run(1, 1, "sending", null, "2016-03-07T08:00:00.000Z");
  old.close();

  const r = await sos(dir, { SOS_DB: dbPath, SOS_TODAY: "2016-03-07" }, ["migrate"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
}, PATIENCE_MS * 2);

test("the upgrade keeps one claim per slot, marks the others superseded, and deletes nothing", () => {
  const db = new Database(dbPath, { readonly: true });
  try {
    const runs = db.prepare("SELECT id, status, forced, error FROM digest_runs ORDER BY id").all();
    const stands = (id: number, was: string, error = "") =>
      `A second claim of this digest from before claims were unique (it was ${was}${error}); run #${id} stands for it.`;
    expect(runs).toEqual([
      { id: 1, status: "superseded", forced: 0, error: stands(2, "posting") },
      { id: 2, status: "posted", forced: 0, error: null },
      { id: 3, status: "superseded", forced: 0, error: stands(2, "posted") },
      { id: 4, status: "posted", forced: 1, error: null },
      { id: 5, status: "superseded", forced: 0, error: stands(6, "posting") },
      {
        id: 6,
        status: "unconfirmed",
        forced: 0,
        error: "Its first message was sent twice, neither confirmed.",
      },
      { id: 7, status: "failed", forced: 0, error: null },
      { id: 8, status: "posted", forced: 0, error: null },
    ]);
    expect(db.prepare("SELECT run_id, part, status, ref FROM digest_parts ORDER BY id").raw().all()).toEqual([
      [1, 0, "sent", "ts-1"],
      [2, 0, "sent", "ts-2"],
      [3, 0, "sent", "ts-3"],
      [4, 0, "sent", "ts-4"],
      [8, 0, "sent", "ts-8"],
      [1, 1, "sending", null],
    ]);
    const index = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'digest_runs_one_claim'")
      .pluck()
      .get();
    expect(index).toBe("digest_runs_one_claim");
  } finally {
    db.close();
  }
});

test(
  "sos digest status lists the superseded runs with the run that stands, and no failure to retry",
  async () => {
    const r = await sos(dir, { SOS_DB: dbPath, SOS_TODAY: "2016-03-07", COLUMNS: "400" }, [
      "digest",
      "status",
    ]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    const superseded = lines.filter((l) => /\bsuperseded\b/.test(l));
    expect(superseded).toHaveLength(3);
    expect(superseded.filter((l) => l.includes("run #2 stands for it."))).toHaveLength(2);
    expect(superseded.filter((l) => l.includes("run #6 stands for it."))).toHaveLength(1);
    // The one failed try is still reported as one, not the superseded runs.
    expect(r.stdout).toContain("\n1 failed: each is tried again");
    expect(r.stdout).not.toMatch(/stopped while posting/);
  },
  PATIENCE_MS,
);

test(
  "the next run posts none of the upgraded slots again",
  async () => {
    const org = loadOrg(DEMO_CONFIG);
    const store = openStore(dbPath);
    try {
      const { ctx } = syncContext(org, store, dayClock("2016-03-07", org.agency.timeZone));
      const sent: string[] = [];
      const poster = digestPoster<DigestMessage>({
        platform: "slack",
        name: "Slack",
        channelFor: (scope) => (scope.kind === "team" ? `slack-${scope.teamId}` : "slack-managers"),
        addressOf: async (actor) => actor.email,
        layout: (_doc, message) => [message],
        pictureFile: false,
        thread: { place: "in the thread", unit: ["message", "messages"] },
        withLine: (m, line) => ({ ...m, text: `${m.text}\n${line}` }),
        async send(to) {
          sent.push(to.kind === "channel" ? to.channel : to.actor.email);
          return `ref-${sent.length}`;
        },
      });
      const now = Date.parse("2016-03-07T10:00:00Z");
      const lease: Lease = { owner: "after-upgrade", now: () => now, alive: () => false };
      const runner = createRunner({ ctx, posters: [poster], lease });
      const at = new Date("2016-03-07T08:00:00Z");
      for (const scope of ["north", "south"]) {
        const out = await runner.run({ kind: "team", scope, at });
        expect(out.outcomes.map((o) => [o.status, o.detail.startsWith("already posted")])).toEqual([
          ["already", true],
        ]);
      }
      expect(sent).toEqual([]);
      expect(store.sqlite.prepare("SELECT count(*) FROM digest_runs").pluck().get(), "no run was added").toBe(
        RUNS.length,
      );
    } finally {
      store.close();
    }
  },
  PATIENCE_MS,
);
