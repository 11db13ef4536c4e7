import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PATIENCE_MS, type RunningSos, startSos } from "./helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";
import { sign, U } from "./slack/harness.ts";
import { type Recorder, startSlackRecorder } from "./slack/recorder.ts";
import { cardOf, personalMessage, sends } from "./teams/harness.ts";
import { startTeamsRecorder, type Recorder as TeamsRecorder } from "./teams/recorder.ts";

/**
 * Two real `sos start` processes on one PostgreSQL database, as an agency running two instances
 * behind a load balancer: a retry that lands on the other instance is answered once, from the row
 * the first one stored. Slack's Web API and response_urls are a local recorder, and so is the Teams
 * Bot Connector; every wait is on a banner, a log line or a recorded call, with a deadline.
 *
 * The schedules: the week's digests are due in both instances (they start on the demo's Tuesday,
 * the team digests were due on Monday); only the schedule lock's holder posts them, and when it is
 * killed in the middle of one, the other takes the lock over and posts the rest, each message once.
 */

const SECRET = "multi-instance-signing-secret";
const suite = PG_AVAILABLE ? describe : describe.skip;
if (!PG_AVAILABLE) process.stderr.write("multi-instance: skipped, no PostgreSQL server for this run\n");

suite("two sos start instances on one PostgreSQL database", { timeout: PATIENCE_MS * 3 }, () => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let slack: Recorder;
  let a: RunningSos;
  let b: RunningSos;
  let pool: pg.Pool;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sos-multi-"));
    db = await emptyPgDatabase();
    slack = await startSlackRecorder();
    const env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    // One after the other: the first migrates and claims the database (loading the demo's cases),
    // the second finds it current; starting both at once is the advisory lock's test (src/store/pg).
    a = await startSos(dir, env);
    b = await startSos(dir, env);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    const codes = [await a?.stop(), await b?.stop()];
    await pool?.end();
    await slack?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  /** `/sos <text>` signed as Slack signs it, to one instance; its reply is posted to `reply`'s response_url. */
  async function slash(to: RunningSos, user: string, text: string, trigger: string, reply: string) {
    const body = new URLSearchParams({
      team_id: "T1",
      channel_id: "D1",
      user_id: user,
      user_name: user.toLowerCase(),
      command: "/sos",
      text,
      api_app_id: "A1",
      response_url: slack.responseUrl(reply),
      trigger_id: trigger,
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${to.port}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(ts),
        "x-slack-signature": sign(SECRET, ts, body),
      },
      body,
    });
    expect(res.status).toBe(200);
  }

  const repliesTo = (id: string) => slack.of(`response_url:${id}`).map((c) => String(c.body.text));

  test("both say they serve from PostgreSQL, and what of the SQLite server they do not run", () => {
    for (const app of [a, b]) {
      expect(app.out()).toContain("sos-dashboards: slack on PostgreSQL\n");
      expect(app.out()).toContain(
        "SQLite-only: no WAL checkpointer, lock file or `sos backup` schedule here: back PostgreSQL up with its own tools (pg_dump, base backups).\n",
      );
    }
    expect(a.out()).toMatch(/Database: .*\(PostgreSQL, new: loaded the demo cases/);
    expect(b.out()).toMatch(/Database: .*\(PostgreSQL, existing;/);
  });

  test("each instance's /healthz and /readyz ask the database", async () => {
    for (const app of [a, b]) {
      const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, surfaces: ["slack", "api"] });
      const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
      const body = (await ready.json()) as { checks: Record<string, string> };
      expect(body.checks.database).toBe("ready");
    }
  });

  test("the same slash command (one trigger_id) sent to A, then retried on B: one row, the same reply from both", async () => {
    const count = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM practice_events WHERE case_id = '32346' AND element = 'mapping-with-family'",
          )
        ).rows[0]?.n,
      );
    const before = await count();
    await slash(a, U.jane, "mapped-with-family 32346", "trig-multi-1", "m1");
    const first = await slack.waitFor("response_url:m1", PATIENCE_MS);
    expect(String(first.body.text)).toMatch(/32346/);
    await slash(b, U.jane, "mapped-with-family 32346", "trig-multi-1", "m1");
    await slack.waitFor(() => repliesTo("m1").length >= 2, PATIENCE_MS);
    const [fromA, fromB] = repliesTo("m1");
    expect(fromB).toBe(fromA);
    expect(await count()).toBe(before + 1);
  });

  test("an entry taken back on B is gone for A too: a second undo on A takes nothing back twice", async () => {
    const logged = await pool.query<{ id: number }>(
      "SELECT id FROM practice_events WHERE case_id = '32346' AND element = 'mapping-with-family' AND retracts_id IS NULL ORDER BY id DESC LIMIT 1",
    );
    const id = logged.rows[0]?.id;
    await slash(b, U.jane, "undo", "trig-multi-2", "m2");
    const undone = await slack.waitFor("response_url:m2", PATIENCE_MS);
    expect(String(undone.body.text)).toMatch(/32346/);
    await slash(a, U.jane, "undo", "trig-multi-3", "m3");
    const again = await slack.waitFor("response_url:m3", PATIENCE_MS);
    expect(String(again.body.text)).not.toBe(String(undone.body.text));
    const retractions = await pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM practice_events WHERE retracts_id = $1",
      [id],
    );
    expect(Number(retractions.rows[0]?.n)).toBe(1);
  });
});

