import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { boot } from "../src/app/boot.ts";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { loadDemoData } from "../src/demo/load.ts";
import { openStoreReadOnly } from "../src/store/open-readonly.ts";
import { CASES_HEADER, caseRow, PRACTICE_HEADER, practiceRow, writeCsv } from "./helpers/csv-files.ts";
import { JANE, ROBIN, SAM } from "./helpers/ctx.ts";
import { fingerprint } from "./helpers/files.ts";
import { dbSnapshot } from "./helpers/snapshot.ts";
import { runSos, SOS, type SosRun } from "./helpers/sos-start.ts";

// `sos import` as an admin runs it: real child processes on real database files and CSV files.
/** Several `sos` processes per test on a shared 2-core machine: minutes, not seconds, to be safe. */
const SPAWNING = { timeout: 240_000 };

type Run = SosRun;

function sos(dir: string, args: string[], env: Record<string, string>, input = ""): Promise<Run> {
  return runSos(dir, args, env, input);
}

/** A demo database with its seed cases, set up in this process (as `sos demo` would). */
function demoDb(dir: string): string {
  const db = join(dir, "sos.db");
  const b = boot({
    configPath: DEMO_CONFIG,
    dbPath: db,
    env: {},
    today: "2016-03-01",
    open: { mode: "setup", command: "demo" },
  });
  loadDemoData(b.ctx);
  b.ctx.store.close();
  return db;
}

