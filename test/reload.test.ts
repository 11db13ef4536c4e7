import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PATIENCE_MS, type RunningSos, sos, startSos } from "./helpers/sos-start.ts";
import { type Recorder, startSlackRecorder } from "./slack/recorder.ts";
import { slashCommands } from "./slack/slash.ts";
import { personalMessage, type Recorder as TeamsRecorder } from "./teams/harness.ts";
import { startTeamsRecorder } from "./teams/recorder.ts";

/**
 * A running `sos start` picks up a changed staff file or config without a restart: real child
 * processes, real files, signed Slack requests over HTTP, Slack's Web API and Teams' connector
 * stood in for by local recorders. Every wait is on a log line or a recorded call, with a deadline.
 */

const SECRET = "reload-signing-secret";
const CONFIG = `agency: { name: Hillside Family Services, timeZone: Europe/London }
teams: [{ name: North Team }, { name: South Team }]
staffFile: staff.csv
staff:
  - { email: ada@hillside.example, name: Ada Admin, role: admin, slackId: U0ADA }
`;
const HEADER = "email,name,role,team,slack_id,teams_id";
const STAFF = [
  "sue@hillside.example,Sue Park,supervisor,North Team,U0SUE,",
  "tom@hillside.example,Tom Ng,supervisor,South Team,U0TOM,",
  "jo@hillside.example,Jo Bloggs,worker,North Team,U0JO,",
  "al@hillside.example,Al Vance,worker,North Team,U0AL,",
  "kim@hillside.example,Kim Lee,worker,South Team,U0KIM,",
  "pat@hillside.example,Pat Ray,worker,South Team,U0PAT,",
];
const csv = (rows: readonly string[]) => `${[HEADER, ...rows].join("\r\n")}\r\n`;

/** A whole new file put in place by rename, as editors and HR export scripts save. */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sos-reload-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function agencyDir(name: string): { dir: string; staff: string; config: string } {
  const dir = join(root, name);
  mkdirSync(dir);
  const config = join(dir, "sos.config.yaml");
  const staff = join(dir, "staff.csv");
  writeFileSync(config, CONFIG);
  writeFileSync(staff, csv(STAFF));
  return { dir, staff, config };
}

