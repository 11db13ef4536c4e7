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

function board(
  slug: "overview" | "statutory-cp" | "family-support" | "voluntary",
  audience: "private" | "channel" = "private",
): DashboardView {
  const env = viewEnv(t.ctx, t.as(JANE), "cli", audience);
  return dashboardFor(env, { kind: "worker", worker: t.as(JANE) }, slug)[0]!;
}

const rows = (v: DashboardView) =>
  Object.fromEntries(v.groups.flatMap((g) => g.rows.map((r) => [r.caseId, r.cells])));

describe("the seed's dashboards, row for row", () => {
  test("front end statutory child protection", () => {
    const v = board("statutory-cp");
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

  test("statutory family support / preventative writes Yes and No", () => {
    const v = board("family-support");
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

  test("voluntary preventative has no abuse type and ends with Case Trajectory", () => {
    const v = board("voluntary");
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

  test("the whole practice overview shows every case; Mary Telis's statutory row matches the seed's overview", () => {
    const v = board("overview");
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

  test("in a channel, children show as initials", () => {
    expect(rows(board("statutory-cp", "channel"))["12345"]?.[0]).toBe("M.M. 13");
  });
});

describe("renderers agree on every cell", () => {
  test("text table", () => {
    expect(dashboardText(board("voluntary"))).toMatchInlineSnapshot(`
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

  test("JSON has the documented shape and the text table's cells", () => {
    const v = board("statutory-cp");
    const json = JSON.parse(JSON.stringify(dashboardJson(v)));
    expect(Object.keys(json)).toEqual(["dashboard", "title", "columns", "groups"]);
    expect(json.groups[0]).toMatchObject({ worker: "Jane Smith", title: "Jane Smith's Cases" });
    expect(json.groups[0].rows[0]).toEqual({ caseId: "12345", cells: rows(v)["12345"] });
    const text = dashboardText(v);
    for (const cell of json.groups[0].rows[0].cells) expect(text).toContain(cell);
  });

  test("CSV puts worker and case id first and quotes what needs quoting", () => {
    const csv = dashboardCsv(board("statutory-cp"));
    const [header, first] = csv.split("\r\n");
    expect(header).toBe(
      "Worker,Case ID,Name/Age/ID #,Date Opened,Abuse Type,Mapping Internal,Mapping with Family,Three Houses,Danger Statement,Safety Goal,Safety Scale,Word and Pictures,Network Number,Participatory Conferences/Meetings including Network,Interim Adult Safety Plan,Child Safety Plan",
    );
    expect(first).toBe(
      "Jane Smith,12345,Melli Majid 13,03/02/16,N & PA,06/02/16,No,12/02/16,Yes,No,2,27/02/16,3,1,No,No",
    );
    expect(csv).toContain('"FDV, EA & N"');
  });
});