/** Every row of every table, read through a read-only connection (which writes nothing itself). */
function contents(db: string): string {
  const store = openStoreReadOnly(db);
  try {
    return dbSnapshot(store);
  } finally {
    store.close();
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sos-import-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = (db: string) => ({ SOS_DB: db, SOS_TODAY: "2016-03-01" });

describe.concurrent("sos import, as child processes", () => {
  test(
    "a 5,000-row case list with three bad rows: nothing written, exit 1, exactly three report lines",
    SPAWNING,
    async () => {
      const here = mkdtempSync(join(dir, "big-"));
      const db = demoDb(here);
      const rows: string[][] = [[...CASES_HEADER]];
      for (let i = 0; i < 5_000; i++) {
        // spreadsheet row i + 2 (the header is row 1)
        const row = i + 2;
        rows.push(
          caseRow({
            case_id: String(50_000 + i),
            child_name: `Child ${i}`,
            age: String(i % 17),
            service: ["cp", "fs", "vol"][i % 3]!,
            abuse_types: i % 3 === 2 ? "" : "N",
            date_opened: row === 17 ? "31/02/16" : "2016-01-04",
            worker_email: i % 2 ? JANE : "ah.hin.xeng@demo-agency.example",
            ...(row === 2_500 ? { service: "cpp" } : {}),
            ...(row === 4_999 ? { age: "19" } : {}),
          }),
        );
      }
      const file = writeCsv(here, "cases.csv", rows, { eol: "\r\n" });
      const before = contents(db);
      const r = await sos(here, ["import", "cases", file, "--as", ROBIN], ENV(db));
      expect(r.code).toBe(1);
      const report = r.out.split("\n").filter((l) => /^row \d+/.test(l));
      expect(report).toEqual([
        'row 17, date_opened: "31/02/16" is not a date',
        'row 2500, service: "cpp" is not a service (did you mean cp?): statutory-cp, family-support or voluntary',
        "row 4999, age: at 19 this is an adult here (18 and over), and a case is for a child; if your agency works with young adults, an admin can raise adultAge in the config",
      ]);
      expect(r.out).toContain("cases.csv: 3 rows can't be imported, so nothing was imported:");
      expect(contents(db)).toBe(before);

      // With the three rows put right, all 5,000 go in, in one go; a second run finds them there.
      rows[16]![CASES_HEADER.indexOf("date_opened")] = "2016-01-04";
      rows[2_499]![CASES_HEADER.indexOf("service")] = "cp";
      rows[4_998]![CASES_HEADER.indexOf("age")] = "9";
      writeCsv(here, "cases.csv", rows, { eol: "\r\n" });
      const ok = await sos(here, ["import", "cases", file, "--as", ROBIN], ENV(db));
      expect(ok).toMatchObject({ code: 0, err: "" });
      expect(ok.out).toContain("Imported cases.csv: opened 5,000 cases, 0 already there.");
      const again = await sos(here, ["import", "cases", file, "--as", ROBIN], ENV(db));
      expect(again.out).toBe("cases.csv: 0 new cases, 5,000 already there. Nothing was written.\n");
    },
  );

  test(
    "--dry-run says what would happen and leaves the database file and its WAL byte for byte",
    SPAWNING,
    async () => {
      const here = mkdtempSync(join(dir, "dry-"));
      const db = demoDb(here);
      const file = writeCsv(here, "cases.csv", [
        [...CASES_HEADER],
        caseRow({
          case_id: "40001",
          child_name: "Ann Lee",
          age: "7",
          service: "cp",
          abuse_types: "N",
          date_opened: "01/02/16",
          worker_email: JANE,
        }),
        caseRow({
          case_id: "12345",
          child_name: "Melli Majid",
          age: "13",
          service: "statutory-cp",
          abuse_types: "N & PA",
          date_opened: "03/02/16",
          worker_email: JANE,
        }),
      ]);
      const before = fingerprint(db);
      const r = await sos(here, ["import", "cases", file, "--as", ROBIN, "--dry-run"], ENV(db));
      expect(r).toEqual({
        code: 0,
        out: "Checked cases.csv (2 rows): would open 1 case, 1 already there. Nothing was written (--dry-run).\n",
        err: "",
      });
      expect(fingerprint(db)).toEqual(before);
    },
  );

  test("usage mistakes exit 2 with one sentence and touch nothing", SPAWNING, async () => {
    const here = mkdtempSync(join(dir, "usage-"));
    const db = demoDb(here);
    const file = writeCsv(here, "p.csv", [[...PRACTICE_HEADER]]);
    const before = fingerprint(db);
    const cases: [string[], string][] = [
      [
        ["import", "practice", file, "--as", SAM],
        `sos: --as ${SAM}: only an admin can import, and Sam Okafor is a supervisor.\n`,
      ],
      [
        ["import", "practice", file],
        "sos: sos import needs --as <email>: the admin doing the import. See `sos import --help`.\n",
      ],
      [
        ["import", "people", file, "--as", ROBIN],
        'sos: "people" is not something to import: `sos import cases FILE.csv` or `sos import practice FILE.csv`. See `sos import --help`.\n',
      ],
      [["import", "cases", "nowhere.csv", "--as", ROBIN], "sos: nowhere.csv: there is no such file.\n"],
      [
        ["import", "practice", file, "--as", ROBIN, "--update"],
        "sos: --update is for a case list: practice entries are never changed, only added (a wrong one is undone with /sos undo #<entry>).\n",
      ],
    ];
    for (const [args, err] of cases) {
      const r = await sos(here, args, ENV(db));
      expect({ args, code: r.code, out: r.out, err: r.err }).toEqual({ args, code: 2, out: "", err });
    }
    expect(fingerprint(db)).toEqual(before);
  });

  const hasScript = spawnSync("script", ["--version"]).status === 0;
  test.skipIf(!hasScript)(
    "on a terminal a progress line counts the rows on stderr; piped, stderr stays empty",
    SPAWNING,
    async () => {
      const here = mkdtempSync(join(dir, "tty-"));
      const db = demoDb(here);
      const rows: string[][] = [[...PRACTICE_HEADER]];
      for (let i = 0; i < 4_500; i++)
        rows.push(
          practiceRow({ case_id: "12345", element: "meeting", date: "2016-02-20", recorded_by: JANE }),
        );
      const file = writeCsv(here, "p.csv", rows);
      // `script` runs the command on a pseudo-terminal, as an admin's shell would.
      const command = `SOS_DB='${db}' SOS_TODAY=2016-03-01 '${process.execPath}' '${SOS}' import practice '${file}' --as ${ROBIN} --dry-run`;
      const tty = await new Promise<string>((done, fail) => {
        const child = spawn("script", ["-qec", command, "/dev/null"], {
          cwd: here,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
        });
        let out = "";
        child.stdout.on("data", (b: Buffer) => {
          out += b;
        });
        child.once("error", fail);
        child.once("exit", () => done(out));
        child.stdin.end();
      });
      expect(tty).toContain("\r\x1b[Kchecking p.csv: 2,000 rows…");
      expect(tty).toContain("\r\x1b[Kchecking p.csv: 4,000 rows…");
      expect(tty).toContain("\r\x1b[Kchecking p.csv against the record…");
      expect(tty).toContain("would record 4,500 entries on 1 case");
      const piped = await sos(here, ["import", "practice", file, "--as", ROBIN, "--dry-run"], ENV(db));
      expect(piped.err).toBe("");
      expect(piped.out).toContain("would record 4,500 entries on 1 case");
    },
  );

  test(
    "a new agency moves in: config, migrate, the template filled in, import, then the dashboards in sos chat",
    SPAWNING,
    async () => {
      const here = mkdtempSync(join(dir, "new-agency-"));
      const env = { SOS_TODAY: "2026-03-02" };
      writeFileSync(
        join(here, "sos.config.yaml"),
        [
          "agency: { name: Riverside Family Services, timeZone: Europe/London }",
          "teams:",
          "  - { name: River Team, channels: { slack: C0RIVER } }",
          "staff:",
          "  - { email: priya@riverside.example, name: Priya Shah, role: worker, team: River Team }",
          "  - { email: tom@riverside.example, name: Tom Reid, role: worker, team: River Team }",
          "  - { email: lee@riverside.example, name: Lee Grant, role: supervisor, team: River Team }",
          "  - { email: ada@riverside.example, name: Ada Obi, role: admin }",
          "",
        ].join("\n"),
      );
      const migrate = await sos(here, ["migrate"], env);
      expect(migrate.code).toBe(0);

      // The template names this agency's own worker and date format: its example row is one the import takes.
      const template = await sos(here, ["import", "cases", "--template"], env);
      expect(template).toEqual({
        code: 0,
        out: "case_id,child_name,date_of_birth,age,service,abuse_types,date_opened,worker_email,date_closed,outcome,closing_note\n12345,Melli Majid,,13,statutory-cp,N & PA,03/02/16,priya@riverside.example,,,\n",
        err: "",
      });
      const practiceTemplate = await sos(here, ["import", "practice", "--template"], env);
      expect(practiceTemplate.out).toBe(
        "case_id,element,date,value,note,recorded_by\n12345,safety-scale,27/02/16,2,after the family meeting,priya@riverside.example\n",
      );
      // The admin keeps the header and writes the agency's cases under it (as a spreadsheet would).
      writeFileSync(
        join(here, "cases.csv"),
        `${template.out.split("\n")[0]}\nR-101,Sam Brook,14/05/2015,,cp,"N, EA",12/01/26,priya@riverside.example,,,\nR-102,Kit Lowe,,9,family support,FDV,02/02/26,tom@riverside.example,,,\nR-103,Jo Penn,,4,vol,,05/11/25,priya@riverside.example,20/02/26,safe at home,\n`,
      );
      writeFileSync(
        join(here, "practice.csv"),
        `${practiceTemplate.out.split("\n")[0]}\nR-101,mapping internal,13/01/26,,,priya@riverside.example\nR-101,mapped with family,20/01/26,,,priya@riverside.example\nR-101,scale,10/02/26,4,"after the network meeting, first one",lee@riverside.example\nR-102,critical worry,,,,tom@riverside.example\n`,
      );
      const dry = await sos(
        here,
        ["import", "cases", "cases.csv", "--as", "ada@riverside.example", "--dry-run"],
        env,
      );
      expect(dry.out).toBe(
        "Checked cases.csv (3 rows): would open 3 cases (1 of them closed), 0 already there. Nothing was written (--dry-run).\n",
      );
      const cases = await sos(here, ["import", "cases", "cases.csv", "--as", "ada@riverside.example"], env);
      expect(cases).toMatchObject({ code: 0, err: "" });
      expect(cases.out).toContain("Imported cases.csv: opened 3 cases (1 of them closed), 0 already there.");
      const practice = await sos(
        here,
        ["import", "practice", "practice.csv", "--as", "ada@riverside.example"],
        env,
      );
      expect(practice).toMatchObject({ code: 0, err: "" });
      expect(practice.out).toMatch(
        /^Imported practice\.csv: recorded 4 entries on 2 cases, 0 already there \(entries #1 to #4\)\./,
      );

      const chat = await sos(
        here,
        ["chat", "--as", "priya@riverside.example"],
        env,
        "/sos mine statutory-cp\n/sos undo\n/sos three-houses R-101 yesterday\n/sos undo\n/sos undo #3\n/sos case R-101\n",
      );
      expect(chat.code).toBe(0);
      const row = chat.out.split("\n").find((l) => l.includes("R-101  Sam Brook"));
      expect(row?.split(/\s{2,}/).slice(1, 11)).toEqual([
        "R-101",
        "Sam Brook 10",
        "12/01/26",
        "N & EA",
        "13/01/26",
        "20/01/26",
        "No",
        "No",
        "No",
        "4",
      ]);
      // `/sos undo` is for what Priya typed; the imported history is undone only by its number.
      const said = [
        "You have no entries left to undo. Nothing changed.",
        "Recorded Three Houses on 01/03/26 for case R-101 (Sam Brook 10).",
        "Undone: Three Houses on 01/03/26 for case R-101.",
        "Undone: Safety Scale 4 on 10/02/26 for case R-101.",
      ].map((line) => chat.out.indexOf(line));
      expect(said.every((at) => at > 0)).toBe(true);
      expect([...said].sort((a, b) => a - b)).toEqual(said);
      expect(chat.out).toMatch(/Mapping Internal, recorded by Priya Shah .* via import \(entry #1\)\./);
      expect(chat.out).toMatch(
        /Safety Scale 4, recorded by Lee Grant .* via import \(entry #3\)\. Note: "after the network meeting, first one" Undone by Priya Shah/,
      );

      const audit = await sos(here, ["audit", "--case", "R-101"], env);
      expect(audit.out).toMatch(
        /Ada Obi \(import\) {2}case R-101 {2}opened the case on Front end statutory child protection, opened 12\/01\/26, allocated to Priya Shah \(River Team\)/,
      );
      expect(audit.out).toMatch(/Ada Obi \(import\) {2}case R-101 {2}imported 3 practice entries/);
      expect(audit.out).toMatch(/Priya Shah \(cli\) {2}case R-101 {2}undid entry #3 \(Safety Scale\)/);
      const whole = await sos(here, ["audit"], env);
      expect(whole.out).toMatch(
        /Ada Obi \(import\) {2}imported a case list of 3 rows \(file [0-9a-f]{12}\): 3 cases opened, 0 already there/,
      );

      // The closed case is kept with its outcome, off the dashboards.
      const board = await sos(here, ["dashboard", "--agency", "--format", "json"], env);
      const ids = (JSON.parse(board.out) as { groups: { rows: { caseId: string }[] }[] }).groups.flatMap(
        (g) => g.rows.map((r) => r.caseId),
      );
      expect(ids.sort()).toEqual(["R-101", "R-102"]);
      expect(readFileSync(join(here, "cases.csv"), "utf8")).toContain("R-103");
    },
  );
});