describe("Slack: the staff file changes while sos start serves", { timeout: PATIENCE_MS * 3 }, () => {
  let slack: Recorder;
  let app: RunningSos;
  let files: ReturnType<typeof agencyDir>;
  let env: Record<string, string>;

  beforeAll(async () => {
    slack = await startSlackRecorder();
    files = agencyDir("slack");
    env = {
      SOS_CONFIG: files.config,
      SOS_DB: join(files.dir, "sos.db"),
      SOS_TODAY: "2026-12-01",
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    app = await startSos(files.dir, env);
    // The background auth check logs its line whenever Slack answers: waited for here, so it is
    // never taken for a line a test is looking at.
    await app.waitForLog(/^Slack: connected/);
  }, PATIENCE_MS * 2);
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await slack?.close();
  });

  const signed = slashCommands(SECRET, () => ({ port: app.port, slack }));
  /** `/sos <text>` from a Slack user, signed as Slack signs it; the reply it got, as its text. */
  const slash = async (user: string, text: string) => (await signed(user, text)).reply;

  test("the banner says what is watched", () => {
    expect(app.out()).toContain(
      "Reload:    a change to sos.config.yaml or staff.csv is applied without a restart (also on SIGHUP); `sos config check` says how the last one went.\n",
    );
  });

  test("people added to the staff file are answered as themselves without a restart, by Slack id or by their Slack email", async () => {
    // Someone Slack knows by email: refused first, and Slack's answer about them is cached.
    slack.users.set("U0MOEMAIL", { id: "U0MOEMAIL", email: "mo@hillside.example" });
    slack.users.set("U0NIA", { id: "U0NIA", email: "nia.obi@elsewhere.example" });
    expect(await slash("U0NIA", "whoami")).toMatch(/^Sorry, I don't know you yet\./);
    expect(await slash("U0MOEMAIL", "whoami")).toContain(
      "your Slack email (mo@hillside.example) is not on its staff list.",
    );
    const from = app.logLines().length;
    appendFileSync(
      files.staff,
      "nia@hillside.example,Nia Obi,worker,North Team,U0NIA,\r\nmo@hillside.example,Mo Said,worker,South Team,,\r\n",
    );
    expect(await app.waitForLog(/^config: /, from)).toBe(
      "config: reloaded sos.config.yaml (a file changed): 2 people added",
    );
    expect(await slash("U0NIA", "whoami")).toMatch(
      /^You are Nia Obi \(nia@hillside\.example\), a worker in North Team\./,
    );
    expect(await slash("U0MOEMAIL", "whoami")).toMatch(
      /^You are Mo Said \(mo@hillside\.example\), a worker in South Team\./,
    );
  });

  test("a broken edit keeps the running config, is logged in one line, and sos config check shows it", async () => {
    const from = app.logLines().length;
    replaceFile(
      files.staff,
      csv([
        ...STAFF,
        "nia@hillside.example,Nia Obi,wroker,North Team,U0NIA,",
        "mo@hillside.example,Mo Said,worker,South Team,,",
      ]),
    );
    const line = await app.waitForLog(/^config: /, from);
    expect(line).toBe(
      'config: not reloaded (a file changed), the running config stays as it was: staff.csv row 8, role: "wroker" is not one of worker, supervisor, manager, admin (did you mean "worker"?) (sos config check shows it)',
    );
    // One line about the config (a digest catching up on the real clock may log beside it).
    expect(
      app
        .logLines()
        .slice(from)
        .filter((l) => l.startsWith("config:")),
    ).toEqual([line]);
    // Nothing about Nia changed: the config from before is still the one served.
    expect(await slash("U0NIA", "whoami")).toMatch(/^You are Nia Obi .*, a worker in North Team\./);

    const check = await sos(files.dir, env, ["config", "check"]);
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(
      new RegExp(
        `^sos\\.config\\.yaml has a problem, so the app would not use it:
  - staff\\.csv row 8, role: "wroker" is not one of worker, supervisor, manager, admin \\(did you mean "worker"\\?\\)
Running:   sos start \\(pid ${app.child.pid}\\) since .+, with sos\\.config\\.yaml\\.
           Its last reload, .+ \\(a file changed\\), was refused, so it runs the config it had before:
  - staff\\.csv row 8, role: "wroker" is not one of worker, supervisor, manager, admin \\(did you mean "worker"\\?\\)
$`,
      ),
    );

    // Mended: applied, and sos config check says so.
    const mended = app.logLines().length;
    replaceFile(
      files.staff,
      csv([
        ...STAFF,
        "nia@hillside.example,Nia Obi,worker,North Team,U0NIA,",
        "mo@hillside.example,Mo Said,worker,South Team,,",
      ]),
    );
    expect(await app.waitForLog(/^config: /, mended)).toBe(
      "config: reloaded sos.config.yaml (a file changed): nothing changed",
    );
    const fine = await sos(files.dir, env, ["config", "check"]);
    expect(fine.status).toBe(0);
    expect(fine.stdout).toMatch(
      /^sos\.config\.yaml: can be used as it is \(Hillside Family Services: 2 teams, 9 staff, from the config and staff\.csv\)\.\nStaff: {5}the database already has these teams and staff\.\nRunning: .*\n {11}Its last reload, .+ \(a file changed\), applied: nothing changed\.\n$/,
    );
  });

  test("a reload marking a quarter of the staff as gone is refused and says how to accept it; sos sync --accept-staff-changes then SIGHUP applies it", async () => {
    const from = app.logLines().length;
    // The South Team's workers gone from the export: 3 of the 9 active staff.
    replaceFile(
      files.staff,
      csv([
        ...STAFF.filter((r) => !/^(kim|pat)@/.test(r)),
        "nia@hillside.example,Nia Obi,worker,North Team,U0NIA,",
      ]),
    );
    expect(await app.waitForLog(/^config: /, from)).toBe(
      `config: not reloaded (a file changed), the running config stays as it was: the config sos.config.yaml would mark 3 of the 9 active staff as gone (Kim Lee, Pat Ray and Mo Said), so nothing was changed: if that is right, run \`sos sync --accept-staff-changes\`, then reload the app (kill -HUP ${app.child.pid}); or restart it with \`sos start --accept-staff-changes\` (sos config check shows it)`,
    );
    expect(await slash("U0KIM", "whoami")).toMatch(/^You are Kim Lee /);

    const accepted = await sos(files.dir, env, ["sync", "--accept-staff-changes"]);
    expect(accepted.stdout).toBe("Staff:     3 people left the config.\n");
    const signalled = app.logLines().length;
    app.child.kill("SIGHUP");
    expect(await app.waitForLog(/^config: /, signalled)).toBe(
      "config: reloaded sos.config.yaml (SIGHUP): 3 people left the config",
    );
    // Gone from the staff, Kim is refused, by her Slack id and by her Slack email alike.
    slack.users.set("U0KIM", { id: "U0KIM", email: "kim@hillside.example" });
    expect(await slash("U0KIM", "whoami")).toMatch(
      /^Sorry, I don't know you yet\. .*your Slack email \(kim@hillside\.example\) is not on its staff list\./,
    );
    const check = await sos(files.dir, env, ["config", "check"]);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/Its last reload, .+ \(SIGHUP\), applied: 3 people left the config\.\n$/);
  });
});

