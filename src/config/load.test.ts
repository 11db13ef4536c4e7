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
    [
      "agency: { name: A, timeZone: UTC }\nteams: [{name: T}]\n",
      "staff: is required (or staffFile: naming a CSV of the staff)",
    ],
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

describe("config checks that used to pass silently", () => {
  test.each([
    [`${base}holidays: [2026-12-25, 2026-02-30]\n`, "holidays[1]: 2026-02-30 is not a day of the calendar"],
    [`${base}holidays: [2026-13-01]\n`, "holidays[0]: 2026-13-01 is not a day of the calendar"],
    [`${base}holidays: [25/12/2026]\n`, "holidays[0]: must be a date written YYYY-MM-DD"],
    [
      base.replace("team: North Team }", "team: North Team, away: [{ from: 2026-02-28, to: 2026-02-29 }] }"),
      "staff[0].away[0].to: 2026-02-29 is not a day of the calendar",
    ],
  ])("an impossible date is refused: %#", (yaml, expected) => {
    expect(problems(yaml).join("\n")).toContain(expected);
  });

  test("two teams with one name, also in another letter case, are refused", () => {
    const two = (a: string, b: string) => `
agency: { name: A, timeZone: Europe/London }
teams: [{ id: n1, name: ${a} }, { id: n2, name: ${b} }]
staff:
  - { email: jane@agency.example, name: Jane, role: worker, team: n1 }
`;
    expect(problems(two("North Team", "North Team"))).toEqual([
      'teams[1].name: "North Team" is already the name of teams[0]; each team needs its own name',
    ]);
    expect(problems(two("North Team", "north team"))).toEqual([
      'teams[1].name: "north team" is already the name of teams[0] ("North Team": names are matched whatever their letter case); each team needs its own name',
    ]);
  });

  test.each([
    ["slackId", "U0SAM", "u0sam"],
    ["teamsId", "00000000-0000-0000-0000-0000000000A4", "00000000-0000-0000-0000-0000000000a4"],
  ])(
    "the same %s in another letter case on two people is refused (one would be taken for the other)",
    (key, sup, worker) => {
      const yaml = `
agency: { name: A, timeZone: Europe/London }
teams: [{ name: North Team }]
staff:
  - { email: sam@agency.example, name: Sam, role: supervisor, team: North Team, ${key}: "${sup}" }
  - { email: jane@agency.example, name: Jane, role: worker, team: North Team, ${key}: "${worker}" }
`;
      expect(problems(yaml)).toEqual([
        `staff[1].${key}: ${worker} is staff[0]'s ${key} ${sup} in other letter case; ids are matched whatever their case, so one person would be taken for the other`,
      ]);
      expect(problems(yaml.replace(worker, sup))).toEqual([`staff[1].${key}: ${sup} is listed twice`]);
    },
  );

  test("a team with no supervisor and an agency with no admin are warnings, not errors", () => {
    const org = parseOrg(base, "sos.config.yaml");
    expect(org.warnings).toEqual([
      "a team has no supervisor (North Team): only an admin can open, allocate or close their cases, and nobody reads their team digest as its supervisor.",
      "nobody in staff has the role admin: people the bot does not know are told to ask an admin, and only an admin can manage cases of teams with no supervisor.",
    ]);
    expect(loadOrg(DEMO_CONFIG).warnings).toEqual([]);
    const many = parseOrg(
      `agency: { name: A, timeZone: Europe/London }
teams: [${Array.from({ length: 8 }, (_, i) => `{ name: T${i} }`).join(", ")}]
staff: [{ email: a@agency.example, name: A, role: admin }]
`,
      "x.yaml",
    );
    expect(many.warnings).toEqual([
      "8 teams have no supervisor (T0, T1, T2, T3, T4 and 3 more): only an admin can open, allocate or close their cases, and nobody reads their team digest as its supervisor.",
    ]);
  });

  test("a YAML alias bomb is refused with one plain sentence", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = "abcdefghi";
    for (let i = 1; i < names.length; i++)
      lines.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill(`*${names[i - 1]}`)
          .join(",")}]`,
      );
    expect(problems(lines.join("\n"))).toEqual([
      "it uses YAML aliases (*name) so often that reading it would take unbounded memory (more than 100 uses of one anchor); write the values out instead",
    ]);
    expect(problems(`${base}holidays: *nope\n`)).toEqual([
      "Unresolved alias: nope: an alias (*name) needs an anchor (&name) earlier in the file",
    ]);
  });

  test("10,500 staff are checked in one pass; a repeat at the end is still found", () => {
    const lines = ["agency: { name: A, timeZone: Europe/London }", "teams:"];
    for (let t = 0; t < 500; t++) lines.push(`  - { name: Team ${t} }`);
    lines.push("staff:", "  - { email: admin@a.example, name: Ad, role: admin }");
    for (let i = 0; i < 10_500; i++)
      lines.push(
        `  - { email: p${i}@a.example, name: P ${i}, role: ${i < 500 ? "supervisor" : "worker"}, team: Team ${i % 500}, slackId: U${i}, teamsId: t-${i} }`,
      );
    lines.push("  - { email: P7@a.example, name: Again, role: worker, team: team 3, slackId: u10499 }");
    expect(problems(lines.join("\n"))).toEqual([
      "staff[10501].email: p7@a.example is listed twice",
      "staff[10501].slackId: u10499 is staff[10500]'s slackId U10499 in other letter case; ids are matched whatever their case, so one person would be taken for the other",
    ]);
  });
});
