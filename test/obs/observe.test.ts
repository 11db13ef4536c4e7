import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { logRecords } from "../helpers/log-lines.ts";
import { metricValue } from "../helpers/metrics-text.ts";
import { PATIENCE_MS, type RunningSos, sos, startSos } from "../helpers/sos-start.ts";
import { SECRET, U } from "../slack/harness.ts";
import { type Recorder as SlackRecorder, startSlackRecorder } from "../slack/recorder.ts";
import { slashCommands } from "../slack/slash.ts";
import { JANE_TEAMS, personalMessage } from "../teams/harness.ts";
import { startTeamsRecorder, type Recorder as TeamsRecorder } from "../teams/recorder.ts";

// What a session puts in front of the app that must never reach its log: children's names (new
// ones, corrected ones, ones in refused commands) and the notes written about them.
const NEW_CHILD = "Tallulah Okonkwo-Bright";
const RENAMED = "Zephaniah Quist";
const REFUSED_CHILD = "Persephone Vandersloot";
const NOTES = [
  "mum disclosed that Grandad Ernesto hit her with a belt",
  "safety plan agreed with Auntie Wilhelmina at the school gate",
  "closed after Ernesto moved out; Wilhelmina is the safety person",
  "teacher Ms Featherstonehaugh saw bruising on her arm",
];
const DEMO_CHILDREN = ["Melli Majid", "Mary Telis"];
const SECRETS = ["xoxb-test-token-5a1e", SECRET];

/** Every name and note, and each word of them long enough to be telling. */
function telling(): string[] {
  const whole = [NEW_CHILD, RENAMED, REFUSED_CHILD, ...DEMO_CHILDREN, ...NOTES, ...SECRETS];
  const words = whole.flatMap((w) => w.split(/[\s;,]+/)).filter((w) => w.length >= 5 && /^[A-Z]/.test(w));
  return [...whole, ...words];
}

function dir(name: string): string {
  return mkdtempSync(join(tmpdir(), `sos-obs-${name}-`));
}

