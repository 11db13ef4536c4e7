import { expect, test } from "vitest";
import { parseOrg } from "../config/load.ts";
import { configChanges } from "./config-changes.ts";

const base = `agency: { id: hillside, name: Hillside, timeZone: Europe/London }
teams: [{ name: North Team, channels: { slack: C1 } }, { name: South Team }]
staff:
  - { email: ada@h.example, name: Ada, role: admin }
  - { email: sue@h.example, name: Sue, role: supervisor, team: North Team }
  - { email: tom@h.example, name: Tom, role: supervisor, team: South Team }
  - { email: jo@h.example, name: Jo, role: worker, team: North Team }
  - { email: kim@h.example, name: Kim, role: worker, team: South Team }
`;
const org = (yaml: string) => parseOrg(yaml, "sos.config.yaml");

test.each([
  ["nothing", base, []],
  [
    "people added and gone, a supervisor changed",
    base
      .replace("  - { email: kim@h.example, name: Kim, role: worker, team: South Team }\n", "")
      .replace("name: Sue, role: supervisor", "name: Sue, role: worker")
      .replace("name: Jo, role: worker, team: North Team", "name: Jo, role: supervisor, team: North Team")
      .concat(
        "  - { email: nia@h.example, name: Nia, role: worker, team: North Team }\n  - { email: mo@h.example, name: Mo, role: worker, team: South Team }\n",
      ),
    ["2 people added, 2 changed, 1 left the config", "North Team's supervisor changed"],
  ],
  [
    "a second supervisor, a team renamed, leave, a schedule, a channel and settings",
    base
      .replace(
        "name: Tom, role: supervisor, team: South Team",
        "name: Tom, role: supervisor, team: [South Team, North Team]",
      )
      .replace(
        "{ name: South Team }",
        '{ id: south-team, name: Southern Team, digest: { team: "0 7 * * 1" } }',
      )
      .replace("team: South Team }", "team: Southern Team }")
      .replace("team: [South Team, North Team]", "team: [Southern Team, North Team]")
      .replace(
        "name: Kim, role: worker, team: Southern Team }",
        "name: Kim, role: worker, team: Southern Team, away: [{ from: 2026-12-20, to: 2027-01-02 }] }",
      )
      .replace("slack: C1", "slack: C2")
      .concat("channelNames: id\nholidays: [2026-12-25]\n"),
    [
      "1 person changed, Southern Team renamed (was South Team)",
      "North Team's supervisors changed",
      "leave changed for 1 person",
      "digest schedules changed",
      "channels changed",
      "channelNames, holidays changed",
    ],
  ],
  [
    "the agency's name",
    base.replace("name: Hillside", "name: Hillside Family Services"),
    ["agency renamed (was Hillside)"],
  ],
])("%s", (_what, after, said) => {
  expect(configChanges(org(base), org(after))).toEqual(said);
});
