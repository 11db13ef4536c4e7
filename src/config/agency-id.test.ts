import { expect, test } from "vitest";
import { DEMO_CONFIG } from "../app/paths.ts";
import { ConfigError, loadOrg, parseOrg } from "./load.ts";

const config = (agency: string) => `
agency: ${agency}
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

test("an agency's id defaults to its name in lower case with dashes, as team ids do", () => {
  expect(loadOrg(DEMO_CONFIG).agency).toEqual({
    id: "demo-family-services",
    name: "Demo Family Services",
    timeZone: "Europe/London",
  });
  const org = parseOrg(config("{ name: \"St. Mary's Children's Trust\", timeZone: Europe/London }"), "x");
  expect(org.agency.id).toBe("st-mary-s-children-s-trust");
});

test("an explicit agency.id is kept, so the agency can change its name and keep its database", () => {
  const org = parseOrg(config("{ id: northshire, name: Northshire Council, timeZone: Europe/London }"), "x");
  expect(org.agency).toMatchObject({ id: "northshire", name: "Northshire Council" });
});

test.each([
  [
    "{ id: North Shire, name: N, timeZone: Europe/London }",
    "agency.id: must be lower-case letters, digits and dashes",
  ],
  [
    "{ name: 北岸儿童服务, timeZone: Asia/Shanghai }",
    'agency.id: the name "北岸儿童服务" gives no id of letters and digits; add agency.id (like my-agency)',
  ],
])("a bad or missing agency id is refused: %s", (agency, problem) => {
  expect(problems(config(agency))).toEqual([problem]);
});

test("a misspelt agency key suggests id", () => {
  expect(problems(config("{ idd: x, name: N, timeZone: Europe/London }"))).toEqual([
    'agency: unknown key "idd" (did you mean "id"?)',
  ]);
});
