import { readFileSync } from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import { syncContext } from "../src/app/context.ts";
import { DEMO_CONFIG } from "../src/app/paths.ts";
import { auditLines } from "../src/commands/audit-view.ts";
import type { Ctx } from "../src/commands/ctx.ts";
import { runCommand } from "../src/commands/run.ts";
import { OPERATOR, viewEnv } from "../src/commands/views.ts";
import { parseOrg } from "../src/config/load.ts";
import { type ImportRequest, runImport } from "../src/import/run.ts";
import { Conflict } from "../src/store/records.ts";
import { CASES_HEADER, caseRow, PRACTICE_HEADER, practiceRow, writeCsv } from "./helpers/csv-files.ts";
import { ALISON, JANE, makeTestCtx, ROBIN, SAM, type TestCtx } from "./helpers/ctx.ts";
import { dbSnapshot } from "./helpers/snapshot.ts";

let t: TestCtx;
afterEach(() => t?.close());

function imp(kind: ImportRequest["kind"], path: string, opts: Partial<ImportRequest> = {}, ctx: Ctx = t.ctx) {
  const admin = ctx.people.byEmail(ROBIN)!;
  return runImport(ctx, admin, ctx.repo.staff.all(), { kind, path, dryRun: false, update: false, ...opts });
}

const ann = {
  case_id: "40001",
  child_name: "Ann Lee",
  age: "7",
  service: "cp",
  abuse_types: "N & PA",
  date_opened: "01/02/16",
  worker_email: JANE,
} as const;

