import { afterEach, describe, expect, test } from "vitest";
import type { IssueCode } from "../src/commands/issues.ts";
import { AH_HIN, JANE, MORGAN, makeTestCtx, ROBIN, SAM, type TestCtx } from "./helpers/ctx.ts";

// The demo agency plus a second team, so "not your team" can be tried.
const CONFIG = `
agency: { name: Two Teams, timeZone: Europe/London }
teams:
  - { id: north, name: North Team }
  - { id: south, name: South Team }
staff:
  - { email: ${JANE}, name: Jane Smith, role: worker, team: North Team }
  - { email: ${AH_HIN}, name: Ah Hin Xeng, role: worker, team: North Team }
  - { email: ${SAM}, name: Sam Okafor, role: supervisor, team: North Team }
  - { email: stu.south@demo-agency.example, name: Stu South, role: worker, team: South Team }
  - { email: sue.south@demo-agency.example, name: Sue South, role: supervisor, team: South Team }
  - { email: ${MORGAN}, name: Morgan Reyes, role: manager }
  - { email: ${ROBIN}, name: Robin Ellis, role: admin }
`;
const SUE = "sue.south@demo-agency.example";

let t: TestCtx;
afterEach(() => t?.close());

type Row = [who: string, command: string, expected: "ok" | IssueCode];

// Each role × each command (DESIGN §4). Case 12345 is Jane's, in North Team. A case someone may not
// see is answered as if it did not exist ("unknown_case"): "not allocated to you" would tell them it does.
const MATRIX: Row[] = [
  // log: the allocated worker, or a supervisor of the case's team
  ["jane (worker, her case)", "mapped-with-family 12345", "ok"],
  ["ahhin (worker, not his case)", "mapped-with-family 12345", "unknown_case"],
  ["sam (supervisor, own team)", "mapped-with-family 12345", "ok"],
  ["sue (supervisor, other team)", "mapped-with-family 12345", "unknown_case"],
  ["morgan (manager)", "mapped-with-family 12345", "role_cannot"],
  ["robin (admin)", "mapped-with-family 12345", "role_cannot"],
  // undo (of an entry on 12345 by Jane, see `before`)
  ["jane (worker, her case)", "undo", "ok"],
  // an entry on a case he may not see does not exist for him (entry numbers would list case ids)
  ["ahhin (worker, not his case)", "undo #ENTRY", "unknown_entry"],
  ["sam (supervisor, own team)", "undo #ENTRY", "ok"],
  ["sue (supervisor, other team)", "undo #ENTRY", "unknown_entry"],
  ["morgan (manager)", "undo #ENTRY", "role_cannot"],
  ["robin (admin)", "undo #ENTRY", "role_cannot"],
  // open
  ["jane (worker, her case)", `open 90001 "Ana Lee" 4 cp`, "role_cannot"],
  ["sam (supervisor, own team)", `open 90001 "Ana Lee" 4 cp ${AH_HIN}`, "ok"],
  ["sue (supervisor, other team)", `open 90001 "Ana Lee" 4 cp ${AH_HIN}`, "outside_team"],
  ["morgan (manager)", `open 90001 "Ana Lee" 4 cp ${AH_HIN}`, "role_cannot"],
  ["robin (admin)", `open 90001 "Ana Lee" 4 cp ${AH_HIN}`, "ok"],
  // assign
  ["jane (worker, her case)", `assign 12345 ${AH_HIN}`, "role_cannot"],
  ["sam (supervisor, own team)", `assign 12345 ${AH_HIN}`, "ok"],
  ["sue (supervisor, other team)", `assign 12345 ${AH_HIN}`, "unknown_case"],
  ["morgan (manager)", `assign 12345 ${AH_HIN}`, "role_cannot"],
  ["robin (admin)", `assign 12345 stu.south@demo-agency.example`, "ok"],
  // a supervisor of the case's team may transfer it to another team's worker
  ["sam (supervisor, own team)", `assign 12345 stu.south@demo-agency.example`, "ok"],
  // close and reopen
  ["jane (worker, her case)", "close 12345 safe-at-home", "role_cannot"],
  ["sam (supervisor, own team)", "close 12345 safe-at-home", "ok"],
  ["sue (supervisor, other team)", "close 12345 safe-at-home", "unknown_case"],
  ["morgan (manager)", "close 12345 safe-at-home", "role_cannot"],
  ["robin (admin)", "close 12345 safe-at-home", "ok"],
  ["jane (worker, her case)", "reopen 12346", "role_cannot"],
  ["sam (supervisor, own team)", "reopen 12346", "ok"],
  ["sue (supervisor, other team)", "reopen 12346", "unknown_case"],
  ["morgan (manager)", "reopen 12346", "role_cannot"],
  ["robin (admin)", "reopen 12346", "ok"],
  // correct, move, audit
  ["jane (worker, her case)", `edit 12345 name "Melli Majid"`, "role_cannot"],
  ["sam (supervisor, own team)", "edit 12345 abuse N", "ok"],
  ["sue (supervisor, other team)", "edit 12345 abuse N", "unknown_case"],
  ["morgan (manager)", "edit 12345 abuse N", "role_cannot"],
  ["robin (admin)", "edit 12345 abuse N", "ok"],
  ["jane (worker, her case)", "move 12345 family-support", "role_cannot"],
  ["sam (supervisor, own team)", "move 12345 family-support", "ok"],
  ["sue (supervisor, other team)", "move 12345 family-support", "unknown_case"],
  ["morgan (manager)", "move 12345 family-support", "role_cannot"],
  ["robin (admin)", "move 12345 voluntary", "ok"],
  ["jane (worker, her case)", "audit 12345", "role_cannot"],
  ["sam (supervisor, own team)", "audit 12345", "ok"],
  ["sue (supervisor, other team)", "audit 12345", "unknown_case"],
  ["morgan (manager)", "audit 12345", "role_cannot"],
  ["robin (admin)", "audit 12345", "ok"],
  // see a case
  ["jane (worker, her case)", "case 12345", "ok"],
  ["ahhin (worker, not his case)", "case 12345", "unknown_case"],
  ["sam (supervisor, own team)", "case 12345", "ok"],
  ["sue (supervisor, other team)", "case 12345", "unknown_case"],
  ["morgan (manager)", "case 12345", "ok"],
  ["robin (admin)", "case 12345", "ok"],
  // dashboards
  ["jane (worker, her case)", "mine", "ok"],
  ["morgan (manager)", "mine", "role_cannot"],
  ["jane (worker, her case)", "team", "role_cannot"],
  ["sam (supervisor, own team)", "team", "ok"],
  ["sam (supervisor, own team)", "team South Team", "no_team_access"],
  ["morgan (manager)", "team", "which_team"],
  ["morgan (manager)", "team South Team", "ok"],
  ["robin (admin)", "team north", "ok"],
  ["jane (worker, her case)", "agency", "role_cannot"],
  ["sam (supervisor, own team)", "agency", "role_cannot"],
  ["morgan (manager)", "agency", "ok"],
  ["robin (admin)", "agency", "ok"],
  // stuck
  ["jane (worker, her case)", "stuck", "ok"],
  ["jane (worker, her case)", "stuck South Team", "role_cannot"],
  ["sam (supervisor, own team)", "stuck", "ok"],
  ["sue (supervisor, other team)", "stuck North Team", "no_team_access"],
  ["morgan (manager)", "stuck", "ok"],
  ["robin (admin)", "stuck north", "ok"],
  // everyone
  ["ahhin (worker, not his case)", "whoami", "ok"],
  ["morgan (manager)", "help", "ok"],
];

