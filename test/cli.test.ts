import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { JANE } from "./helpers/ctx.ts";

const SOS = resolve(import.meta.dirname, "../bin/sos.js");
let dir: string;
let db: string;

function sos(args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [SOS, ...args], {
    cwd: dir,
    input: opts.input ?? "",
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SOS_DB: db, ...opts.env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-cli-"));
  db = join(dir, "demo.db");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sos, end to end as child processes", () => {
  test("--help lists the commands; a wrong command gets a suggestion and exit 2", () => {
    const help = sos(["--help"]);
    expect(help.code).toBe(0);
    for (const c of ["start", "chat", "demo", "dashboard", "stuck", "migrate"])
      expect(help.out).toContain(`  ${c} `);
    expect(sos(["dashboard", "--help"]).out).toContain("Usage: sos dashboard");
    const bad = sos(["dashbord"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'sos: "dashbord" is not a sos command. Did you mean `sos dashboard`? See `sos --help`.\n',
    );
  });

  test("demo creates the seed's cases once", () => {
    const r = sos(["demo", "--db", db]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      "demo.db: Demo Family Services, 6 staff, 6 cases of Jane Smith with 43 recorded elements.",
    );
    const again = sos(["demo", "--db", db]);
    expect(again.code).toBe(2);
    expect(again.err).toContain("already holds cases");
  });

  test("chat reads commands from stdin, one reply each, and the log shows in mine", () => {
    const r = sos(["chat", "--as", JANE, "--today", "2016-03-01"], {
      input: "/sos mapped-with-family 12345\n\n# a comment\nmine statutory-cp\nscale 12345 11\n",
    });
    expect(r.code).toBe(0);
    const replies = r.out.trimEnd().split("\n\n");
    expect(replies[0]).toBe(
      "Recorded Mapping with Family on 01/03/16 (today) for case 12345 (Melli Majid 13).\nThe dashboard now shows Mapping with Family: 01/03/16.\nWrong? `/sos undo` takes it back.",
    );
    const row = r.out.split("\n").find((l) => l.includes("12345  Melli Majid 13"));
    expect(row?.split(/\s{2,}/)).toEqual([
      "*",
      "12345",
      "Melli Majid 13",
      "03/02/16",
      "N & PA",
      "06/02/16",
      "01/03/16",
      "12/02/16",
      "Yes",
      "No",
      "2",
      "27/02/16",
      "3",
      "1",
      "No",
      "No",
    ]);
    expect(replies.at(-1)).toBe(
      "Safety Scale must be a whole number from 0 to 10, and you typed 11. Try `/sos scale 12345 6`.",
    );
  });

  test("chat refuses an unknown person or a missing --as with exit 2", () => {
    const unknown = sos(["chat", "--as", "nobody@x.example"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("--as nobody@x.example: no staff member with that email");
    expect(sos(["chat"]).code).toBe(2);
    expect(sos(["chat", "--as", JANE, "--today", "31/02/2016"]).err).toContain(
      "--today must be a real date written YYYY-MM-DD",
    );
  });

  test("dashboard --format json is the documented shape", () => {
    const r = sos([
      "dashboard",
      "--worker",
      JANE,
      "--dashboard",
      "statutory-cp",
      "--format",
      "json",
      "--today",
      "2016-03-01",
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.dashboard).toBe("statutory-cp");
    expect(json.columns.slice(0, 3)).toEqual(["Name/Age/ID #", "Date Opened", "Abuse Type"]);
    expect(json.groups[0].title).toBe("Jane Smith's Cases");
    expect(json.groups[0].rows[0]).toEqual({
      caseId: "12345",
      cells: [
        "Melli Majid 13",
        "03/02/16",
        "N & PA",
        "06/02/16",
        "01/03/16",
        "12/02/16",
        "Yes",
        "No",
        "2",
        "27/02/16",
        "3",
        "1",
        "No",
        "No",
      ],
    });
  });

  test("dashboard as someone applies chat's visibility rules", () => {
    const refused = sos(["dashboard", "--as", "ah.hin.xeng@demo-agency.example", "--worker", JANE]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe("sos: You can't see Jane Smith's cases.\n");
    const team = sos([
      "dashboard",
      "--as",
      "sam.okafor@demo-agency.example",
      "--format",
      "csv",
      "--today",
      "2016-03-01",
    ]);
    expect(team.code).toBe(0);
    // a CSV starts with the UTF-8 byte order mark (Excel then reads accented names right)
    expect(team.out.split("\r\n")[0]).toMatch(
      /^\uFEFFWorker,Case ID,Name\/Age\/ID #,Date Opened,Abuse Type,/,
    );
    expect(team.out.split("\r\n").filter((l) => l.startsWith("Jane Smith,"))).toHaveLength(6);
  });

  test("stuck --format json lists the rules and days", () => {
    const r = sos(["stuck", "--format", "json"], { env: { SOS_TODAY: "2016-03-01" } });
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out);
    const melli = view.items.find((i: { caseId: string }) => i.caseId === "12345");
    expect(melli.findings).toEqual([
      {
        rule: "no-danger-or-goal",
        reason: "no Safety Goal 14 days after first mapping",
        since: "20/02/16",
        sinceOn: "2016-02-20",
        days: 10,
      },
    ]);
  });

  test("digest run --dry-run prints the digest and records nothing; without a platform it says so", () => {
    const dry = sos(["digest", "run", "North Team", "--dry-run", "--at", "2016-03-07T08:00:00Z"]);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("--- North Team's digest for 2016-W10 (dry run: not posted, not recorded) ---");
    expect(dry.out).toContain("North Team: weekly practice dashboard, week to 07/03/16");
    expect(dry.out).not.toContain("Melli Majid");
    const nowhere = sos(["digest", "run", "agency"]);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toContain("no Slack or Teams is configured, so there is nowhere to post");
    const status = sos(["digest", "status"]);
    expect(status.out).toContain("No digests have run yet.");
    expect(status.out).toMatch(/North Team digest +0 8 \* \* 1/);
    expect(sos(["digest", "run", "Nowhere Team"]).err).toContain('no team "Nowhere Team"');
  });

  test("export writes the dashboard as CSV", () => {
    const r = sos(["export", "--team", "North Team", "--out", "north.csv", "--today", "2016-03-01"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe("Wrote north.csv: Whole practice overview, 6 open cases.\n");
    expect(sos(["export", "--format", "csv"]).code).toBe(2);
  });

  test("export writes the whiteboard picture and the printable page", () => {
    const png = sos([
      "export",
      "--format",
      "png",
      "--team",
      "north",
      "--out",
      "wb.png",
      "--today",
      "2016-03-01",
    ]);
    expect(png.code).toBe(0);
    expect(png.out).toMatch(/^Wrote wb\.png: North Team's whiteboard, \d+ × \d+ px\.\n$/);
    expect(readFileSync(join(dir, "wb.png")).subarray(1, 4).toString()).toBe("PNG");
    const html = sos(["export", "--format", "html", "--out", "wb.html", "--today", "2016-03-01"]);
    expect(html.code).toBe(0);
    const page = readFileSync(join(dir, "wb.html"), "utf8");
    expect(page).toContain("<!doctype html>");
    expect(page).toContain("Jane Smith&#39;s Cases");
    expect(page).toContain("Melli Majid 13");
  });

  test("migrate reports the schema up to date", () => {
    const r = sos(["migrate"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^demo\.db is up to date \(\d+ migrations applied\)\.\nStaff: +unchanged: the database already has the config's teams and staff\.\n$/,
    );
  });

  test("a broken config says which file and which key", () => {
    const cfg = join(dir, "broken.yaml");
    writeFileSync(
      cfg,
      "agency: { name: A, timeZone: Mars/Base }\nteams: [{ name: T }]\nstaff: [{ email: a@b.example, name: A, role: chief }]\n",
    );
    const r = sos(["dashboard"], { env: { SOS_CONFIG: cfg } });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${cfg} has 2 problems:`);
    expect(r.err).toContain("agency.timeZone: is not a known IANA time zone");
    expect(r.err).toContain("staff[0].role: must be one of worker, supervisor, manager, admin");
  });

  test("start without a terminal serves /healthz and stops cleanly on SIGTERM", async () => {
    const fresh = join(dir, "fresh", "sos.db");
    const child = spawn(process.execPath, [SOS, "start"], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, SOS_DB: fresh, PORT: "0" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const port = await new Promise<number>((res, rej) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /Server: +http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m && out.includes("Console:")) res(Number(m[1]));
      });
      child.once("exit", (code) => rej(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toContain("local mode (no Slack or Teams credentials set)");
    expect(out).toContain("new: loaded 6 demo cases");
    expect(out).toContain("standard input is not a terminal, so no console chat; serving until stopped");
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toMatchObject({ ok: true, agency: "Demo Family Services" });
    const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