describe("Teams (local mode): a person added with a teams_id is answered at once", {
  timeout: PATIENCE_MS * 3,
}, () => {
  let connector: TeamsRecorder;
  let app: RunningSos;

  beforeAll(async () => {
    connector = await startTeamsRecorder();
    const files = agencyDir("teams");
    app = await startSos(files.dir, {
      SOS_CONFIG: files.config,
      SOS_DB: join(files.dir, "sos.db"),
      SOS_TODAY: "2026-12-01",
    });
    // Kept for the test below.
    staffFile = files.staff;
  }, PATIENCE_MS * 2);
  let staffFile = "";
  afterAll(async () => {
    expect(await app?.stop()).toBe(0);
    await connector?.close();
  });

  /** A personal message from a Teams user; the text of the reply the connector was sent. */
  async function say(teamsId: string, text: string): Promise<string> {
    const before = connector.calls.length;
    const res = await fetch(`http://127.0.0.1:${app.port}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(personalMessage(connector, text, { from: { id: teamsId, name: "Someone" } })),
    });
    expect(res.status).toBeLessThan(300);
    const deadline = Date.now() + PATIENCE_MS;
    for (;;) {
      const reply = connector.calls
        .slice(before)
        .find((c) => c.method === "POST" && c.path.includes("/activities"));
      if (reply) return JSON.stringify(reply.body);
      if (Date.now() > deadline) throw new Error("no reply reached the connector");
      // Polled with a deadline: the connector stand-in has no way to say a call came.
      await new Promise<void>((r) => setTimeout(r, 20));
    }
  }

  test("refused before, answered as themselves after the reload", async () => {
    expect(await say("29:nia", "sos whoami")).toContain(
      "Sorry, I can't find you (Someone) on the staff list",
    );
    const from = app.logLines().length;
    appendFileSync(staffFile, "nia@hillside.example,Nia Obi,worker,North Team,,29:nia\r\n");
    expect(await app.waitForLog(/^config: /, from)).toBe(
      "config: reloaded sos.config.yaml (a file changed): 1 person added",
    );
    expect(await say("29:nia", "sos whoami")).toContain(
      "You are Nia Obi (nia@hillside.example), a worker in North Team.",
    );
  });
});