describe("sos start with Slack: the log, /metrics and /readyz as an operator sees them", () => {
  let slack: SlackRecorder;
  let app: RunningSos;
  let where: string;

  beforeAll(async () => {
    slack = await startSlackRecorder();
    where = dir("slack");
    app = await startSos(where, {
      SOS_DB: join(where, "sos.db"),
      // The most the log can say: nothing may hide below the default level.
      LOG_LEVEL: "trace",
      SLACK_BOT_TOKEN: SECRETS[0]!,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    });
    // Slack has answered who the bot is (logged "connected"): ready from here on.
    await app.waitForLog(/^Slack: connected/);
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await slack?.close();
    rmSync(where, { recursive: true, force: true });
  });

  /** `/sos <text>` from a Slack user, signed as Slack signs it: the reply's text and the request id. */
  const slash = slashCommands(SECRET, () => ({ port: app.port, slack }));

  const metrics = async () => (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();

  test("a session full of children's names and notes leaves none of them in the log", async () => {
    const steps: [string, string, RegExp][] = [
      [U.sam, `open 40001 "${NEW_CHILD}" 7 family-support`, /40001/],
      [U.sam, `mapped-with-family 40001 -- ${NOTES[0]}`, /Mapping with Family/],
      [U.sam, `three-houses 40001 -- ${NOTES[1]}`, /40001/],
      [U.sam, `edit 40001 name "${RENAMED}"`, /40001/],
      // Refused: the case is there already; the refusal quotes what was typed back to its author.
      [U.sam, `open 12345 "${REFUSED_CHILD}" 9 statutory-cp`, /12345/],
      [U.sam, `opne 40002 "${REFUSED_CHILD}" 9 -- ${NOTES[3]}`, /./],
      [U.sam, "case 40001", new RegExp(RENAMED)],
      [U.jane, "mine", /Melli Majid/],
      [U.sam, `close 40001 safe-at-home -- ${NOTES[2]}`, /40001/],
      [U.sam, "audit 40001", /40001/],
    ];
    let last: string | null = null;
    for (const [user, text, shows] of steps) {
      const { reply, requestId } = await slash(user, text);
      expect(reply).toMatch(shows);
      last = requestId;
    }
    // The last request's line is written once it is answered: wait for it rather than a time.
    await app.waitForRecord((r) => r.reqId === last && r.msg.startsWith("http: POST /slack/events answered"));

    const log = app.err();
    expect(log).not.toBe("");
    const found = telling().filter((t) => log.toLowerCase().includes(t.toLowerCase()));
    expect(found).toEqual([]);
  });

  test("every log line is JSON with a level; a request's lines carry the id it was answered with", async () => {
    const { requestId } = await slash(U.jane, "whoami");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await app.waitForRecord((r) => r.reqId === requestId);
    expect([line.msg, line.component, line.level]).toEqual([
      expect.stringMatching(/^http: POST \/slack\/events answered 200 in \d+ ms$/),
      "http",
      30,
    ]);
    for (const r of logRecords(app.err())) expect(typeof r.level).toBe("number");
  });

  test("/metrics: commands by kind and outcome move with each command; Slack's acknowledgements are timed", async () => {
    const before = await metrics();
    const ok = (kind: string, text: string) =>
      metricValue(text, "sos_commands_total", { kind, outcome: "ok", surface: "slack" }) ?? 0;
    const refused = (text: string) =>
      metricValue(text, "sos_commands_total", { kind: "unread", outcome: "refused", surface: "slack" }) ?? 0;
    const acks = (text: string) => metricValue(text, "sos_ack_seconds_count", { surface: "slack" }) ?? 0;

    await slash(U.jane, "whoami");
    await slash(U.jane, "whoami");
    await slash(U.jane, "no-such-command 12345");
    const after = await metrics();
    expect(ok("whoami", after) - ok("whoami", before)).toBe(2);
    expect(refused(after) - refused(before)).toBe(1);
    expect(acks(after) - acks(before)).toBe(3);

    // What else an operator watches is there, with a value.
    expect(metricValue(after, "sos_db_bytes", { file: "db" })).toBeGreaterThan(0);
    expect(metricValue(after, "nodejs_eventloop_lag_p99_seconds", {})).toBeGreaterThanOrEqual(0);
  });

  test("/metrics: the digests caught up at start are counted by state; the backup age is +Inf until one is made", async () => {
    // The demo's last week had no digest posted: start-up posts it to Slack, and logs so once done.
    await app.waitForLog(/^digest: caught up agency agency \S+ on slack: posted$/);
    await app.waitForLog(/^digest: caught up team north \S+ on slack: posted$/);
    const before = await metrics();
    expect(metricValue(before, "sos_digest_runs_total", { kind: "team", state: "posted" })).toBe(1);
    expect(metricValue(before, "sos_digest_runs_total", { kind: "agency", state: "posted" })).toBe(1);
    expect(metricValue(before, "sos_backup_age_seconds", {})).toBe(Number.POSITIVE_INFINITY);

    const made = await sos(where, { SOS_DB: join(where, "sos.db") }, [
      "backup",
      "--out",
      join(where, "now.db"),
    ]);
    expect(made.status).toBe(0);
    const age = metricValue(await metrics(), "sos_backup_age_seconds", {});
    expect(Number.isFinite(age)).toBe(true);
    expect(age).toBeGreaterThanOrEqual(0);
  });

  test("/readyz: ready; then 503 naming the database while another process holds its write lock; ready again", async () => {
    const readyz = async () => {
      const r = await fetch(`http://127.0.0.1:${app.port}/readyz`);
      return [r.status, await r.json()];
    };
    expect(await readyz()).toEqual([
      200,
      { ready: true, notReady: [], checks: { api: "ready", database: "ready", slack: "ready" } },
    ]);

    const locker = new Database(join(where, "sos.db"));
    try {
      // Another process in the middle of a write (a tool left open on the file, say).
      locker.pragma("busy_timeout = 30000");
      locker.exec("BEGIN IMMEDIATE");
      expect(await readyz()).toEqual([
        503,
        {
          ready: false,
          notReady: ["database"],
          checks: {
            api: "ready",
            database:
              "the database did not answer a query: busy: another process holds it locked (SQLITE_BUSY)",
            slack: "ready",
          },
        },
      ]);
      // Cheap on purpose: /healthz does not wait on the lock to say the process is up.
      expect((await fetch(`http://127.0.0.1:${app.port}/healthz`)).status).toBe(200);
    } finally {
      locker.close();
    }
    expect((await readyz())[0]).toBe(200);
  });
});

describe("sos start in local mode with Teams: the same log rule", () => {
  let teams: TeamsRecorder;
  let app: RunningSos;
  let where: string;

  beforeAll(async () => {
    teams = await startTeamsRecorder();
    where = dir("teams");
    app = await startSos(where, { SOS_DB: join(where, "sos.db"), LOG_LEVEL: "trace" });
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await teams?.close();
    rmSync(where, { recursive: true, force: true });
  });

  test("notes typed in Teams are answered and counted, and are not in the log", async () => {
    const texts = [
      `mapped-with-family 12345 -- ${NOTES[0]}`,
      `three-houses 12346 -- ${NOTES[3]}`,
      "case 12345",
    ];
    for (const text of texts) {
      const from = teams.calls.length;
      const res = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(personalMessage(teams, text, { from: JANE_TEAMS })),
      });
      expect(res.status).toBeLessThan(300);
      await teams.waitFor((c) => teams.calls.indexOf(c) >= from && c.method === "POST", PATIENCE_MS);
    }
    const text = await (await fetch(`http://127.0.0.1:${app.port}/metrics`)).text();
    expect(metricValue(text, "sos_commands_total", { kind: "log", outcome: "ok", surface: "teams" })).toBe(2);
    expect(metricValue(text, "sos_ack_seconds_count", { surface: "teams" })).toBe(3);

    const answered = () =>
      logRecords(app.err()).filter((r) => r.msg.startsWith("http: POST /api/messages answered")).length;
    await app.waitForRecord(() => answered() === texts.length);
    const log = app.err();
    expect(log).toContain("/api/messages");
    expect(telling().filter((t) => log.toLowerCase().includes(t.toLowerCase()))).toEqual([]);
  });
});