suite("the digests' schedules on two instances of one PostgreSQL database", {
  timeout: PATIENCE_MS * 4,
}, () => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let slack: Recorder;
  let pool: pg.Pool;
  const running: RunningSos[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sos-multi-digests-"));
    db = await emptyPgDatabase();
    slack = await startSlackRecorder();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    for (const r of running) await r.stop();
    await pool?.end();
    await slack?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const posts = () => slack.of("chat.postMessage");
  const shown = (c: { body: Record<string, unknown> }) =>
    `${String(c.body.channel)} ${JSON.stringify(c.body.blocks)}`;

  test("a digest due in both goes out once; the leader killed mid-digest, the other posts the rest", async () => {
    const env = {
      DATABASE_URL: db.url,
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    // Slack takes the first message of the catch-up and holds its answer to the second: the
    // leader is then in the middle of a digest (the other digests go on beside it).
    const release = slack.holdNext("chat.postMessage", 1);
    const first = await startSos(dir, env);
    await slack.waitFor(() => posts().length >= 2, PATIENCE_MS);
    const second = await startSos(dir, env);
    running.push(second);
    expect(first.out()).toContain("Schedules: this instance runs them (it holds the schedule lock)\n");
    expect(second.out()).toContain(
      "Schedules: another instance runs them; this one takes over if it stops\n",
    );

    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));
    release();
    // The lock went with the killed session: the second takes it on its next try and catches up,
    // resuming the run that stopped (its process is gone) and posting the digests not yet begun.
    await second.waitForLog(/^digest: caught up \S+ \S+ \S+ on slack: posted/);

    const slots = await pool.query<{ kind: string; scope: string; n: number; posting: number }>(
      `SELECT kind, scope, count(*)::integer AS n, count(*) FILTER (WHERE status = 'posting')::integer AS posting
       FROM digest_runs WHERE NOT forced GROUP BY kind, scope, period, platform`,
    );
    expect(slots.rows.length).toBeGreaterThan(1);
    for (const slot of slots.rows)
      expect({ ...slot, n: slot.n, posting: slot.posting }).toMatchObject({ n: 1, posting: 0 });
    const parts = await pool.query<{ n: number }>(
      "SELECT count(*)::integer AS n FROM digest_parts p JOIN digest_runs r ON r.id = p.run_id WHERE r.kind = 'team'",
    );
    expect(parts.rows[0]!.n).toBeGreaterThan(2);

    // Every message once; the one whose answer never came once more, saying it may repeat.
    const marked = posts().filter((c) => JSON.stringify(c.body.blocks).includes("may repeat"));
    expect(marked).toHaveLength(1);
    const unmarked = posts()
      .filter((c) => !marked.includes(c))
      .map(shown);
    expect(new Set(unmarked).size).toBe(unmarked.length);
  });
});

suite("two sos start instances on one PostgreSQL database, serving Teams", {
  timeout: PATIENCE_MS * 3,
}, () => {
  let dir: string;
  let db: { url: string; drop(): Promise<void> };
  let connector: TeamsRecorder;
  let a: RunningSos;
  let b: RunningSos;
  let pool: pg.Pool;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sos-multi-teams-"));
    db = await emptyPgDatabase();
    connector = await startTeamsRecorder();
    // No platform credentials: local mode, where Teams is answered without tokens on this machine's
    // loopback address (the Agents Playground's set-up), and replies go to the local connector.
    const env = { DATABASE_URL: db.url };
    a = await startSos(dir, env);
    b = await startSos(dir, env);
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    const codes = [await a?.stop(), await b?.stop()];
    await pool?.end();
    await connector?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    expect(codes).toEqual([0, 0]);
  });

  async function post(to: RunningSos, activity: object) {
    const res = await fetch(`http://127.0.0.1:${to.port}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(activity),
    });
    expect(res.status).toBeLessThan(300);
  }

  test("both serve Teams on PostgreSQL, anonymous in local mode on loopback", async () => {
    for (const app of [a, b]) {
      expect(app.out()).toContain(
        "sos-dashboards: local mode (no Slack or Teams credentials set) on PostgreSQL\n",
      );
      expect(app.out()).toContain("POST /api/messages: Microsoft Teams, anonymous (local mode)");
      expect(app.out()).not.toContain("Not yet on PostgreSQL: Teams");
      const health = await fetch(`http://127.0.0.1:${app.port}/healthz`);
      expect(await health.json()).toMatchObject({ ok: true, surfaces: ["teams", "api"] });
    }
  });

  test("the same Teams message (one activity id) sent to A, then again to B: one row, one reply each saying the same", async () => {
    const count = async () =>
      Number(
        (
          await pool.query<{ n: string }>(
            "SELECT count(*) AS n FROM practice_events WHERE case_id = '32346' AND element = 'mapping-with-family'",
          )
        ).rows[0]?.n,
      );
    const before = await count();
    const message = personalMessage(connector, "sos mapped-with-family 32346", { id: "teams-multi-1" });
    await post(a, message);
    await post(b, message);
    const replies = sends(connector.calls).filter((c) => c.path.includes("/activities"));
    expect(replies).toHaveLength(2);
    const [fromA, fromB] = replies.map((c) => cardOf(c).fallbackText);
    expect(fromA).toMatch(/^Recorded Mapping with Family .* for case 32346/);
    expect(fromB).toBe(fromA);
    expect(await count()).toBe(before + 1);
    // Where the app is installed is kept once, in the database both instances read.
    const places = await pool.query<{ id: string }>("SELECT id FROM teams_conversations");
    expect(places.rows.map((r) => r.id)).toEqual([String((message.conversation as { id: string }).id)]);
  });
});