describe("sos import cases", () => {
  test("a case list as Excel writes it in much of Europe (BOM, ;, CRLF, a name over two lines) opens each case as /sos open does", async () => {
    t = makeTestCtx();
    const path = writeCsv(
      t.dir,
      "cases.csv",
      [
        [
          "Case ID",
          "Child Name",
          "Age",
          "Date of Birth",
          "Service",
          "Abuse Types",
          "Date Opened",
          "Worker Email",
        ],
        ["40001", "Ann\r\nLee", "7", "", "cp", "N & PA", "01/02/16", JANE],
        [
          "40002",
          "Bo Chan",
          "",
          "2010-04-03",
          "family support",
          "fdv,ea",
          "2016-01-05",
          "ah.hin.xeng@demo-agency.example",
        ],
      ],
      { delimiter: ";", eol: "\r\n", bom: true },
    );
    const r = await imp("cases", path);
    expect(r).toEqual({
      ok: true,
      text: "Imported cases.csv: opened 2 cases, 0 already there.\nEach case shows on its dashboard now (`sos dashboard`); its history and `sos audit` name you and the import.",
    });
    // The same row `/sos open` makes from the same details, typed by the same admin.
    const typed = await t.run(
      ROBIN,
      '/sos open 40009 "Ann Lee" 7 cp N & PA 01/02/16 jane.smith@demo-agency.example',
    );
    expect(typed.ok).toBe(true);
    const { id: _a, createdAt: _b, ...imported } = t.ctx.repo.cases.get("40001")!;
    const { id: _c, createdAt: _d, ...opened } = t.ctx.repo.cases.get("40009")!;
    expect(imported).toEqual(opened);
    expect(t.ctx.repo.cases.get("40002")).toMatchObject({
      childName: "Bo Chan",
      dob: "2010-04-03",
      ageAtOpening: null,
      service: "family-support",
      abuseTypes: ["FDV", "EA"],
      openedOn: "2016-01-05",
    });
    const audit = await t.ctx.records.reads.caseAudit("40001");
    expect(audit.map((a) => [a.action, a.surface, a.actorId])).toEqual([
      ["open", "import", t.as(ROBIN).staffId],
    ]);
    const shown = await t.run(ROBIN, "case 40001");
    expect(shown.text).toContain("Allocated to Jane Smith (North Team) by Robin Ellis.");
  });

  test("importing the same file twice writes nothing the second time and says so", async () => {
    t = makeTestCtx();
    const path = writeCsv(t.dir, "cases.csv", [
      [...CASES_HEADER],
      caseRow(ann),
      caseRow({ ...ann, case_id: "40002", child_name: "Bo Chan" }),
      caseRow({
        ...ann,
        case_id: "40003",
        child_name: "Cy Dee",
        date_closed: "20/02/16",
        outcome: "referred on",
      }),
    ]);
    expect((await imp("cases", path)).text).toContain("opened 3 cases (1 of them closed), 0 already there.");
    const before = dbSnapshot(t.ctx.store);
    expect(await imp("cases", path)).toEqual({
      ok: true,
      text: "cases.csv: 0 new cases, 3 already there. Nothing was written.",
    });
    expect(dbSnapshot(t.ctx.store)).toBe(before);
  });

  test("a closed case in the file is opened, then closed as /sos close closes it: its close is in the history", async () => {
    t = makeTestCtx();
    const path = writeCsv(t.dir, "cases.csv", [
      [...CASES_HEADER],
      caseRow({
        ...ann,
        date_closed: "2016-02-20",
        outcome: "safe at home",
        closing_note: "went well; family engaged",
      }),
    ]);
    expect((await imp("cases", path)).ok).toBe(true);
    expect(t.ctx.repo.cases.get("40001")).toMatchObject({
      status: "closed",
      closedOn: "2016-02-20",
      outcome: "safe-at-home",
      closingNote: "went well; family engaged",
    });
    expect(t.ctx.repo.caseEvents.forCase("40001").map((e) => [e.kind, e.surface, e.on])).toEqual([
      ["closed", "import", "2016-02-20"],
    ]);
    const shown = await t.run(ROBIN, "case 40001");
    expect(shown.text).toContain(
      'Closed by Robin Ellis: Safety achieved, child living at home. Note: "went well; family engaged"',
    );
  });

  test("a row whose details differ from the record is an error naming the field, never the child's name", async () => {
    t = makeTestCtx();
    await imp("cases", writeCsv(t.dir, "first.csv", [[...CASES_HEADER], caseRow(ann)]));
    const before = dbSnapshot(t.ctx.store);
    const second = writeCsv(t.dir, "second.csv", [
      [...CASES_HEADER],
      caseRow({
        ...ann,
        child_name: "Anne Leigh",
        age: "8",
        date_opened: "02/02/16",
        service: "fs",
        worker_email: SAM,
      }),
    ]);
    const r = await imp("cases", second);
    expect(r.ok).toBe(false);
    expect(r.text.split("\n")).toEqual([
      "second.csv: 1 row can't be imported, so nothing was imported:",
      "row 2, worker_email: differs from the record: the record has the case with Jane Smith, the file with Sam Okafor; an import does not transfer cases, so use /sos assign 40001 sam.okafor@demo-agency.example; " +
        "child_name: differs from the record (neither is shown here); to record the correction, run the import again with --update; " +
        "age: differs from the record; to record the correction, run the import again with --update; " +
        "date_opened: differs from the record (01/02/16 there, 02/02/16 in the file); to record the correction, run the import again with --update; " +
        "service: differs from the record (Front end statutory child protection there, Statutory family support / preventative in the file); to move the case, run the import again with --update",
      "Correct it in the file and run the import again (--dry-run checks without writing).",
    ]);
    expect(r.text).not.toMatch(/Ann|Leigh/);
    expect(dbSnapshot(t.ctx.store)).toBe(before);
    // --update corrects details and moves services, but a transfer stays chat's: still refused.
    const refused = await imp("cases", second, { update: true });
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain("an import does not transfer cases");
    expect(dbSnapshot(t.ctx.store)).toBe(before);
  });

  test("--update records each difference as /sos edit (and /sos move) would: in the case's history and the audit", async () => {
    t = makeTestCtx();
    await imp("cases", writeCsv(t.dir, "first.csv", [[...CASES_HEADER], caseRow(ann)]));
    const path = writeCsv(t.dir, "second.csv", [
      [...CASES_HEADER],
      caseRow({ ...ann, child_name: "Anne  Leigh", age: "8", abuse_types: "N", service: "fs" }),
      caseRow({ ...ann, case_id: "40002", child_name: "Bo Chan" }),
    ]);
    const r = await imp("cases", path, { update: true });
    expect(r.text).toBe(
      "Imported second.csv: opened 1 case, corrected 3 details, moved 1 case to another service, 0 already there.\nEach case shows on its dashboard now (`sos dashboard`); its history and `sos audit` name you and the import.",
    );
    expect(t.ctx.repo.cases.get("40001")).toMatchObject({
      childName: "Anne Leigh",
      ageAtOpening: 8,
      abuseTypes: ["N"],
      service: "family-support",
    });
    const history = (await t.run(ROBIN, "case 40001")).text;
    expect(history).toMatch(
      /Child's name corrected from Ann Lee to Anne Leigh by Robin Ellis .* via import\./,
    );
    expect(history).toMatch(/Age at opening corrected from 7 to 8 by Robin Ellis .* via import\./);
    expect(history).toContain(
      "Moved from Front end statutory child protection to Statutory family support / preventative by Robin Ellis.",
    );
    // A channel never sees the names, old or new.
    const inChannel = (await t.run(SAM, "case 40001", { audience: "channel" })).text;
    expect(inChannel).not.toMatch(/Ann|Leigh/);
    const audit = (await t.ctx.records.reads.caseAudit("40001")).map((a) => [a.action, a.surface, a.detail]);
    expect(audit).toEqual([
      ["open", "import", expect.objectContaining({ service: "statutory-cp" })],
      ["edit", "import", { field: "childName" }],
      ["edit", "import", { field: "ageAtOpening" }],
      ["edit", "import", { field: "abuseTypes" }],
      ["move", "import", { from: "statutory-cp", to: "family-support", on: "2016-03-01" }],
    ]);
    // As `sos audit` says it: the admin, the surface, the field; never a value.
    const lines = auditLines(
      viewEnv(t.ctx, OPERATOR, "cli", "private"),
      await t.ctx.records.reads.caseAudit("40001"),
    );
    expect(lines.map((l) => `${l.who} (${l.surface}) ${l.what}`).slice(1)).toEqual([
      "Robin Ellis (import) corrected the child's name",
      "Robin Ellis (import) corrected the age at opening",
      "Robin Ellis (import) corrected the abuse types",
      "Robin Ellis (import) moved the case from Front end statutory child protection to Statutory family support / preventative on 01/03/16",
    ]);
    // Run again: all there now.
    expect((await imp("cases", path, { update: true })).text).toBe(
      "second.csv: 0 new cases, 2 already there. Nothing was written.",
    );
  });

  test("--update closes a case the file has closed, as /sos close would; a reopen stays chat's", async () => {
    t = makeTestCtx();
    await imp("cases", writeCsv(t.dir, "open.csv", [[...CASES_HEADER], caseRow(ann)]));
    const closed = writeCsv(t.dir, "closed.csv", [
      [...CASES_HEADER],
      caseRow({ ...ann, date_closed: "28/02/16", outcome: "moved away" }),
    ]);
    const refused = await imp("cases", closed);
    expect(refused.text).toContain(
      "row 2, date_closed: the case is open in the record and closed in the file; to close it, run the import again with --update",
    );
    expect((await imp("cases", closed, { update: true })).text).toContain(
      "Imported closed.csv: closed 1 case, 0 already there.",
    );
    expect(t.ctx.repo.cases.get("40001")).toMatchObject({
      status: "closed",
      closedOn: "2016-02-28",
      outcome: "moved-away",
    });
    expect(t.ctx.repo.caseEvents.forCase("40001").map((e) => [e.kind, e.surface])).toEqual([
      ["closed", "import"],
    ]);
    // The record closed, the file open: an import does not reopen.
    const reopened = await imp(
      "cases",
      writeCsv(t.dir, "open-again.csv", [[...CASES_HEADER], caseRow(ann)]),
      { update: true },
    );
    expect(reopened.text).toContain(
      "row 2, date_closed: the case is closed in the record (since 28/02/16) and open in the file; an import does not reopen cases, so use /sos reopen 40001",
    );
  });

  test("--update decides a correction with /sos edit's own checks: an opening after recorded practice is refused", async () => {
    t = makeTestCtx();
    const path = writeCsv(t.dir, "c.csv", [
      [...CASES_HEADER],
      caseRow({
        case_id: "12345",
        child_name: "Melli Majid",
        age: "13",
        service: "statutory-cp",
        abuse_types: "N & PA",
        date_opened: "10/02/16",
        worker_email: JANE,
      }),
    ]);
    const r = await imp("cases", path, { update: true });
    expect(r.ok).toBe(false);
    expect(r.text).toMatch(
      /^row 2, date_opened: case 12345 has practice recorded on 06\/02\/16 \(entry #\d+\), before 10\/02\/16, so it can't have been opened then; undo that entry first or check the date$/m,
    );
  });

  test("every bad row is listed, each on its line with all its problems, and nothing is written", async () => {
    t = makeTestCtx();
    const before = dbSnapshot(t.ctx.store);
    const path = writeCsv(t.dir, "bad.csv", [
      [...CASES_HEADER],
      caseRow(ann),
      caseRow({ ...ann, case_id: "40002", date_opened: "31/02/16" }),
      caseRow({ ...ann, case_id: "40003", service: "cpp", abuse_types: "N XX" }),
      caseRow({ ...ann, case_id: "40004", age: "19" }),
      caseRow({ ...ann, case_id: "40005", age: "", date_of_birth: "01/01/2030" }),
      caseRow({ ...ann, case_id: "40006", worker_email: "nobody@demo-agency.example" }),
      caseRow({ ...ann, case_id: "40007", worker_email: "morgan.reyes@demo-agency.example" }),
      caseRow({ ...ann, case_id: "40001", child_name: "Someone Else" }),
      caseRow({ ...ann, case_id: "40008", date_opened: "02/03/16" }),
      caseRow({ ...ann, case_id: "40009", date_closed: "20/02/16", outcome: "gone fishing" }),
      caseRow({ ...ann, case_id: "40010", date_closed: "20/01/16", outcome: "other" }),
      caseRow({ ...ann, case_id: "400 11", child_name: "", age: "x" }),
      caseRow({ ...ann, case_id: "40012", age: "7", date_of_birth: "01/01/12" }),
    ]);
    const r = await imp("cases", path);
    expect(r.ok).toBe(false);
    expect(r.text.split("\n")).toEqual([
      "bad.csv: 12 rows can't be imported, so nothing was imported:",
      'row 3, date_opened: "31/02/16" is not a date',
      'row 4, service: "cpp" is not a service (did you mean cp?): statutory-cp, family-support or voluntary; abuse_types: "XX" is not an abuse type: use PA, SA, EA, N or FDV',
      "row 5, age: at 19 this is an adult here (18 and over), and a case is for a child; if your agency works with young adults, an admin can raise adultAge in the config",
      "row 6, date_of_birth: the date of birth 01/01/30 is in the future",
      'row 7, worker_email: "nobody@demo-agency.example" is not on the staff list',
      "row 8, worker_email: Morgan Reyes is a manager, and only workers and supervisors hold cases",
      "row 9, case_id: case 40001 is on row 2 too: a case list has one row per case",
      "row 10, date_opened: 02/03/16 is in the future, so the opening can't have happened yet",
      'row 11, outcome: "gone fishing" is not a closing outcome: safe-at-home, family-network-care, out-of-home-care, referred-on, moved-away, no-further-action, other',
      "row 12, date_closed: 20/01/16 is before case 40010 was opened (01/02/16)",
      'row 13, case_id: "400 11" is not a case id: letters and numbers (and - or _), up to 40; child_name: missing: every case needs the child\'s name; age: "x" is not an age: a whole number of years from 0 to 25',
      "row 14, age: 7 is not the age at opening that date_of_birth gives (4): correct one of them",
      "Correct them in the file and run the import again (--dry-run checks without writing).",
    ]);
    expect(r.text).not.toContain("Someone Else");
    expect(dbSnapshot(t.ctx.store)).toBe(before);
  });

  test("a child's name that slipped into another column is not said back in the report", async () => {
    t = makeTestCtx();
    const path = writeCsv(t.dir, "shifted.csv", [
      [...CASES_HEADER],
      caseRow({ ...ann, date_opened: "Ann Lee" }),
    ]);
    const r = await imp("cases", path);
    expect(r.text).toContain('row 2, date_opened: "(the child\'s name)" is not a date');
    expect(r.text).not.toContain("Ann");
  });

  test("a header with a misspelt, a missing or a doubled column is row 1's problem, said once", async () => {
    t = makeTestCtx();
    const path = writeCsv(t.dir, "h.csv", [
      ["case_id", "child_name", "age", "service", "abuse_types", "date_openned", "worker_email", "Age"],
      ["40001", "Ann Lee", "7", "cp", "N", "01/02/16", JANE, "7"],
    ]);
    const r = await imp("cases", path);
    expect(r.text.split("\n").slice(0, 2)).toEqual([
      "h.csv: 1 row can't be imported, so nothing was imported:",
      'row 1: "date_openned" is not a column of a case list (did you mean date_opened?); the columns are case_id, child_name, date_of_birth, age, service, abuse_types, date_opened, worker_email, date_closed, outcome, closing_note; the column age is there twice (columns 3 and 8); the column date_opened is missing',
    ]);
  });
});

describe("sos import practice", () => {
  async function withCases(): Promise<void> {
    const cases = writeCsv(t.dir, "cases.csv", [
      [...CASES_HEADER],
      caseRow(ann),
      caseRow({ ...ann, case_id: "40002", child_name: "Bo Chan", service: "vol", abuse_types: "" }),
      caseRow({ ...ann, case_id: "40003", child_name: "Cy Dee", date_closed: "20/02/16", outcome: "other" }),
    ]);
    expect((await imp("cases", cases)).ok).toBe(true);
  }

  test("imported practice shows on /sos mine and can be undone by its number only", async () => {
    t = makeTestCtx();
    await withCases();
    const path = writeCsv(t.dir, "practice.csv", [
      [...PRACTICE_HEADER],
      practiceRow({ case_id: "40001", element: "Mapping with Family", date: "06/02/16", recorded_by: JANE }),
      practiceRow({
        case_id: "40001",
        element: "scale",
        date: "2016-02-07",
        value: "6",
        note: "first rating",
        recorded_by: JANE,
      }),
      practiceRow({ case_id: "40001", element: "danger", recorded_by: SAM }),
    ]);
    const r = await imp("practice", path);
    expect(r.ok).toBe(true);
    const ids = t.ctx.repo.events.forCase("40001").map((e) => e.id);
    expect(r.text).toBe(
      `Imported practice.csv: recorded 3 entries on 1 case, 0 already there (entries #${ids[0]} to #${ids[2]}).\nThey show on the dashboards and in digests like any other; each is undone only by its number, \`/sos undo #<entry>\` (see \`/sos case\`).`,
    );
    const events = t.ctx.repo.events.forCase("40001");
    expect(events.map((e) => [e.element, e.occurredOn, e.value, e.recordedBy, e.surface])).toEqual([
      ["mapping-with-family", "2016-02-06", null, t.as(JANE).staffId, "import"],
      ["safety-scale", "2016-02-07", 6, t.as(JANE).staffId, "import"],
      ["danger-statement", null, null, t.as(SAM).staffId, "import"],
    ]);
    const mine = (await t.run(JANE, "mine statutory-cp")).text;
    const row = mine.split("\n").find((l) => l.includes("40001"));
    expect(row?.split(/\s{2,}/).slice(1, 11)).toEqual([
      "40001",
      "Ann Lee 7",
      "01/02/16",
      "N & PA",
      "No",
      "06/02/16",
      "No",
      "Yes",
      "No",
      "6",
    ]);
    // `/sos undo` takes back what Jane typed, never what was imported in her name.
    expect((await t.run(JANE, "undo")).issue?.code).toBe("nothing_to_undo");
    const undone = await t.run(JANE, `undo #${events[1]!.id}`);
    expect(undone.text).toContain("Undone: Safety Scale 6 on 07/02/16 for case 40001.");
    // The audit names the admin who imported, each entry keeps who recorded it.
    const audit = await t.ctx.records.reads.caseAudit("40001");
    expect(audit.filter((a) => a.action === "import").map((a) => [a.actorId, a.surface, a.detail])).toEqual([
      [t.as(ROBIN).staffId, "import", { what: "practice", entries: 3 }],
    ]);
  });

  test("the same history twice: nothing doubled, and it says so (an undone entry is not brought back)", async () => {
    t = makeTestCtx();
    await withCases();
    const path = writeCsv(t.dir, "practice.csv", [
      [...PRACTICE_HEADER],
      practiceRow({ case_id: "40001", element: "meeting", date: "08/02/16", recorded_by: JANE }),
      // two meetings on one day are two meetings
      practiceRow({ case_id: "40001", element: "meeting", date: "08/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "three houses", date: "09/02/16", recorded_by: JANE }),
    ]);
    expect((await imp("practice", path)).text).toContain("recorded 3 entries on 1 case, 0 already there");
    const houses = t.ctx.repo.events.forCase("40001").find((e) => e.element === "three-houses")!;
    expect((await t.run(JANE, `undo #${houses.id}`)).ok).toBe(true);
    const before = dbSnapshot(t.ctx.store);
    expect(await imp("practice", path)).toEqual({
      ok: true,
      text: "practice.csv: 0 new entries, 3 already there (1 of them undone in the record, so not brought back). Nothing was written.",
    });
    expect(dbSnapshot(t.ctx.store)).toBe(before);
    // A third meeting row in a later file is a new meeting.
    const more = writeCsv(t.dir, "more.csv", [
      [...PRACTICE_HEADER],
      ...Array.from({ length: 3 }, () =>
        practiceRow({ case_id: "40001", element: "meeting", date: "08/02/16", recorded_by: JANE }),
      ),
    ]);
    expect((await imp("practice", more)).text).toContain("recorded 1 entry on 1 case, 2 already there");
  });

  test("each row is checked as a typed log is, and against the case; every bad row listed, nothing written", async () => {
    t = makeTestCtx();
    await withCases();
    const before = dbSnapshot(t.ctx.store);
    const path = writeCsv(t.dir, "practice.csv", [
      [...PRACTICE_HEADER],
      practiceRow({ case_id: "40001", element: "mapped-wth-family", date: "06/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "scale", date: "07/02/16", value: "11", recorded_by: JANE }),
      practiceRow({
        case_id: "40001",
        element: "three-houses",
        date: "07/02/16",
        value: "3",
        recorded_by: JANE,
      }),
      practiceRow({ case_id: "40001", element: "network", date: "07/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "three-houses", date: "06/01/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "three-houses", date: "06/03/16", recorded_by: JANE }),
      practiceRow({ case_id: "40002", element: "meeting", date: "06/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40003", element: "three-houses", date: "21/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "49999", element: "three-houses", date: "06/02/16", recorded_by: JANE }),
      practiceRow({
        case_id: "40001",
        element: "danger",
        date: "06/02/16",
        recorded_by: "jane.smth@demo-agency.example",
      }),
      practiceRow({ case_id: "40001", element: "goal", date: "06/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "goal", date: "06/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "scale", date: "next week", value: "six", recorded_by: "" }),
    ]);
    const r = await imp("practice", path);
    expect(r.text.split("\n")).toEqual([
      "practice.csv: 12 rows can't be imported, so nothing was imported:",
      'row 2, element: "mapped-wth-family" is not a practice element (did you mean mapped-with-family?)',
      "row 3, value: Safety Scale must be a whole number from 0 to 10, not 11",
      "row 4, value: Three Houses is recorded with a date, not a number: leave value empty",
      "row 5, value: Network needs a number from 0 to 999",
      "row 6, date: 06/01/16 is before case 40001 was opened (01/02/16)",
      "row 7, date: 06/03/16 is in the future, so Three Houses can't have happened yet",
      "row 8, element: Network Meetings is not on the Voluntary preventative dashboard that case 40002 uses; its columns are Mapping Internal, Mapping with Family, My Three Houses, Critical Worry, Wellbeing Goal, Wellbeing Scale, Word and Pictures, Network Provide number, Adult Success Plan, Child Wellbeing Plan, Case Trajectory",
      "row 9, date: 21/02/16 is after case 40003 was closed (20/02/16)",
      "row 10, case_id: there is no case 49999 in the record: import the case list first (sos import cases)",
      'row 11, recorded_by: "jane.smth@demo-agency.example" is not anyone on the staff list, now or before (did you mean jane.smith@demo-agency.example?)',
      "row 13: the same entry as row 12 (case 40001, Safety Goal on 06/02/16, by the same person): it would count twice, so keep one of the rows",
      `row 14, date: "next week" is not a date: write it like 06/01/16 or 2016-01-06; value: "six" is not a number; recorded_by: missing: the email of who recorded it (current or former staff)`,
      "Correct them in the file and run the import again (--dry-run checks without writing).",
    ]);
    expect(dbSnapshot(t.ctx.store)).toBe(before);
  });

  test("history names people who have left: a former worker as recorded_by, or as the holder of a closed case", async () => {
    t = makeTestCtx();
    await withCases();
    // Alison Camp leaves the config; her staff row stays, inactive.
    const yaml = readFileSync(DEMO_CONFIG, "utf8").replace(
      / {2}- email: alison\.camp@demo-agency\.example\n(?: {4}.*\n)+/,
      "",
    );
    const org = parseOrg(yaml, DEMO_CONFIG);
    expect(org.staff.some((s) => s.email === ALISON)).toBe(false);
    const { ctx } = syncContext(org, t.ctx.store, t.ctx.clock);
    expect(ctx.people.byEmail(ALISON)).toBeUndefined();

    const cases = writeCsv(t.dir, "old-cases.csv", [
      [...CASES_HEADER],
      caseRow({
        ...ann,
        case_id: "30001",
        child_name: "Dee Old",
        worker_email: ALISON,
        date_closed: "20/02/16",
        outcome: "other",
      }),
      caseRow({ ...ann, case_id: "30002", child_name: "Eve Old", worker_email: ALISON }),
    ]);
    const refused = await imp("cases", cases, {}, ctx);
    expect(refused.text.split("\n")[1]).toBe(
      "row 3, worker_email: Alison Camp has left the staff: an open case needs a worker who is here now (a closed case may name a former one)",
    );
    const closedOnly = writeCsv(t.dir, "closed.csv", [
      [...CASES_HEADER],
      caseRow({
        ...ann,
        case_id: "30001",
        child_name: "Dee Old",
        worker_email: ALISON,
        date_closed: "20/02/16",
        outcome: "other",
      }),
    ]);
    expect((await imp("cases", closedOnly, {}, ctx)).ok).toBe(true);

    const practice = writeCsv(t.dir, "practice.csv", [
      [...PRACTICE_HEADER],
      practiceRow({ case_id: "30001", element: "mapping internal", date: "03/02/16", recorded_by: ALISON }),
      practiceRow({ case_id: "40001", element: "mapping internal", date: "03/02/16", recorded_by: ALISON }),
    ]);
    expect((await imp("practice", practice, {}, ctx)).ok).toBe(true);
    const shown = await runCommand(ctx, {
      actor: ctx.people.byEmail(SAM)!,
      text: "case 40001",
      surface: "cli",
      audience: "private",
    });
    expect(shown.text).toMatch(/Mapping Internal, recorded by Alison Camp .* via import/);
  });

  test("a write that meets a change made meanwhile is decided again on what is there", async () => {
    t = makeTestCtx();
    await withCases();
    const path = writeCsv(t.dir, "practice.csv", [
      [...PRACTICE_HEADER],
      practiceRow({ case_id: "40001", element: "three houses", date: "09/02/16", recorded_by: JANE }),
      practiceRow({ case_id: "40001", element: "scale", date: "10/02/16", value: "4", recorded_by: JANE }),
    ]);
    // Jane types the same three houses in chat after the import has decided and before it writes: the
    // write meets a case that moved on, and the import, decided again, finds her entry (the same case,
    // element, day, value and recorder) already there.
    const apply = t.ctx.records.apply.bind(t.ctx.records);
    let conflicts = 0;
    let typed = false;
    Object.assign(t.ctx.records, {
      apply: async (...args: Parameters<typeof apply>) => {
        if (!typed) {
          typed = true;
          const r = await runCommand(t.ctx, {
            actor: t.as(JANE),
            text: "three-houses 40001 09/02/16",
            surface: "cli",
            audience: "private",
          });
          expect(r.ok).toBe(true);
        }
        return apply(...args).catch((e: unknown) => {
          if (e instanceof Conflict) conflicts++;
          throw e;
        });
      },
    });
    const r = await imp("practice", path);
    expect(conflicts).toBe(1);
    expect(r.text).toContain("recorded 1 entry on 1 case, 1 already there");
    expect(t.ctx.repo.events.forCase("40001").map((e) => [e.element, e.surface])).toEqual([
      ["three-houses", "cli"],
      ["safety-scale", "import"],
    ]);
  });

  test("--dry-run says what would happen and writes nothing", async () => {
    t = makeTestCtx();
    await withCases();
    const before = dbSnapshot(t.ctx.store);
    const path = writeCsv(t.dir, "practice.csv", [
      [...PRACTICE_HEADER],
      practiceRow({ case_id: "40001", element: "three houses", date: "09/02/16", recorded_by: JANE }),
    ]);
    expect(await imp("practice", path, { dryRun: true })).toEqual({
      ok: true,
      text: "Checked practice.csv (1 row): would record 1 entry on 1 case, 0 already there. Nothing was written (--dry-run).",
    });
    expect(dbSnapshot(t.ctx.store)).toBe(before);
  });
});
