import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { PATIENCE_MS, type RunningSos, sos, startSos } from "./helpers/sos-start.ts";
import { emptyPgDatabase, PG_AVAILABLE } from "./helpers/stores.ts";
import { type Recorder, startSlackRecorder } from "./slack/recorder.ts";
import { slashCommands } from "./slack/slash.ts";

/**
 * `sos start` on PostgreSQL picks up a changed staff file without a restart, as on SQLite
 * (test/reload.test.ts): two instances on one database, each watching its own copy of the files;
 * real child processes, signed Slack requests over HTTP, a local Web API recorder. Every wait is
 * on a log line, with a deadline.
 */

const SECRET = "reload-pg-signing-secret";
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
const NIA = "nia@hillside.example,Nia Obi,worker,North Team,U0NIA,";
const csv = (rows: readonly string[]) => `${[HEADER, ...rows].join("\r\n")}\r\n`;

/** A whole new file put in place by rename, as editors and HR export scripts save. */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe.skipIf(!PG_AVAILABLE)(
  "PostgreSQL: the staff file changes while two instances serve",
  { timeout: PATIENCE_MS * 3 },
  () => {
    let root: string;
    let db: { url: string; drop(): Promise<void> };
    let slack: Recorder;
    const apps: RunningSos[] = [];
    const staffFiles: string[] = [];

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), "sos-reload-pg-"));
      db = await emptyPgDatabase();
      slack = await startSlackRecorder();
      // One after the other: the second finds the agency and the staff the first set up.
      for (const name of ["a", "b"]) {
        const dir = join(root, name);
        mkdirSync(dir);
        writeFileSync(join(dir, "sos.config.yaml"), CONFIG);
        writeFileSync(join(dir, "staff.csv"), csv(STAFF));
        staffFiles.push(join(dir, "staff.csv"));
        const app = await startSos(dir, {
          SOS_CONFIG: join(dir, "sos.config.yaml"),
          DATABASE_URL: db.url,
          SOS_TODAY: "2026-12-01",
          SLACK_BOT_TOKEN: "xoxb-test",
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: slack.apiUrl,
        });
        await app.waitForLog(/^Slack: connected/);
        apps.push(app);
      }
    }, PATIENCE_MS * 3);
    afterAll(async () => {
      for (const app of apps) expect(await app.stop()).toBe(0);
      await slack?.close();
      await db?.drop();
      rmSync(root, { recursive: true, force: true });
    });

    // One sequence of trigger ids for both instances: on one database a trigger id is one delivery,
    // whichever instance it reaches (a repeat gets the first reply).
    let to = 0;
    const signed = slashCommands(SECRET, () => ({ port: apps[to]!.port, slack }));
    const slashTo = (i: number) => async (user: string, text: string) => {
      to = i;
      return (await signed(user, text)).reply;
    };

    async function staffRows(): Promise<{ email: string; active: boolean }[]> {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const r = await client.query<{ email: string; active: boolean }>(
          "SELECT email, active FROM staff WHERE email LIKE 'nia%' ORDER BY email",
        );
        return r.rows;
      } finally {
        await client.end();
      }
    }

    test("the banner says what is watched, and no longer that a change needs a restart", () => {
      for (const app of apps) {
        expect(app.out()).toContain(
          "Reload:    a change to sos.config.yaml or staff.csv is applied without a restart (also on SIGHUP); each instance reloads its own file.",
        );
        expect(app.out()).not.toContain("needs a restart");
      }
    });

    test("a person added is answered as themselves by both instances without a restart, and recorded once", async () => {
      slack.users.set("U0NIA", { id: "U0NIA", email: "nia.obi@elsewhere.example" });
      expect(await slashTo(0)("U0NIA", "whoami")).toMatch(/^Sorry, I don't know you yet\./);
      for (const [i, file] of staffFiles.entries()) {
        const from = apps[i]!.logLines().length;
        appendFileSync(file, `${NIA}\r\n`);
        // The first instance adds her; the second's sync finds her there already.
        // Each instance says what changed in its own config; the second's sync of the database finds
        // her there already and writes nothing more (one row, below).
        expect(await apps[i]!.waitForLog(/^config: /, from)).toBe(
          "config: reloaded sos.config.yaml (a file changed): 1 person added",
        );
      }
      expect(await staffRows()).toEqual([{ email: "nia@hillside.example", active: true }]);
      for (const i of [0, 1])
        expect(await slashTo(i)("U0NIA", "whoami")).toMatch(
          /^You are Nia Obi \(nia@hillside\.example\), a worker in North Team\./,
        );
      // Her supervisor, on the other instance, gives her a case; she logs on it; one entry, hers.
      expect(await slashTo(1)("U0SUE", "open 70001 Ann 4 cp nia@hillside.example")).toContain("70001");
      expect(await slashTo(0)("U0NIA", "mapped-with-family 70001")).toMatch(/^Recorded Mapping with Family/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const r = await client.query(
          "SELECT s.email FROM practice_events e JOIN staff s ON s.id = e.recorded_by WHERE e.case_id = '70001'",
        );
        expect(r.rows).toEqual([{ email: "nia@hillside.example" }]);
      } finally {
        await client.end();
      }
    });

    test("a broken edit keeps the running config in that instance, in one line, and changes nothing", async () => {
      const from = apps[0]!.logLines().length;
      replaceFile(staffFiles[0]!, csv([...STAFF, "nia@hillside.example,Nia Obi,wroker,North Team,U0NIA,"]));
      expect(await apps[0]!.waitForLog(/^config: /, from)).toBe(
        'config: not reloaded (a file changed), the running config stays as it was: staff.csv row 8, role: "wroker" is not one of worker, supervisor, manager, admin (did you mean "worker"?) (sos config check shows it)',
      );
      expect(await slashTo(0)("U0NIA", "whoami")).toMatch(/^You are Nia Obi/);
      expect(await staffRows()).toEqual([{ email: "nia@hillside.example", active: true }]);
    });

    /** `sos config check` on the database, run beside instance `name`'s files. */
    const check = (name: string) =>
      sos(join(root, name), { SOS_CONFIG: join(root, name, "sos.config.yaml"), DATABASE_URL: db.url }, [
        "config",
        "check",
      ]);
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const ROLE =
      'staff.csv row 8, role: "wroker" is not one of worker, supervisor, manager, admin (did you mean "worker"?)';
    /** One instance's lines: who, since when, with which config; then `last`, its last reload. */
    const running = (i: number, config: string, last: string) =>
      `Running:   sos start \\(pid ${apps[i]!.child.pid} on ${esc(hostname())}\\) since [^\n]+, with ${esc(config)}\\.\n {11}Its last reload, [^\n]+ \\(a file changed\\), ${last}`;

    test("sos config check on PostgreSQL shows every running instance's own last reload: the refusal only for the instance that refused", async () => {
      // Instance a refused its broken staff file (above); b's last reload applied Nia.
      const a = await check("a");
      expect(a.stderr).toBe("");
      expect(a.status).toBe(1);
      expect(a.stdout).toMatch(
        new RegExp(
          `^sos\\.config\\.yaml has a problem, so the app would not use it:\n  - ${esc(ROLE)}\n${running(0, "sos.config.yaml", `was refused, so it runs the config it had before:\n  - ${esc(ROLE)}`)}\n${running(1, join(root, "b", "sos.config.yaml"), "applied: 1 person added\\.")}\n$`,
        ),
      );
      // Beside b's files, which are fine: the same two instances, b's reload applied.
      const b = await check("b");
      expect(b.status).toBe(0);
      expect(b.stdout).toMatch(
        new RegExp(
          `^sos\\.config\\.yaml: can be used as it is \\(Hillside Family Services: 2 teams, 8 staff, from the config and staff\\.csv\\)\\.\nStaff: {5}the database already has these teams and staff\\.\n${running(0, join(root, "a", "sos.config.yaml"), "was refused")}[^]*${running(1, "sos.config.yaml", "applied: 1 person added\\.")}\n$`,
        ),
      );
    });

    test("a config naming another agency is refused and the running one keeps serving", async () => {
      const from = apps[1]!.logLines().length;
      const dir = join(root, "b");
      replaceFile(join(dir, "sos.config.yaml"), CONFIG.replace("Hillside Family Services", "Other Borough"));
      const line = await apps[1]!.waitForLog(/^config: /, from);
      expect(line).toMatch(/^config: not reloaded \(a file changed\), the running config stays as it was: /);
      expect(line).toContain("Hillside Family Services");
      expect(await slashTo(1)("U0NIA", "whoami")).toMatch(/^You are Nia Obi/);
    });

    test("an instance killed is not shown as running, and the next start prunes its row", async () => {
      const rows = async () => {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        try {
          const r = await client.query<{ pid: number }>("SELECT pid FROM config_reload ORDER BY id");
          return r.rows.map((x) => x.pid);
        } finally {
          await client.end();
        }
      };
      const start = async (name: string) => {
        const dir = join(root, name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, "sos.config.yaml"), CONFIG);
        writeFileSync(join(dir, "staff.csv"), csv([...STAFF, NIA]));
        return startSos(dir, {
          SOS_CONFIG: join(dir, "sos.config.yaml"),
          DATABASE_URL: db.url,
          SOS_TODAY: "2026-12-01",
        });
      };
      const c = await start("c");
      const [a, b] = [apps[0]!.child.pid, apps[1]!.child.pid];
      expect(await rows()).toEqual([a, b, c.child.pid]);
      expect((await check("a")).stdout).toContain(
        `Running:   sos start (pid ${c.child.pid} on ${hostname()})`,
      );
      // Killed, not stopped: nothing of its own runs to say it has gone; its lock's session ends.
      c.child.kill("SIGKILL");
      expect(await c.stop()).toBe(null);
      const after = await check("a");
      expect(after.stdout).not.toContain(`pid ${c.child.pid}`);
      expect(after.stdout.match(/^Running: /gm)).toHaveLength(2);
      expect(after.stdout).toContain(`Running:   sos start (pid ${a} on ${hostname()})`);
      expect(after.stdout).toContain(`Running:   sos start (pid ${b} on ${hostname()})`);
      // Its row stays until another instance starts, which prunes it.
      expect(await rows()).toEqual([a, b, c.child.pid]);
      const d = await start("d");
      try {
        expect(await rows()).toEqual([a, b, d.child.pid]);
      } finally {
        expect(await d.stop()).toBe(0);
      }
      // Stopped, its row is kept but it is not shown as running.
      expect((await check("a")).stdout).not.toContain(`pid ${d.child.pid}`);
    });
  },
);
