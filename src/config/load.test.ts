import { describe, expect, test } from "vitest";
import { DEMO_CONFIG } from "../app/paths.ts";
import { ConfigError, loadOrg, parseOrg } from "./load.ts";

const base = `
agency: { name: A, timeZone: Europe/London }
teams: [{ name: North Team }]
staff:
  - { email: jane@agency.example, name: Jane, role: worker, team: North Team }
`;

function problems(yaml: string): readonly string[] {
  try {
    parseOrg(yaml, "sos.config.yaml");
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe("config mistakes name the file, the key and what is wrong", () => {
  test("the demo config is valid", () => {
    const org = loadOrg(DEMO_CONFIG);
    expect(org.staff.map((s) => s.name)).toEqual([
      "Jane Smith",
      "Ah Hin Xeng",
      "Alison Camp",
      "Sam Okafor",
      "Morgan Reyes",
      "Robin Ellis",
    ]);
    expect(org.channelNames).toBe("initials");
    expect(org.dates).toEqual({ order: "dmy", format: "dd/MM/yy" });
  });

  test.each([
    [
      base.replace("worker", "superviser"),
      "staff[0].role: must be one of worker, supervisor, manager, admin",
    ],
    [
      base.replace("Europe/London", "Europe/Lundon"),
      "agency.timeZone: is not a known IANA time zone (e.g. Europe/London)",
    ],
    [
      base.replace("team: North Team", "team: Nort Team"),
      'staff[0].team: no team "Nort Team" in teams (did you mean "North Team"?)',
    ],
    [base.replace("team: North Team }", "}"), "staff[0].team: a worker needs a team"],
    [base.replace("name: Jane,", "nmae: Jane,"), 'staff[0]: unknown key "nmae" (did you mean "name"?)'],
    [base.replace("jane@agency.example", "jane"), "staff[0].email: must be an email address"],
    [`${base}channelNames: everything\n`, "channelNames: must be one of full, initials, id"],
    [
      `${base}dates: { format: dd/MM }\n`,
      "dates.format: must use dd or d, MM or M, and yy or yyyy once each (e.g. dd/MM/yy)",
    ],
    [`${base}stuck: { no-activity: soon }\n`, "stuck.no-activity: must be a number of days, or off"],
    [
      `${base}dashboards: { voluntary: { drop: [network-meeting] } }\n`,
      'dashboards.voluntary.drop[0]: "network-meeting" is not a column of the voluntary dashboard',
    ],
    [
      `${base}dashboards: { voluntary: { style: { safety-scale: date } } }\n`,
      "dashboards.voluntary.style.safety-scale: safety-scale can show as value or yesno, not date",
    ],
    [
      `${base}dashboards: { overview: { add: [{ element: network }] } }\n`,
      'dashboards.overview.add[0].element: "network" is already on the overview dashboard',
    ],
    [`${base}teams: []\n`, "line 6, column 1: Map keys must be unique"],
    [
      "agency: [",
      "line 1, column 10: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ],
    ["agency: { name: A, timeZone: UTC }\nteams: [{name: T}]\n", "staff: is required"],
  ])("%#", (yaml, expected) => {
    expect(problems(yaml)).toContain(expected);
  });

  test("the error message leads with the file", () => {
    expect(() => parseOrg(base.replace("worker", "boss"), "/etc/sos/sos.config.yaml")).toThrow(
      /^\/etc\/sos\/sos.config.yaml has a problem:\n {2}- staff\[0\].role: must be one of/,
    );
  });
});

describe("dashboards are adopted or adapted", () => {
  test("relabel, drop, add and restyle columns", () => {
    const org = parseOrg(
      `${base}dashboards:
  statutory-cp:
    title: Child protection (our version)
    relabel: { danger-statement: Danger Statements }
    drop: [three-houses, abuse]
    add: [{ element: trajectory, label: Timeline, after: safety-scale }]
    style: { words-and-pictures: yesno }
`,
      "x.yaml",
    );
    const d = org.dashboards["statutory-cp"];
    expect(d.title).toBe("Child protection (our version)");
    expect(d.columns.map((c) => c.label)).toEqual([
      "Name/Age/ID #",
      "Date Opened",
      "Mapping Internal",
      "Mapping with Family",
      "Danger Statements",
      "Safety Goal",
      "Safety Scale",
      "Timeline",
      "Word and Pictures",
      "Network Number",
      "Participatory Conferences/Meetings including Network",
      "Interim Adult Safety Plan",
      "Child Safety Plan",
    ]);
    expect(d.columns.find((c) => c.id === "words-and-pictures")).toMatchObject({ style: "yesno" });
  });

  test("stuck thresholds: agency-wide, per dashboard, and off", () => {
    const org = parseOrg(
      `${base}stuck: { no-activity: 30, dashboards: { voluntary: { no-child-plan: off, no-activity: 60 } } }\n`,
      "x.yaml",
    );
    expect(org.stuck["statutory-cp"]).toMatchObject({ "no-activity": 30, "no-child-plan": 90 });
    expect(org.stuck.voluntary["no-activity"]).toBe(60);
    expect(org.stuck.voluntary["no-child-plan"]).toBeUndefined();
  });
});

test("a label that is another element's word is refused, naming both", () => {
  const base = `
agency: { name: A, timeZone: Europe/London }
teams: [{ name: North Team }]
staff:
  - { email: jane@agency.example, name: Jane, role: worker, team: North Team }
`;
  const clash = () =>
    parseOrg(
      `${base}dashboards: { statutory-cp: { relabel: { adult-safety-plan: Child Plan } } }\n`,
      "sos.config.yaml",
    );
  expect(clash).toThrow(
    'dashboards.statutory-cp: the label "Child Plan" for adult-safety-plan is already a word for child-safety-plan; people typing it would record child-safety-plan. Choose another label',
  );
  const across = () =>
    parseOrg(
      `${base}dashboards: { statutory-cp: { relabel: { adult-safety-plan: Family Plan } }, voluntary: { relabel: { child-safety-plan: Family Plan } } }\n`,
      "sos.config.yaml",
    );
  expect(across).toThrow(
    'the label "Family Plan" for child-safety-plan is the statutory-cp label for adult-safety-plan',
  );
});
