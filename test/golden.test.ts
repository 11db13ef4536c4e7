import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { dashboardFor, viewEnv } from "../src/commands/views.ts";
import { dashboardCsv } from "../src/render/csv.ts";
import { dashboardJson } from "../src/render/json.ts";
import { dashboardText } from "../src/render/text.ts";
import type { DashboardView } from "../src/render/view.ts";
import { JANE, makeTestCtx, type TestCtx } from "./helpers/ctx.ts";

// The seed document's sample rows, as the dashboards must show them on 1 March 2016 (the document's
// own time, so the children's ages read as written). Readings of the document are in the README.
let t: TestCtx;
beforeAll(() => {
  t = makeTestCtx({ today: "2016-03-01" });
});
afterAll(() => t.close());

async function board(
  slug: "overview" | "statutory-cp" | "family-support" | "voluntary",
  audience: "private" | "channel" = "private",
): Promise<DashboardView> {
  const env = viewEnv(t.ctx, t.as(JANE), "cli", audience);
  return (await dashboardFor(env, { kind: "worker", worker: t.as(JANE) }, slug))[0]!;
}

const rows = (v: DashboardView) =>
  Object.fromEntries(v.groups.flatMap((g) => g.rows.map((r) => [r.caseId, r.cells])));

describe("the seed's dashboards, row for row", () => {
  test("front end statutory child protection", async () => {
    const v = await board("statutory-cp");
    expect(v.title).toBe("Front end statutory child protection");
    expect(v.columns).toEqual([
      "Name/Age/ID #",
      "Date Opened",
      "Abuse Type",
      "Mapping Internal",
      "Mapping with Family",
      "Three Houses",
      "Danger Statement",
      "Safety Goal",
      "Safety Scale",
      "Word and Pictures",
      "Network Number",
      "Participatory Conferences/Meetings including Network",
      "Interim Adult Safety Plan",
      "Child Safety Plan",
    ]);
    expect(v.groups.map((g) => g.title)).toEqual(["Jane Smith's Cases"]);
    expect(rows(v)).toEqual({
      "12345": [
        "Melli Majid 13",
        "03/02/16",
        "N & PA",
        "06/02/16",
        "No",
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
      // from the overview table, with its swapped Word and Pictures / network columns read back
      "12346": [
        "Mary Telis 5",
        "12/06/15",
        "FDV, EA & N",
        "19/06/15",
        "23/06/15",
        "21/06/15",
        "Yes",
        "Yes",
        "6",
        "Yes",
        "7",
        "0",
        "No",
        "23/11/15",
      ],
    });
  });

  test("statutory family support / preventative writes Yes and No, under its own Name/Age", async () => {
    const v = await board("family-support");
    // the seed heads this table "Name/Age" (no id column), unlike the other three
    expect(v.columns.slice(0, 3)).toEqual(["Name/Age", "Date Opened", "Abuse Type"]);
    expect(dashboardText(v)).toMatch(/Case {3}Name\/Age {8}Opened/);
    expect(v.columns.slice(3)).toEqual([
      "Mapping Internal",
      "Mapping with Family",
      "Three Houses",
      "Critical Worry",
      "Success Goal",
      "Success Scale",
      "Word and Pictures",
      "Network Provide number",
      "Adult Success Plan",
      "Child Success Plan",
    ]);
    expect(rows(v)).toEqual({
      "22345": [
        "Melli Majid 13",
        "03/01/16",
        "N & PA",
        "Yes",
        "No",
        "Yes",
        "Yes",
        "Yes",
        "No",
        "No",
        "2",
        "No",
        "No",
      ],
      "22346": [
        "Mary Telis 5",
        "12/06/15",
        "FDV, EA & N",
        "Yes",
        "Yes",
        "Yes",
        "Yes",
        "Yes",
        "No",
        "Yes",
        "7",
        "Yes",
        "No",
      ],
    });
  });

  test("voluntary preventative has no abuse type and ends with Case Trajectory", async () => {
    const v = await board("voluntary");
    expect(v.columns).toEqual([
      "Name/Age/ID #",
      "Date Opened",
      "Mapping Internal",
      "Mapping with Family",
      "My Three Houses",
      "Critical Worry",
      "Wellbeing Goal",
      "Wellbeing Scale",
      "Word and Pictures",
      "Network Provide number",
      "Adult Success Plan",
      "Child Wellbeing Plan",
      "Case Trajectory",
    ]);
    expect(v.legend).toBeNull();
    expect(rows(v)).toEqual({
      "32345": [
        "Melli Majid 13",
        "03/01/16",
        "06/01/16",
        "No",
        "18/01/16",
        "Yes",
        "Yes",
        "No",
        "No",
        "2",
        "No",
        "No",
        "No",
      ],
      "32346": [
        "Mary Telis 5",
        "12/06/15",
        "19/06/15",
        "08/07/15",
        "14/06/15",
        "Yes",
        "Yes",
        "No",
        "24/09/15",
        "7",
        "17/08/15",
        "No",
        "No",
      ],
    });
  });

  test("the whole practice overview shows every case; Mary Telis's statutory row matches the seed's overview", async () => {
    const v = await board("overview");
    expect(v.title).toBe("Whole practice overview");
    expect(v.columns[9]).toBe("Timeline and Trajectory");
    expect(v.columns[11]).toBe("Network Provide number");
    expect(rows(v)["12346"]).toEqual([
      "Mary Telis 5",
      "12/06/15",
      "FDV, EA & N",
      "19/06/15",
      "23/06/15",
      "21/06/15",
      "Yes",
      "Yes",
      "6",
      "15/07/15",
      "Yes",
      "7",
      "No",
      "23/11/15",
    ]);
    expect(Object.keys(rows(v)).sort()).toEqual(["12345", "12346", "22345", "22346", "32345", "32346"]);
    // an element the case's own dashboard does not have, never recorded: "–", not a missing "No"
    expect(rows(v)["12345"]![9]).toBe("–");
    expect(rows(v)["32345"]![9]).toBe("No");
  });

  test("in a channel, children show as initials", async () => {
    expect(rows(await board("statutory-cp", "channel"))["12345"]?.[0]).toBe("M.M. 13");
  });
});

describe("renderers agree on every cell", () => {
  test("text table", async () => {
    expect(dashboardText(await board("voluntary"))).toMatchInlineSnapshot(`
      "Voluntary preventative

                                                    Mapping                                                       Network   Adult     Child
                                Date      Mapping   with      My Three  Critical  Wellbeing  Wellbeing  Word and  Provide   Success   Wellbeing  Case
         Case   Name/Age/ID #   Opened    Internal  Family    Houses    Worry     Goal       Scale      Pictures  number    Plan      Plan       Trajectory
      -  -----  --------------  --------  --------  --------  --------  --------  ---------  ---------  --------  --------  --------  ---------  ----------
      Jane Smith's Cases
      *  32345  Melli Majid 13  03/01/16  06/01/16  No        18/01/16  Yes       Yes        No         No        2         No        No         No
      *  32346  Mary Telis 5    12/06/15  19/06/15  08/07/15  14/06/15  Yes       Yes        No         24/09/15  7         17/08/15  No         No

      * stuck: type /sos stuck to see why"
    `);
  });

  test("JSON has the documented shape and the text table's cells", async () => {
    const v = await board("statutory-cp");
    const json = JSON.parse(JSON.stringify(dashboardJson(v)));
    expect(Object.keys(json)).toEqual(["dashboard", "title", "columns", "groups"]);
    expect(json.groups[0]).toMatchObject({ worker: "Jane Smith", title: "Jane Smith's Cases" });
    expect(json.groups[0].rows[0]).toEqual({ caseId: "12345", cells: rows(v)["12345"] });
    const text = dashboardText(v);
    for (const cell of json.groups[0].rows[0].cells) expect(text).toContain(cell);
  });

  test("CSV puts worker and case id first and quotes what needs quoting", async () => {
    const csv = dashboardCsv(await board("statutory-cp"));
    const [header, first] = csv.split("\r\n");
    expect(header).toBe(
      "\uFEFFWorker,Case ID,Name/Age/ID #,Date Opened,Abuse Type,Mapping Internal,Mapping with Family,Three Houses,Danger Statement,Safety Goal,Safety Scale,Word and Pictures,Network Number,Participatory Conferences/Meetings including Network,Interim Adult Safety Plan,Child Safety Plan",
    );
    expect(first).toBe(
      "Jane Smith,12345,Melli Majid 13,03/02/16,N & PA,06/02/16,No,12/02/16,Yes,No,2,27/02/16,3,1,No,No",
    );
    expect(csv).toContain('"FDV, EA & N"');
  });
});

describe("files people open", () => {
  test("a CSV starts with the UTF-8 byte order mark, so Excel shows accented names as typed", async () => {
    const mine = await makeTestCtx({ today: "2016-03-01" });
    try {
      const opened = await mine.run(
        "sam.okafor@demo-agency.example",
        'open 40001 "Zoë Łukasiewicz" 9 statutory-cp PA jane.smith@demo-agency.example',
      );
      expect(opened.ok, opened.text).toBe(true);
      const env = viewEnv(mine.ctx, mine.as(JANE), "cli", "private");
      const csv = dashboardCsv(
        (await dashboardFor(env, { kind: "worker", worker: mine.as(JANE) }, "overview"))[0]!,
      );
      const bytes = Buffer.from(csv, "utf8");
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      // read back as a spreadsheet does (UTF-8 after the mark): the name comes back as typed
      const back = new TextDecoder("utf-8").decode(bytes);
      expect(back.startsWith("Worker,")).toBe(true);
      expect(back).toContain("Jane Smith,40001,Zoë Łukasiewicz 9,01/03/16,PA,");
    } finally {
      mine.close();
    }
  });

  test("the overview's – is explained in a note row that keeps the file a table of rows", async () => {
    const v = await board("overview");
    const lines = dashboardCsv(v)
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    const fields = (l: string) => l.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    const width = fields(lines[0]!).length;
    for (const l of lines) expect(fields(l)).toHaveLength(width);
    const note = fields(lines.at(-1)!);
    expect(note.slice(0, 3)).toEqual([
      "",
      "",
      "– not on this case's own dashboard: its service doesn't record that element",
    ]);
    // every other row names its case; the note row does not
    expect(lines.slice(1, -1).every((l) => fields(l)[1] !== "")).toBe(true);
    expect(dashboardCsv(await board("statutory-cp"))).not.toContain("not on this case's own dashboard");
  });

  test("the text table explains its – under the table", async () => {
    expect(dashboardText(await board("overview"))).toContain(
      "\n– not on this case's own dashboard: its service doesn't record that element\n",
    );
    expect(dashboardText(await board("voluntary"))).not.toContain("own dashboard");
  });
});
