import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ConfigError, loadOrg, MAX_STAFF_FILE_BYTES } from "./load.ts";

/** A config naming `staff.csv` beside it, in its own temp folder, as an admin would lay them out. */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-staff-file-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function setUp(csv: string | Buffer, staffYaml = ""): string {
  const sub = join(dir, `c${++n}`);
  mkdirSync(sub);
  writeFileSync(join(sub, "staff.csv"), csv);
  const config = join(sub, "sos.config.yaml");
  writeFileSync(
    config,
    `agency: { name: A, timeZone: Europe/London }
teams: [{ name: North Team }, { name: South Team }]
staffFile: staff.csv
${staffYaml}`,
  );
  return config;
}

function problems(config: string): readonly string[] {
  try {
    loadOrg(config);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

const HEADER = "email,name,role,team,slack_id,teams_id";

describe("the staff file is read as spreadsheets write it", () => {
  test("a comma file: people, their teams (a supervisor's listed with ;), Slack and Teams ids", () => {
    const config = setUp(
      `${HEADER}
jane@a.example,Jane Smith,worker,North Team,U1,
sue@a.example,Sue Park,supervisor,North Team; South Team,,aad-sue
ada@a.example,Ada Admin,admin,,,
`,
    );
    const org = loadOrg(config);
    expect(org.staff).toEqual([
      {
        email: "jane@a.example",
        name: "Jane Smith",
        role: "worker",
        teams: ["north-team"],
        slackId: "U1",
        away: [],
      },
      {
        email: "sue@a.example",
        name: "Sue Park",
        role: "supervisor",
        teams: ["north-team", "south-team"],
        teamsId: "aad-sue",
        away: [],
      },
      { email: "ada@a.example", name: "Ada Admin", role: "admin", teams: [], away: [] },
    ]);
    expect(org.staffFile).toBe(join(config, "..", "staff.csv"));
  });

  test("Excel's European CSV: a BOM, ; between fields, CRLF, its own header case and order, quoted fields with a newline", () => {
    const text =
      "\ufeffRole;Name;E-mail;Team;Slack ID;Department\r\n" +
      'Worker;"Smith; Jane";JANE@A.EXAMPLE;North Team;U1;Children\r\n' +
      "\r\n" +
      'supervisor;"Sue\r\nPark";sue@a.example;"North Team; South Team";;Children\r\n';
    const org = loadOrg(setUp(Buffer.from(text, "utf8")));
    expect(org.staff.map((s) => [s.email, s.name, s.role, s.teams, s.slackId])).toEqual([
      ["jane@a.example", "Smith; Jane", "worker", ["north-team"], "U1"],
      ["sue@a.example", "Sue\r\nPark", "supervisor", ["north-team", "south-team"], undefined],
    ]);
  });

  test("merged with the config's staff; a person in both is refused, naming both places", () => {
    const config = setUp(
      `${HEADER}\njane@a.example,Jane Smith,worker,North Team,,\nsue@a.example,Sue Park,supervisor,North Team,,\n`,
      "staff: [{ email: ada@a.example, name: Ada Admin, role: admin }, { email: Sue@a.example, name: Sue, role: supervisor, team: South Team }]\n",
    );
    expect(problems(config)).toEqual([
      "staff.csv row 3, email: sue@a.example is also in the config's staff (staff[1]); list each person once, in the config or in staff.csv",
    ]);
    const fine = setUp(
      `${HEADER}\njane@a.example,Jane Smith,worker,North Team,,\n`,
      "staff: [{ email: ada@a.example, name: Ada Admin, role: admin }]\n",
    );
    expect(loadOrg(fine).staff.map((s) => s.name)).toEqual(["Ada Admin", "Jane Smith"]);
  });
});

describe("every problem in the file names its row (as a spreadsheet numbers it) and column", () => {
  test("each bad row, all at once", () => {
    const config = setUp(
      `${HEADER}
jane@a.example,Jane Smith,worker,North Team,U1,
sam@a.example,Sam,wroker,North Team,,
not-an-email,Nobody,worker,North Team,,
,No Email,worker,North Team,,
wes@a.example,Wes,worker,Nrth Team,,
sue@a.example,Sue,supervisor,,,
"quoted
newline",Q,worker,North Team,,
jane@a.example,Jane Again,worker,North Team,,
kim@a.example,Kim,worker,North Team; South Team,u1,
`,
    );
    expect(problems(config)).toEqual([
      'staff.csv row 3, role: "wroker" is not one of worker, supervisor, manager, admin (did you mean "worker"?)',
      'staff.csv row 4, email: "not-an-email" is not an email address',
      "staff.csv row 5, email: is empty; every row needs an email",
      'staff.csv row 6, team: no team "Nrth Team" in teams (did you mean "North Team"?)',
      "staff.csv row 7, team: a supervisor needs a team",
      // A quoted cell holding a newline is one row in a spreadsheet, and one line in the message.
      'staff.csv row 8, email: "quoted\\nnewline" is not an email address',
      "staff.csv row 9, email: jane@a.example is listed twice (also staff.csv row 2)",
      "staff.csv row 10, team: a worker belongs to one team",
      "staff.csv row 10, slack_id: u1 is staff.csv row 2's slack_id U1 in other letter case; ids are matched whatever their case, so one person would be taken for the other",
    ]);
  });

  test("the header: a missing column, a misspelt one; other columns are left alone", () => {
    expect(problems(setUp("email,name,team\njane@a.example,Jane,North Team\n"))).toEqual([
      'staff.csv row 1: there is no "role" column; the first row must name the columns (email, name, role, team, slack_id, teams_id), in any order',
    ]);
    expect(problems(setUp("email,name,rol,slak_id,phone\njane@a.example,Jane,worker,U1,0123\n"))).toEqual([
      'staff.csv row 1: unknown column "rol" (did you mean "role"?); the columns are email, name, role, team, slack_id, teams_id',
      'staff.csv row 1: unknown column "slak_id" (did you mean "slack_id"?); the columns are email, name, role, team, slack_id, teams_id',
    ]);
  });

  test("a file that is not there, not UTF-8, empty, or has a quote never closed", () => {
    const missing = setUp("");
    writeFileSync(
      missing,
      "agency: { name: A, timeZone: UTC }\nteams: [{ name: T }]\nstaffFile: hr/staff.csv\n",
    );
    expect(problems(missing)).toEqual([
      `staffFile: there is no file hr/staff.csv (looked for ${join(missing, "..", "hr", "staff.csv")})`,
    ]);
    // "Zoë" in Windows-1252, as an older Excel saves "CSV (Comma delimited)".
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}\nzoe@a.example,Zo`),
      Buffer.from([0xeb]),
      Buffer.from(",worker,North Team,,\n"),
    ]);
    expect(problems(setUp(latin1))).toEqual([
      'staff.csv: is not UTF-8 text; save it as "CSV UTF-8" (in Excel: Save As, then CSV UTF-8 (Comma delimited))',
    ]);
    expect(problems(setUp(""))).toEqual([
      "staff.csv: is empty; its first row names the columns (email, name, role, team, slack_id, teams_id)",
    ]);
    expect(
      problems(
        setUp(`${HEADER}\njane@a.example,Jane,worker,North Team,,\nsam@a.example,"Sam,worker,North Team,,\n`),
      ),
    ).toEqual([
      'staff.csv row 3: a field opens a quote (") that is never closed, so the rest of the file would be one field',
    ]);
  });

  test("a file far too big to be a staff list is refused before it is read", () => {
    const huge = Buffer.alloc(MAX_STAFF_FILE_BYTES + 1, 0x41);
    expect(problems(setUp(huge))).toEqual([
      "staffFile: staff.csv is 20.0 MB, more than a staff file's 20 MB; is it the right file?",
    ]);
  });

  test("no staff anywhere is said plainly", () => {
    expect(problems(setUp(`${HEADER}\n`))).toEqual([
      "staffFile: staff.csv has no staff rows, and the config lists no staff",
    ]);
  });
});