const EMAIL: Record<string, string> = {
  jane: JANE,
  ahhin: AH_HIN,
  sam: SAM,
  sue: SUE,
  morgan: MORGAN,
  robin: ROBIN,
};

describe("authorization matrix", () => {
  test.each(MATRIX)("%s: %s → %s", async (who, command, expected) => {
    t = makeTestCtx({ config: CONFIG, demo: true });
    // Fixtures: an entry of Jane's to undo, and a closed case to reopen.
    const entry = (await t.run(JANE, "three-houses 12345 2016-02-20")).logged!.entryId;
    expect((await t.run(SAM, "close 12346 referred-on")).ok).toBe(true);
    const r = await t.run(EMAIL[who.split(" ")[0]!]!, command.replace("#ENTRY", `#${entry}`));
    expect(r.ok ? "ok" : r.issue?.code, r.text).toBe(expected);
    expect(r.text.length).toBeGreaterThan(0);
  });

  test("a worker's view never includes another worker's cases", async () => {
    t = makeTestCtx({ config: CONFIG, demo: true });
    const r = await t.run(AH_HIN, "mine");
    expect(r.text).toBe("You have no open cases allocated to you.");
    expect((await t.run(AH_HIN, "stuck")).stuck?.items).toEqual([]);
  });

  test("an unknown case id suggests only ids the person may see", async () => {
    t = makeTestCtx({ config: CONFIG, demo: true });
    expect((await t.run(JANE, "case 12354")).issue).toMatchObject({
      code: "unknown_case",
      suggestions: ["12345"],
    });
    expect((await t.run(AH_HIN, "case 12354")).issue).toMatchObject({
      code: "unknown_case",
      suggestions: [],
    });
  });
});
