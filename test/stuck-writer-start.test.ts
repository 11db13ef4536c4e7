import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { readContext } from "../src/app/context.ts";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { pgContext } from "../src/app/pg-context.ts";
import { stuckRules } from "../src/commands/board.ts";
import { dayClock } from "../src/commands/clock.ts";
import { loadOrg } from "../src/config/load.ts";
import { openStoreReadOnly } from "../src/store/open-readonly.ts";
import { openPgStore } from "../src/store/pg/open.ts";
import { PATIENCE_MS, type RunningSos, startSos } from "./helpers/sos-start.ts";
import { describeEachStore, emptyPgDatabase } from "./helpers/stores.ts";
import { type Recorder, startSlackRecorder } from "./slack/recorder.ts";
import { slashCommands } from "./slack/slash.ts";

/**
 * `sos start` runs the stuck-since writer (on PostgreSQL, the schedule leader does): a real child
 * process on the demo agency, signed Slack requests over HTTP. Every wait is on a log line the
 * writer writes when it has caught up, with a deadline; what it stored is then read from the
 * database and held against the rules.
 */

const SECRET = "stuck-writer-signing-secret";

describeEachStore("sos start keeps stuck since current", (kind) => {
  let root: string;
  let slack: Recorder;
  let app: RunningSos;
  let pgDb: Awaited<ReturnType<typeof emptyPgDatabase>> | undefined;
  let dbPath: string;
  const org = loadOrg(DEMO_CONFIG);
  const rules = stuckRules(org);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sos-stuck-writer-"));
    slack = await startSlackRecorder();
    dbPath = join(root, "sos.db");
    if (kind === "postgres") pgDb = await emptyPgDatabase();
    app = await startSos(root, {
      SOS_CONFIG: DEMO_CONFIG,
      SOS_TODAY: "2016-03-01",
      LOG_LEVEL: "debug",
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      ...(pgDb ? { DATABASE_URL: pgDb.url } : { SOS_DB: dbPath }),
    });
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await slack?.close();
    await pgDb?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Every open case: what the server stored, and what the rules say, under the current generation. */
  async function storedAndRight() {
    if (kind === "sqlite") {
      const store = openStoreReadOnly(dbPath);
      try {
        const ctx = readContext(org, store, dayClock("2016-03-01", org.agency.timeZone));
        const gen = ctx.repo.stuck.generation(rules);
        const raw = store.sqlite
          .prepare(
            "SELECT id, stuck_since AS since, stuck_for AS gen FROM cases WHERE status = 'open' ORDER BY id",
          )
          .all();
        const open = [...ctx.repo.cases.open({})].sort((a, b) => (a.id < b.id ? -1 : 1));
        return { stored: raw, right: open.map((c) => ({ id: c.id, since: rules.since(c), gen })) };
      } finally {
        store.close();
      }
    }
    const store = await openPgStore(pgDb!.url, { max: 1 });
    try {
      const { ctx } = await pgContext(org, store, dayClock("2016-03-01", org.agency.timeZone));
      const [meta] = (
        await store.pool.query("SELECT stuck_generation AS gen, stuck_fingerprint AS fp FROM derived")
      ).rows;
      const gen = meta.fp === rules.fingerprint ? meta.gen : null;
      const raw = (
        await store.pool.query(
          `SELECT id, stuck_since AS since, stuck_for AS gen FROM cases WHERE status = 'open' ORDER BY id COLLATE "C"`,
        )
      ).rows;
      const open = [...(await ctx.records.reads.openCases({}))].sort((a, b) => (a.id < b.id ? -1 : 1));
      return { stored: raw, right: open.map((c) => ({ id: c.id, since: rules.since(c), gen })) };
    } finally {
      await store.close();
    }
  }

  test(
    "at start it works out every demo case; a log through Slack is worked out a moment later",
    async () => {
      await app.waitForLog(/^stuck since: caught up/);
      const atStart = await storedAndRight();
      expect(atStart.right.length).toBeGreaterThan(5);
      expect(atStart.right.every((r) => r.gen !== null)).toBe(true);
      expect(atStart.stored).toEqual(atStart.right);

      const from = app.logLines().length;
      const send = slashCommands(SECRET, () => ({ port: app.port, slack }));
      const { reply } = await send("U0DEMOJANE", "scale 12346 6");
      expect(reply).toMatch(/^Recorded/);
      await app.waitForLog(/^stuck since: caught up/, from);
      const after = await storedAndRight();
      expect(after.stored).toEqual(after.right);
      // The log did change what the rules say of the case: a value from before it would show.
      expect(after.right.find((r) => r.id === "12346")).not.toEqual(
        atStart.right.find((r) => r.id === "12346"),
      );
    },
    PATIENCE_MS * 2,
  );
});
